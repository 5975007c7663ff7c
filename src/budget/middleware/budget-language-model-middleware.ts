import {
  attributionSubject,
  budgetRefusal,
  type BudgetChecker,
  type BudgetSubjectInput,
} from './budget-checker.js';

export interface BudgetLanguageModelMiddlewareOptions {
  /**
   * Who the call is for, read when the model is called (`params` are the
   * model's call options). @defaultValue the `userId`, `tenantId` and
   * `plan` of the attribution in effect (`withAttribution`,
   * `attributionMiddleware`). A call with no subject is not checked.
   */
  readonly subject?: (params: unknown) => BudgetSubjectInput | undefined;
  /** Reserve this much per model call (see `BudgetCheckOptions.reserveUsd`). */
  readonly reserveUsd?: number;
}

/**
 * A language model middleware of the AI SDK, typed structurally (this
 * library does not depend on `ai`): pass it to `wrapLanguageModel`. Works
 * with AI SDK 5, 6 and 7.
 */
export interface BudgetLanguageModelMiddleware {
  readonly specificationVersion: 'v3';
  wrapGenerate<Result>(options: {
    doGenerate: () => PromiseLike<Result>;
    params: unknown;
  }): Promise<Result>;
  wrapStream<Result>(options: {
    doStream: () => PromiseLike<Result>;
    params: unknown;
  }): Promise<Result>;
}

/**
 * Checks the budget before every model call (`doGenerate` and `doStream`,
 * so each step of a multi-step call) and throws a `BudgetExceededError`
 * instead of calling the model when the subject is over budget. The AI SDK
 * does not retry it (it is not an API call error).
 *
 * @example
 * const model = wrapLanguageModel({
 *   model: openai('gpt-4o'),
 *   middleware: budgetLanguageModelMiddleware(guard),
 * });
 * await withAttribution({ userId }, () => generateText({ model, prompt }));
 */
export function budgetLanguageModelMiddleware(
  guard: BudgetChecker,
  options: BudgetLanguageModelMiddlewareOptions = {},
): BudgetLanguageModelMiddleware {
  const guardCall = async (params: unknown): Promise<void> => {
    const subject =
      options.subject === undefined
        ? attributionSubject()
        : options.subject(params);
    const refusal = await budgetRefusal(guard, subject, options.reserveUsd);
    if (refusal !== undefined) throw refusal;
  };
  return {
    specificationVersion: 'v3',
    async wrapGenerate({ doGenerate, params }) {
      await guardCall(params);
      return doGenerate();
    },
    async wrapStream({ doStream, params }) {
      await guardCall(params);
      return doStream();
    },
  };
}

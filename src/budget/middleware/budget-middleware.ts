import { diag } from '@opentelemetry/api';
import type { BudgetExceededError } from '../budget-exceeded-error.js';
import {
  attributionSubject,
  budgetRefusal,
  type BudgetChecker,
  type BudgetSubjectInput,
} from './budget-checker.js';

/** The part of a Node `ServerResponse` (and so of an Express response) the middleware uses. */
export interface BudgetResponse {
  statusCode: number;
  readonly headersSent?: boolean;
  setHeader(name: string, value: string | number): unknown;
  end(body?: string): unknown;
}

export interface BudgetMiddlewareOptions<Request, Response> {
  /**
   * Who the request is for. @defaultValue the `userId`, `tenantId` and
   * `plan` of the attribution in effect (mount `attributionMiddleware`
   * first). A request with no subject is not checked.
   */
  readonly subject?: (
    request: Request,
  ) =>
    | BudgetSubjectInput
    | undefined
    | PromiseLike<BudgetSubjectInput | undefined>;
  /** Reserve this much per request (see `BudgetCheckOptions.reserveUsd`). */
  readonly reserveUsd?: number | ((request: Request) => number | undefined);
  /**
   * Answer a refused request yourself (or call `next(error)` to reach your
   * error handler). @defaultValue 429 with `Retry-After` and a JSON body
   */
  readonly onExceeded?: (
    error: BudgetExceededError,
    request: Request,
    response: Response,
    next: (error?: unknown) => void,
  ) => void;
}

/** The JSON body of the default 429 answer. */
export interface BudgetExceededBody {
  readonly error: 'budget_exceeded';
  readonly message: string;
  /** The scopes whose budget is spent, e.g. `["user"]`. */
  readonly scopes: readonly string[];
  readonly resetAt: string | undefined;
  readonly retryAfterSeconds: number;
}

/**
 * Express/Node middleware `(req, res, next)`: checks the request's subject
 * against the guard's budgets before the handler runs. Over budget: HTTP
 * 429 with `Retry-After` (seconds until every exceeded window resets) and
 * a small JSON body; otherwise `next()`. A call already running when the
 * limit is crossed still completes and is counted.
 *
 * @example
 * app.use(attributionMiddleware(req => ({ userId: req.user?.id })));
 * app.use('/api/chat', budgetMiddleware(guard));
 */
export function budgetMiddleware<
  Request = unknown,
  Response extends BudgetResponse = BudgetResponse,
>(
  guard: BudgetChecker,
  options: BudgetMiddlewareOptions<Request, Response> = {},
): (
  request: Request,
  response: Response,
  next: (error?: unknown) => void,
) => void {
  const onExceeded = options.onExceeded ?? answer429;
  return (request, response, next) => {
    decide(guard, options, request)
      .then(
        refusal => {
          if (refusal === undefined) next();
          else onExceeded(refusal, request, response, next);
        },
        (error: unknown) => {
          diag.warn(
            'otel-genai-cost: the budget subject resolver threw; continuing unchecked',
            error,
          );
          next();
        },
      )
      .catch((error: unknown) => {
        diag.error(
          'otel-genai-cost: a handler after budgetMiddleware threw',
          error,
        );
      });
  };
}

async function decide<Request, Response>(
  guard: BudgetChecker,
  options: BudgetMiddlewareOptions<Request, Response>,
  request: Request,
): Promise<BudgetExceededError | undefined> {
  const subject =
    options.subject === undefined
      ? attributionSubject()
      : await options.subject(request);
  const reserve =
    typeof options.reserveUsd === 'function'
      ? options.reserveUsd(request)
      : options.reserveUsd;
  return budgetRefusal(guard, subject, reserve);
}

/** The default answer: 429, `Retry-After`, `{ error: 'budget_exceeded', ... }`. */
export function answer429(
  error: BudgetExceededError,
  _request: unknown,
  response: BudgetResponse,
  next: (error?: unknown) => void,
): void {
  if (response.headersSent === true) {
    next(error);
    return;
  }
  const body: BudgetExceededBody = {
    error: 'budget_exceeded',
    message: error.message,
    scopes: [...new Set(error.check.exceeded.map(e => e.budget.scope))],
    resetAt: error.resetAt?.toISOString(),
    retryAfterSeconds: error.retryAfterSeconds,
  };
  response.statusCode = 429;
  response.setHeader('retry-after', String(error.retryAfterSeconds));
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.setHeader('cache-control', 'no-store');
  response.end(JSON.stringify(body));
}

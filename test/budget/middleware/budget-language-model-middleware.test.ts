/**
 * budgetLanguageModelMiddleware with the real AI SDK, three majors (ai 7,
 * ai-v6, ai-v5) and their own mock models: the budget is checked before
 * the model is called, a subject over budget gets a BudgetExceededError
 * and the model is never called; the subject comes from withAttribution.
 * That each `wrapLanguageModel` accepts the middleware also checks its
 * structural type against each major's own middleware type.
 */
import { OpenTelemetry } from '@ai-sdk/otel';
import {
  generateText as generateTextV7,
  registerTelemetry,
  streamText as streamTextV7,
  wrapLanguageModel as wrapV7,
} from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import {
  generateText as generateTextV6,
  wrapLanguageModel as wrapV6,
} from 'ai-v6';
import { MockLanguageModelV3 } from 'ai-v6/test';
import {
  generateText as generateTextV5,
  wrapLanguageModel as wrapV5,
} from 'ai-v5';
import { MockLanguageModelV2 } from 'ai-v5/test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BudgetExceededError } from '../../../src/budget/budget-exceeded-error.js';
import { budgetLanguageModelMiddleware } from '../../../src/budget/middleware/budget-language-model-middleware.js';
import { BudgetGuard, withAttribution } from '../../../src/index.js';
import { expectUsd } from '../../helpers/cost-assertions.js';
import { expectedCost } from '../../helpers/prices.js';
import { setupTracing, type TestTracing } from '../../helpers/tracing.js';
import { FakeGuard } from './fake-guard.js';

let tracing: TestTracing;
beforeEach(() => {
  tracing = setupTracing({ registerGlobally: true });
});
afterEach(async () => {
  await tracing.shutdown();
});

const USAGE_V3 = {
  inputTokens: { total: 100, noCache: 100, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 20, text: 20, reasoning: 0 },
};
const answerV4 = () =>
  Promise.resolve({
    content: [{ type: 'text' as const, text: 'hello' }],
    finishReason: { unified: 'stop' as const, raw: 'stop' },
    usage: USAGE_V3,
    warnings: [],
  });

async function rejection(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('AI SDK 7 (wrapLanguageModel, MockLanguageModelV4)', () => {
  it('throws BudgetExceededError before doGenerate for a user over budget; calls the model for another', async () => {
    const guard = new FakeGuard(new Set(['u-over']));
    const mock = new MockLanguageModelV4({
      modelId: 'gpt-4o',
      doGenerate: answerV4,
    });
    const model = wrapV7({
      model: mock,
      middleware: budgetLanguageModelMiddleware(guard),
    });

    const error = await rejection(
      withAttribution({ userId: 'u-over', tenantId: 'acme' }, () =>
        generateTextV7({ model, prompt: 'hi', maxRetries: 2 }),
      ),
    );
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect((error as BudgetExceededError).retryAfterSeconds).toBeGreaterThan(0);
    expect(mock.doGenerateCalls).toHaveLength(0);
    // Not retried by the SDK: one check.
    expect(guard.calls).toEqual([
      { subject: { userId: 'u-over', tenantId: 'acme' }, options: undefined },
    ]);

    const result = await withAttribution({ userId: 'u-ok' }, () =>
      generateTextV7({ model, prompt: 'hi' }),
    );
    expect(result.text).toBe('hello');
    expect(mock.doGenerateCalls).toHaveLength(1);
    expect(guard.calls[1]?.subject).toEqual({ userId: 'u-ok' });
  });

  it('checks before doStream too: refused without calling the model, and streams for a user within budget', async () => {
    const guard = new FakeGuard(new Set(['u-over']));
    const mock = new MockLanguageModelV4({
      modelId: 'gpt-4o',
      doStream: () =>
        Promise.resolve({
          stream: new ReadableStream({
            start(controller) {
              controller.enqueue({ type: 'stream-start', warnings: [] });
              controller.enqueue({ type: 'text-start', id: 't' });
              controller.enqueue({
                type: 'text-delta',
                id: 't',
                delta: 'streamed',
              });
              controller.enqueue({ type: 'text-end', id: 't' });
              controller.enqueue({
                type: 'finish',
                finishReason: { unified: 'stop', raw: 'stop' },
                usage: USAGE_V3,
              });
              controller.close();
            },
          }),
        }),
    });
    const model = wrapV7({
      model: mock,
      middleware: budgetLanguageModelMiddleware(guard, { reserveUsd: 0.1 }),
    });
    const refused = await rejection(
      withAttribution({ userId: 'u-over' }, () =>
        model.doStream({ prompt: [] } as never),
      ),
    );
    expect(refused).toBeInstanceOf(BudgetExceededError);
    expect(mock.doStreamCalls).toHaveLength(0);

    const errors: unknown[] = [];
    const refusedStream = withAttribution({ userId: 'u-over' }, () =>
      streamTextV7({
        model,
        prompt: 'hi',
        onError: ({ error }) => void errors.push(error),
      }),
    );
    await refusedStream.consumeStream();
    expect(errors.some(e => e instanceof BudgetExceededError)).toBe(true);
    expect(mock.doStreamCalls).toHaveLength(0);

    const stream = withAttribution({ userId: 'u-ok' }, () =>
      streamTextV7({ model, prompt: 'hi' }),
    );
    expect(await stream.text).toBe('streamed');
    expect(mock.doStreamCalls).toHaveLength(1);
    expect(guard.calls.at(-1)).toEqual({
      subject: { userId: 'u-ok' },
      options: { reserveUsd: 0.1 },
    });
  });

  it('does not check a call made outside any attribution, unless given a subject', async () => {
    const guard = new FakeGuard(new Set(['u-over']));
    const mock = new MockLanguageModelV4({
      modelId: 'gpt-4o',
      doGenerate: answerV4,
    });
    const unattributed = wrapV7({
      model: mock,
      middleware: budgetLanguageModelMiddleware(guard),
    });
    expect(
      (await generateTextV7({ model: unattributed, prompt: 'hi' })).text,
    ).toBe('hello');
    expect(guard.calls).toHaveLength(0);
    const fixed = wrapV7({
      model: mock,
      middleware: budgetLanguageModelMiddleware(guard, {
        subject: () => ({ userId: 'u-over' }),
      }),
    });
    expect(
      await rejection(generateTextV7({ model: fixed, prompt: 'hi' })),
    ).toBeInstanceOf(BudgetExceededError);
    expect(mock.doGenerateCalls).toHaveLength(1);
  });
});

describe('AI SDK 6 (ai-v6, MockLanguageModelV3)', () => {
  it('throws before doGenerate for a user over budget; calls the model for another', async () => {
    const guard = new FakeGuard(new Set(['u-over']));
    const mock = new MockLanguageModelV3({
      modelId: 'gpt-4o',
      doGenerate: answerV4,
    });
    const model = wrapV6({
      model: mock,
      middleware: budgetLanguageModelMiddleware(guard),
    });
    const error = await rejection(
      withAttribution({ userId: 'u-over' }, () =>
        generateTextV6({ model, prompt: 'hi' }),
      ),
    );
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(mock.doGenerateCalls).toHaveLength(0);
    const ok = await withAttribution({ userId: 'u-ok' }, () =>
      generateTextV6({ model, prompt: 'hi' }),
    );
    expect(ok.text).toBe('hello');
    expect(mock.doGenerateCalls).toHaveLength(1);
  });
});

describe('AI SDK 5 (ai-v5, MockLanguageModelV2)', () => {
  it('throws before doGenerate for a user over budget; calls the model for another', async () => {
    const guard = new FakeGuard(new Set(['u-over']));
    const mock = new MockLanguageModelV2({
      modelId: 'gpt-4o',
      doGenerate: () =>
        Promise.resolve({
          content: [{ type: 'text', text: 'hello' }],
          finishReason: 'stop',
          usage: { inputTokens: 100, outputTokens: 20, totalTokens: 120 },
          warnings: [],
        }),
    });
    const model = wrapV5({
      model: mock,
      middleware: budgetLanguageModelMiddleware(guard),
    });
    const error = await rejection(
      withAttribution({ userId: 'u-over' }, () =>
        generateTextV5({ model, prompt: 'hi' }),
      ),
    );
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(mock.doGenerateCalls).toHaveLength(0);
    const ok = await withAttribution({ userId: 'u-ok' }, () =>
      generateTextV5({ model, prompt: 'hi' }),
    );
    expect(ok.text).toBe('hello');
    expect(mock.doGenerateCalls).toHaveLength(1);
  });
});

describe('with the real BudgetGuard (memory store)', () => {
  it('counts the calls the CostSpanProcessor prices and refuses the next model call once the budget is spent', async () => {
    await tracing.shutdown();
    const guard = new BudgetGuard({
      store: 'memory',
      budgets: [{ scope: 'user', limitUsd: 0.0005, window: 'day' }],
      alertAt: [1],
    });
    tracing = setupTracing({ registerGlobally: true, sinks: [guard] });
    registerTelemetry(new OpenTelemetry());
    try {
      const mock = new MockLanguageModelV4({
        provider: 'openai.chat',
        modelId: 'gpt-4o',
        doGenerate: answerV4,
      });
      const model = wrapV7({
        model: mock,
        middleware: budgetLanguageModelMiddleware(guard),
      });
      // 100 input and 20 output tokens of gpt-4o: $0.00045 at OpenAI's
      // $2.50/M input and $10/M output; the second call crosses $0.0005.
      const perCall = expectedCost(
        { input: 2.5, output: 10 },
        { uncachedInput: 100, output: 20 },
      ).total;
      const call = () =>
        withAttribution({ userId: 'u-real' }, () =>
          generateTextV7({ model, prompt: 'hi' }),
        );
      await call();
      await call();
      expectUsd(
        await guard.spent({ scope: 'user', id: 'u-real' }),
        2 * perCall,
      );
      const error = await rejection(call());
      expect(error).toBeInstanceOf(BudgetExceededError);
      expect(mock.doGenerateCalls).toHaveLength(2);
      expect((error as BudgetExceededError).check.exceeded[0]?.id).toBe(
        'u-real',
      );
    } finally {
      (
        globalThis as { AI_SDK_TELEMETRY_INTEGRATIONS?: unknown }
      ).AI_SDK_TELEMETRY_INTEGRATIONS = undefined;
    }
  });
});

/**
 * `openai@6` instrumented by `@traceloop/instrumentation-openai` (OpenLLMetry
 * JS), calling a fake OpenAI server on 127.0.0.1 (see the helpers for how
 * the instrumentation is wired into vitest).
 *
 * Traceloop 0.27 shapes that matter here: one CLIENT span per chat call, no
 * wrapper span; `gen_ai.provider.name` (derived from the base URL, `openai`
 * for 127.0.0.1), `gen_ai.usage.input_tokens` / `output_tokens` plus a
 * non-standard `gen_ai.usage.total_tokens`; NO cached or reasoning tokens.
 * Streaming ignores the API's usage chunk (usage only via the tiktoken
 * estimate of `enrichTokens`, off by default), and embeddings are not
 * instrumented at all.
 */
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from 'vitest';
import {
  expectNoCost,
  expectPricedSpan,
  expectTraceTotal,
  expectUnpricedSpan,
  totalCost,
} from '../helpers/cost-assertions.js';
import { startFakeOpenAIServer } from '../helpers/fake-openai-server.js';
import type { FakeOpenAIServer } from '../helpers/fake-openai-server.js';
import { instrumentOpenAIWithTraceloop } from '../helpers/openai-instrumentation.js';
import type { InstrumentedOpenAI } from '../helpers/openai-instrumentation.js';
import { GPT_4O_MINI, expectedCost, sumCosts } from '../helpers/prices.js';
import { onlySpanNamed, setupTracing } from '../helpers/tracing.js';
import type { TestTracing } from '../helpers/tracing.js';

let instrumented: InstrumentedOpenAI;
let server: FakeOpenAIServer;
let tracing: TestTracing;

beforeAll(async () => {
  instrumented = instrumentOpenAIWithTraceloop();
  server = await startFakeOpenAIServer();
});

afterAll(async () => {
  instrumented.uninstrument();
  await server.close();
});

beforeEach(() => {
  tracing = setupTracing();
  instrumented.setTracerProvider(tracing.provider);
  server.configure({
    chatUsage: { promptTokens: 1000, completionTokens: 300 },
    embeddingPromptTokens: 16,
    responseModel: 'echo',
  });
});

afterEach(async () => {
  await tracing.shutdown();
});

function client() {
  return new instrumented.OpenAI({
    baseURL: server.baseURL,
    apiKey: 'test-key',
    maxRetries: 0,
  });
}

const MESSAGES = [{ role: 'user' as const, content: 'Weather in Paris?' }];

describe('openai + @traceloop/instrumentation-openai', () => {
  it('chat completion: the chat span is priced once', async () => {
    await client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: MESSAGES,
    });

    const spans = await tracing.spans();
    const call = onlySpanNamed(spans, 'chat gpt-4o-mini');
    expect(call.attributes['gen_ai.provider.name']).toBe('openai');
    expect(call.attributes['gen_ai.usage.total_tokens']).toBe(1300);
    const expected = expectedCost(GPT_4O_MINI, {
      uncachedInput: 1000,
      output: 300,
    });
    expectPricedSpan(call, expected, { parts: true });
    expectTraceTotal(spans, [call], expected.total);
  });

  it('dated response model (gpt-4o-mini-2024-07-18) is priced as gpt-4o-mini', async () => {
    server.configure({ responseModel: 'echo-dated' });
    await client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: MESSAGES,
    });

    const spans = await tracing.spans();
    const call = onlySpanNamed(spans, 'chat gpt-4o-mini');
    expect(call.attributes['gen_ai.response.model']).toBe(
      'gpt-4o-mini-2024-07-18',
    );
    expectTraceTotal(
      spans,
      [call],
      expectedCost(GPT_4O_MINI, { uncachedInput: 1000, output: 300 }).total,
    );
  });

  it('cached and reasoning tokens from the API are not on the span: all prompt tokens bill at the input rate, reasoning is not added', async () => {
    server.configure({
      chatUsage: {
        promptTokens: 1000,
        completionTokens: 300,
        cachedTokens: 600,
        reasoningTokens: 100,
      },
    });
    await client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: MESSAGES,
    });

    const spans = await tracing.spans();
    const call = onlySpanNamed(spans, 'chat gpt-4o-mini');
    const usageKeys = Object.keys(call.attributes).filter(
      key =>
        key.startsWith('gen_ai.usage.') && !key.startsWith('gen_ai.usage.cost'),
    );
    expect(usageKeys.sort()).toEqual([
      'gen_ai.usage.input_tokens',
      'gen_ai.usage.output_tokens',
      'gen_ai.usage.total_tokens',
    ]);
    const expected = expectedCost(GPT_4O_MINI, {
      uncachedInput: 1000,
      output: 300,
    });
    expectPricedSpan(call, expected, { parts: true });
    expectTraceTotal(spans, [call], expected.total);
  });

  it('streamed chat WITHOUT include_usage: unpriced, reason missing_usage', async () => {
    const stream = await client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: MESSAGES,
      stream: true,
    });
    for await (const _chunk of stream) {
      // drain
    }

    const spans = await tracing.spans();
    const call = onlySpanNamed(spans, 'chat gpt-4o-mini');
    expectUnpricedSpan(call, 'missing_usage');
    expect(totalCost(spans)).toBe(0);
  });

  it('streamed chat WITH include_usage: Traceloop 0.27 drops the usage chunk, so still missing_usage (never a made-up 0)', async () => {
    const stream = await client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: MESSAGES,
      stream: true,
      stream_options: { include_usage: true },
    });
    let sawUsage = false;
    for await (const chunk of stream) if (chunk.usage) sawUsage = true;
    expect(sawUsage).toBe(true); // the API did report usage

    const spans = await tracing.spans();
    const call = onlySpanNamed(spans, 'chat gpt-4o-mini');
    expect(call.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
    expectUnpricedSpan(call, 'missing_usage');
    expect(totalCost(spans)).toBe(0);
  });

  it('embeddings: not instrumented by Traceloop, so no span and no cost', async () => {
    const response = await client().embeddings.create({
      model: 'text-embedding-3-small',
      input: ['sunny'],
    });
    expect(response.data).toHaveLength(1);

    const spans = await tracing.spans();
    expect(spans).toEqual([]);
  });

  it('unknown model: no cost, source unpriced, reason unknown_model', async () => {
    await client().chat.completions.create({
      model: 'my-finetune-xyz',
      messages: MESSAGES,
    });

    const spans = await tracing.spans();
    const call = onlySpanNamed(spans, 'chat my-finetune-xyz');
    expect(call.attributes['gen_ai.usage.input_tokens']).toBe(1000);
    expectUnpricedSpan(call, 'unknown_model');
    expect(totalCost(spans)).toBe(0);
  });

  it('two calls under an application span: each call priced once, the application span not at all', async () => {
    const tracer = tracing.tracer('weather-app');
    await tracer.startActiveSpan('handle-request', async span => {
      try {
        await client().chat.completions.create({
          model: 'gpt-4o-mini',
          messages: MESSAGES,
        });
        server.configure({
          chatUsage: { promptTokens: 1500, completionTokens: 250 },
        });
        await client().chat.completions.create({
          model: 'gpt-4o-mini',
          messages: MESSAGES,
        });
      } finally {
        span.end();
      }
    });

    const spans = await tracing.spans();
    const parent = onlySpanNamed(spans, 'handle-request');
    const calls = spans.filter(span => span.name === 'chat gpt-4o-mini');
    expect(calls).toHaveLength(2);
    for (const call of calls)
      expect(call.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expectNoCost(parent);
    const expected = sumCosts(
      expectedCost(GPT_4O_MINI, { uncachedInput: 1000, output: 300 }),
      expectedCost(GPT_4O_MINI, { uncachedInput: 1500, output: 250 }),
    );
    expectTraceTotal(spans, calls, expected);
  });
});

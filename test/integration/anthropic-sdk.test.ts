/**
 * `@anthropic-ai/sdk` 1.14 alone: the SDK's OWN spans (scope
 * `com.anthropic.sdk.typescript`, span `anthropic.messages.create`, emitted
 * once a tracer provider is registered globally), against the fake
 * Anthropic server, priced by `CostSpanProcessor`.
 *
 * The SDK writes `gen_ai.usage.input_tokens` as the TOTAL input (uncached +
 * cache read + cache write) and the cache write under
 * `gen_ai.usage.cache_write.input_tokens`; each call must cost what
 * Anthropic's published prices say (see `anthropic-calls.ts`), the cache
 * write at the cache-write rate and the input counted once.
 */
import Anthropic from '@anthropic-ai/sdk';
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
  expectPricedSpan,
  expectTraceTotal,
  expectNoCost,
} from '../helpers/cost-assertions.js';
import { startFakeAnthropicServer } from '../helpers/fake-anthropic-server.js';
import type { FakeAnthropicServer } from '../helpers/fake-anthropic-server.js';
import { setupTracing, spansNamed, onlySpanNamed } from '../helpers/tracing.js';
import type { TestTracing } from '../helpers/tracing.js';
import {
  CACHED_USAGE,
  USAGE_BY_KIND,
  callCost,
  makeCall,
  settle,
  type CallKind,
} from './anthropic-calls.js';

const SDK_SPAN = 'anthropic.messages.create';
const SDK_SCOPE = 'com.anthropic.sdk.typescript';

let server: FakeAnthropicServer;
let tracing: TestTracing;

beforeAll(async () => {
  server = await startFakeAnthropicServer();
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  tracing = setupTracing({ registerGlobally: true });
  server.configure({ usage: CACHED_USAGE });
});

afterEach(async () => {
  await tracing.shutdown();
});

/** A client made after the provider is registered (the SDK looks it up then). */
function client(): Anthropic {
  return new Anthropic({
    apiKey: 'test-key',
    baseURL: server.baseURL,
    maxRetries: 0,
  });
}

const KINDS: readonly CallKind[] = ['create', 'create-stream', 'stream-helper'];

describe('@anthropic-ai/sdk own spans', () => {
  for (const kind of KINDS) {
    it(`${kind}: one SDK span, priced at the published rates, cache write included`, async () => {
      const usage = USAGE_BY_KIND[kind];
      server.configure({ usage });
      const id = await makeCall(client(), kind);
      await settle();

      const spans = await tracing.spans();
      const call = onlySpanNamed(spans, SDK_SPAN);
      expect(call.instrumentationScope.name).toBe(SDK_SCOPE);
      expect(call.attributes['gen_ai.response.id']).toBe(id);
      // The SDK's total-input convention, as recorded.
      expect(call.attributes['gen_ai.usage.input_tokens']).toBe(
        usage.inputTokens +
          (usage.cacheReadTokens ?? 0) +
          (usage.cacheWrite5mTokens ?? 0),
      );
      expect(call.attributes['gen_ai.usage.cache_write.input_tokens']).toBe(
        usage.cacheWrite5mTokens ?? 0,
      );
      const expected = callCost(usage);
      expectPricedSpan(call, expected, { parts: true });
      expectTraceTotal(spans, [call], expected.total);
      expect(tracing.sink.records).toHaveLength(1);
    });
  }

  it('three calls of each kind inside an application span: each priced once, the application span not at all', async () => {
    const anthropic = client();
    await tracing
      .tracer('weather-app')
      .startActiveSpan('handle-request', async span => {
        try {
          for (const kind of KINDS) {
            server.configure({ usage: USAGE_BY_KIND[kind] });
            await makeCall(anthropic, kind);
          }
        } finally {
          span.end();
        }
      });
    await settle();

    const spans = await tracing.spans();
    const app = onlySpanNamed(spans, 'handle-request');
    const calls = spansNamed(spans, SDK_SPAN);
    expect(calls).toHaveLength(3);
    for (const call of calls) {
      expect(call.parentSpanContext?.spanId).toBe(app.spanContext().spanId);
    }
    expectNoCost(app);
    const total = KINDS.reduce(
      (sum, kind) => sum + callCost(USAGE_BY_KIND[kind]).total,
      0,
    );
    expectTraceTotal(spans, calls, total);
    expect(tracing.sink.records).toHaveLength(3);
  });

  it('no cache at all: input at the base rate, output at the output rate', async () => {
    const usage = { inputTokens: 2500, outputTokens: 600 };
    server.configure({ usage });
    await makeCall(client(), 'create');

    const spans = await tracing.spans();
    const call = onlySpanNamed(spans, SDK_SPAN);
    const expected = callCost(usage);
    // $3/M x 2500 + $15/M x 600 = 0.0075 + 0.009
    expect(expected.total).toBeCloseTo(0.0165, 12);
    expectPricedSpan(call, expected, { parts: true });
  });

  it('a client with openTelemetry: false emits no span, so nothing is priced', async () => {
    const quiet = new Anthropic({
      apiKey: 'test-key',
      baseURL: server.baseURL,
      maxRetries: 0,
      openTelemetry: false,
    });
    await makeCall(quiet, 'create');
    expect(await tracing.spans()).toHaveLength(0);
    expect(tracing.sink.records).toHaveLength(0);
  });
});

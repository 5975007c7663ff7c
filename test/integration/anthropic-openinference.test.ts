/**
 * `@arizeai/openinference-instrumentation-anthropic` 0.2.8 ALONE over
 * `@anthropic-ai/sdk` 1.14, against the fake Anthropic server, priced by
 * `CostSpanProcessor`.
 *
 * "Alone" needs the SDK's own spans off: with a globally registered tracer
 * provider the SDK emits `anthropic.messages.create` too (the stacked setup,
 * `anthropic-stacked.test.ts`). Here the provider is registered and the
 * client is built with `openTelemetry: false`, the SDK's documented switch
 * (or `ANTHROPIC_OPEN_TELEMETRY=false`).
 *
 * OpenInference writes one INTERNAL span `Anthropic Messages` per call:
 * `llm.token_count.prompt` = the TOTAL input (uncached + cache read + cache
 * write), `llm.token_count.prompt_details.cache_read` / `.cache_write` (only
 * when > 0), `llm.token_count.completion`; no response id.
 */
import Anthropic from '@anthropic-ai/sdk';
import { AnthropicInstrumentation } from '@arizeai/openinference-instrumentation-anthropic';
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
} from '../helpers/cost-assertions.js';
import { startFakeAnthropicServer } from '../helpers/fake-anthropic-server.js';
import type { FakeAnthropicServer } from '../helpers/fake-anthropic-server.js';
import { onlySpanNamed, setupTracing, spansNamed } from '../helpers/tracing.js';
import type { TestTracing } from '../helpers/tracing.js';
import {
  CACHED_USAGE,
  USAGE_BY_KIND,
  callCost,
  makeCall,
  settle,
  type CallKind,
} from './anthropic-calls.js';

const OI_SPAN = 'Anthropic Messages';

let server: FakeAnthropicServer;
let tracing: TestTracing;
let instrumentation: AnthropicInstrumentation;

beforeAll(async () => {
  server = await startFakeAnthropicServer();
  instrumentation = new AnthropicInstrumentation();
  // The ESM class the tests import: its `Messages.prototype.create` is wrapped.
  instrumentation.manuallyInstrument(Anthropic);
});

afterAll(async () => {
  instrumentation.disable();
  await server.close();
});

beforeEach(() => {
  tracing = setupTracing({ registerGlobally: true });
  instrumentation.setTracerProvider(tracing.provider);
  server.configure({ usage: CACHED_USAGE });
});

afterEach(async () => {
  await tracing.shutdown();
});

function client(): Anthropic {
  return new Anthropic({
    apiKey: 'test-key',
    baseURL: server.baseURL,
    maxRetries: 0,
    openTelemetry: false,
  });
}

const KINDS: readonly CallKind[] = ['create', 'create-stream', 'stream-helper'];

describe('OpenInference Anthropic alone', () => {
  for (const kind of KINDS) {
    it(`${kind}: one OpenInference span, priced once at the published rates`, async () => {
      const usage = USAGE_BY_KIND[kind];
      server.configure({ usage });
      await makeCall(client(), kind);
      await settle();

      const spans = await tracing.spans();
      expect(spans.map(span => span.name)).toEqual([OI_SPAN]);
      const call = onlySpanNamed(spans, OI_SPAN);
      expect(call.attributes['llm.token_count.prompt']).toBe(
        usage.inputTokens +
          (usage.cacheReadTokens ?? 0) +
          (usage.cacheWrite5mTokens ?? 0),
      );
      const expected = callCost(usage);
      expectPricedSpan(call, expected, { parts: true });
      expectTraceTotal(spans, [call], expected.total);
      expect(tracing.sink.records).toHaveLength(1);
    });
  }

  it('three calls inside an application span: priced once each', async () => {
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
    const calls = spansNamed(spans, OI_SPAN);
    expect(calls).toHaveLength(3);
    expectNoCost(onlySpanNamed(spans, 'handle-request'));
    const total = KINDS.reduce(
      (sum, kind) => sum + callCost(USAGE_BY_KIND[kind]).total,
      0,
    );
    expectTraceTotal(spans, calls, total);
    expect(tracing.sink.records).toHaveLength(3);
  });
});

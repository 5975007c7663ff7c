/**
 * STACKED: `@arizeai/openinference-instrumentation-anthropic` 0.2.8 AND the
 * SDK's own spans (`@anthropic-ai/sdk` 1.14, tracer provider registered
 * globally: the usual NodeSDK setup), against the fake Anthropic server.
 * Every call is recorded twice; it must be priced exactly once (issue 16):
 * total = sum over calls of the published per-call price.
 *
 * What the two layers emit (recorded in
 * `test/fixtures/emitters/anthropic/sdk-and-openinference*.json`):
 * - `messages.create` (JSON or `stream: true`): `Anthropic Messages`
 *   (OpenInference) is the PARENT of `anthropic.messages.create` (SDK), same
 *   trace; the parent ENDS FIRST.
 * - `messages.stream()`: the SDK starts its span without making it active,
 *   so the two spans are unrelated: two roots in DIFFERENT traces (or two
 *   siblings under the application span), OpenInference ending first.
 * Both carry the same counts (both totals, cache included); only the SDK's
 * has the response id.
 *
 * The live tests run the real packages; the replay tests feed the recorded
 * spans through `CostSpanProcessor` in their recorded end order.
 */
import Anthropic from '@anthropic-ai/sdk';
import { AnthropicInstrumentation } from '@arizeai/openinference-instrumentation-anthropic';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from 'vitest';
import { CostSpanProcessor } from '../../src/index.js';
import {
  loadRecording,
  replayRecordedSpans,
} from '../fixtures/emitters/load-recorded-spans.js';
import {
  expectUsd,
  pricedSpans,
  totalCost,
} from '../helpers/cost-assertions.js';
import { startFakeAnthropicServer } from '../helpers/fake-anthropic-server.js';
import type {
  FakeAnthropicServer,
  FakeAnthropicUsage,
} from '../helpers/fake-anthropic-server.js';
import { describeSpans, setupTracing, spansNamed } from '../helpers/tracing.js';
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
const SDK_SPAN = 'anthropic.messages.create';

let server: FakeAnthropicServer;
let tracing: TestTracing;
let instrumentation: AnthropicInstrumentation;

beforeAll(async () => {
  server = await startFakeAnthropicServer();
  instrumentation = new AnthropicInstrumentation();
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
  });
}

/** Both layers recorded every call; exactly one span per call is priced, and the total is the published one. */
async function expectPricedOncePerCall(
  usages: readonly FakeAnthropicUsage[],
): Promise<void> {
  const spans = await tracing.spans();
  expect(spansNamed(spans, OI_SPAN)).toHaveLength(usages.length);
  expect(spansNamed(spans, SDK_SPAN)).toHaveLength(usages.length);
  const expected = usages.reduce(
    (sum, usage) => sum + callCost(usage).total,
    0,
  );
  const where = describeSpans(spans);
  expect(pricedSpans(spans).length, where).toBe(usages.length);
  expectUsd(totalCost(spans), expected, `trace total\n${where}`);
}

const KINDS: readonly CallKind[] = ['create', 'create-stream', 'stream-helper'];

describe('OpenInference Anthropic + the SDK own spans, live', () => {
  for (const kind of KINDS) {
    it(`${kind}: recorded twice, priced once`, async () => {
      server.configure({ usage: USAGE_BY_KIND[kind] });
      await makeCall(client(), kind);
      await settle();
      await expectPricedOncePerCall([USAGE_BY_KIND[kind]]);
    });
  }

  it('three identical create calls as roots: total = 3 x the per-call price', async () => {
    const anthropic = client();
    for (let i = 0; i < 3; i += 1) await makeCall(anthropic, 'create');
    await settle();
    await expectPricedOncePerCall([CACHED_USAGE, CACHED_USAGE, CACHED_USAGE]);
  });

  it('three identical stream() calls as roots (different traces): total = 3 x the per-call price', async () => {
    const anthropic = client();
    for (let i = 0; i < 3; i += 1) await makeCall(anthropic, 'stream-helper');
    await settle();
    await expectPricedOncePerCall([CACHED_USAGE, CACHED_USAGE, CACHED_USAGE]);
  });

  it('one call of each kind inside an application span: priced once each', async () => {
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
    await expectPricedOncePerCall(KINDS.map(kind => USAGE_BY_KIND[kind]));
  });
});

interface RecordedCall {
  readonly responseId: string;
  readonly usage: {
    readonly input_tokens: number;
    readonly output_tokens: number;
    readonly cache_read_input_tokens: number;
    readonly cache_creation_input_tokens: number;
  };
}

describe('OpenInference Anthropic + the SDK own spans, recorded spans replayed in end order', () => {
  for (const setup of [
    'sdk-and-openinference',
    'sdk-and-openinference-in-app-span',
  ]) {
    it(`${setup}: 3 calls recorded as 6 spans, priced 3 times`, async () => {
      const recording = loadRecording(
        new URL(
          `../fixtures/emitters/anthropic/${setup}.json`,
          import.meta.url,
        ),
      );
      const calls = recording['calls'] as readonly RecordedCall[];
      const exporter = new InMemorySpanExporter();
      const processor = new CostSpanProcessor({ env: {} });
      await replayRecordedSpans(recording.spans, [
        processor,
        new SimpleSpanProcessor(exporter),
      ]);
      const spans = exporter.getFinishedSpans();
      const expected = calls.reduce(
        (sum, call) =>
          sum +
          callCost({
            inputTokens: call.usage.input_tokens,
            outputTokens: call.usage.output_tokens,
            cacheReadTokens: call.usage.cache_read_input_tokens,
            cacheWrite5mTokens: call.usage.cache_creation_input_tokens,
          }).total,
        0,
      );
      const where = describeSpans(spans);
      expect(pricedSpans(spans).length, where).toBe(calls.length);
      expectUsd(totalCost(spans), expected, `total\n${where}`);
      await processor.shutdown();
    });
  }
});

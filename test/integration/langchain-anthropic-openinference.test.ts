/**
 * STACKED: LangChain.js `ChatAnthropic` (`@langchain/anthropic` 1.5.11, whose
 * nested `@anthropic-ai/sdk` 0.122.0 writes no spans itself) with
 * `@arizeai/openinference-instrumentation-langchain` 4.1.1 AND
 * `@arizeai/openinference-instrumentation-anthropic` 0.2.8
 * (`manuallyInstrument` on that nested SDK's ESM build), against the fake
 * Anthropic server.
 *
 * Each call gives a `ChatAnthropic` span (LangChain: prompt = total, cache
 * read only, streamed output 201) and an `Anthropic Messages` span (cache
 * read and write, output 200), both roots in different traces. Exactly once
 * means one priced span per call, the Anthropic one, at the published price.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AnthropicInstrumentation } from '@arizeai/openinference-instrumentation-anthropic';
import { LangChainInstrumentation } from '@arizeai/openinference-instrumentation-langchain';
import { ChatAnthropic } from '@langchain/anthropic';
import * as CallbackManagerModule from '@langchain/core/callbacks/manager';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from 'vitest';
import { startFakeAnthropicServer } from '../helpers/fake-anthropic-server.js';
import type {
  FakeAnthropicServer,
  FakeAnthropicUsage,
} from '../helpers/fake-anthropic-server.js';
import { CLAUDE_3_5_HAIKU, expectedCost } from '../helpers/prices.js';
import { setupTracing, spansNamed } from '../helpers/tracing.js';
import type { TestTracing } from '../helpers/tracing.js';
import {
  expectPricedOncePerCall,
  expectProcessTotal,
} from './langchain-scenario.js';

const MODEL = 'claude-3-5-haiku-20241022';
const USAGES: readonly FakeAnthropicUsage[] = [
  {
    inputTokens: 1200,
    outputTokens: 350,
    cacheReadTokens: 4000,
    cacheWrite5mTokens: 2000,
  },
  {
    inputTokens: 900,
    outputTokens: 200,
    cacheReadTokens: 300,
    cacheWrite5mTokens: 100,
  },
];
const truth = USAGES.map(
  usage =>
    expectedCost(CLAUDE_3_5_HAIKU, {
      uncachedInput: usage.inputTokens,
      cacheRead: usage.cacheReadTokens ?? 0,
      cacheWrite: usage.cacheWrite5mTokens ?? 0,
      output: usage.outputTokens,
    }).total,
);

const langchain = new LangChainInstrumentation();
let anthropic: AnthropicInstrumentation;
let server: FakeAnthropicServer;
let tracing: TestTracing;

beforeAll(async () => {
  langchain.manuallyInstrument(CallbackManagerModule);
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('@langchain/anthropic/package.json'));
  const url = pathToFileURL(
    join(root, 'node_modules/@anthropic-ai/sdk/index.mjs'),
  );
  anthropic = new AnthropicInstrumentation();
  anthropic.manuallyInstrument((await import(url.href)) as never);
  server = await startFakeAnthropicServer();
});

afterAll(async () => {
  langchain.disable();
  anthropic.disable();
  await server.close();
});

beforeEach(() => {
  tracing = setupTracing();
  langchain.setTracerProvider(tracing.provider);
  anthropic.setTracerProvider(tracing.provider);
});

afterEach(async () => {
  await tracing.shutdown();
});

async function invokeAndStream(): Promise<void> {
  const model = new ChatAnthropic({
    model: MODEL,
    apiKey: 'test-key',
    maxRetries: 0,
    clientOptions: { baseURL: server.baseURL },
  });
  server.configure({ usage: USAGES[0] as FakeAnthropicUsage });
  await model.invoke('Weather in Paris?');
  server.configure({ usage: USAGES[1] as FakeAnthropicUsage });
  const stream = await model.stream('Weather in Rome?');
  for await (const chunk of stream) void chunk;
}

describe('LangChain.js ChatAnthropic + OpenInference LangChain + OpenInference Anthropic (stacked)', () => {
  it('records each call twice, in different traces', async () => {
    await invokeAndStream();
    const spans = await tracing.spans();
    expect(spansNamed(spans, 'ChatAnthropic')).toHaveLength(2);
    expect(spansNamed(spans, 'Anthropic Messages')).toHaveLength(2);
    for (const span of spans) expect(span.parentSpanContext).toBeUndefined();
  });

  it('prices each call exactly once, at the published price (cache write and stream output from the Anthropic span)', async () => {
    await invokeAndStream();
    const spans = await tracing.spans();
    expectPricedOncePerCall(spans, truth);
    expectProcessTotal(tracing, truth);
  });
});

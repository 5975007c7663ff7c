/**
 * STACKED: LangChain.js with `@arizeai/openinference-instrumentation-langchain`
 * 4.1.1 AND the OpenAI client instrumentation
 * `@opentelemetry/instrumentation-openai` 0.21.0 (patching the `openai` copy
 * ChatOpenAI uses), against the fake OpenAI server.
 *
 * Each model call is recorded twice: a `ChatOpenAI` span (OpenInference, in
 * the chain's trace, with cache and reasoning detail, no response id) and a
 * `chat gpt-4o-mini` CLIENT span (contrib, in A TRACE OF ITS OWN, with
 * `gen_ai.response.id` but no cache detail). The client span ends first.
 * Exactly once means one priced span per call, the better-informed one
 * (OpenInference's), so the totals equal the true cost with the cache
 * discount. Fails until the stacked-instrumentation selection lands (today
 * both are priced: 8 priced spans for 4 calls).
 */
import { LangChainInstrumentation } from '@arizeai/openinference-instrumentation-langchain';
import * as CallbackManagerModule from '@langchain/core/callbacks/manager';
import { metrics } from '@opentelemetry/api';
import { OpenAIInstrumentation } from '@opentelemetry/instrumentation-openai';
import { ChatOpenAI } from '@langchain/openai';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from 'vitest';
import { costOf } from '../helpers/cost-assertions.js';
import { startFakeOpenAIServer } from '../helpers/fake-openai-server.js';
import type {
  FakeChatUsage,
  FakeOpenAIServer,
} from '../helpers/fake-openai-server.js';
import { setupTracing, spansNamed } from '../helpers/tracing.js';
import type { TestTracing } from '../helpers/tracing.js';
import {
  CALL_USAGES,
  MODEL,
  expectPricedOncePerCall,
  expectProcessTotal,
  nestedOpenAI,
  runLangChainScenario,
  trueCost,
} from './langchain-scenario.js';

const langchain = new LangChainInstrumentation();
const client = new OpenAIInstrumentation();
let server: FakeOpenAIServer;
let tracing: TestTracing;

beforeAll(async () => {
  langchain.manuallyInstrument(CallbackManagerModule);
  // contrib 0.21.0 needs a meter provider set after construction (see
  // test/helpers/openai-instrumentation.ts).
  client.setMeterProvider(metrics.getMeterProvider());
  const openai = await nestedOpenAI();
  for (const definition of client.getModuleDefinitions()) {
    definition.patch?.(openai);
  }
  server = await startFakeOpenAIServer();
});

afterAll(async () => {
  langchain.disable();
  client.disable();
  await server.close();
});

beforeEach(() => {
  tracing = setupTracing();
  langchain.setTracerProvider(tracing.provider);
  client.setTracerProvider(tracing.provider);
});

afterEach(async () => {
  await tracing.shutdown();
});

describe('LangChain.js + OpenInference LangChain + OpenAI client instrumentation (stacked)', () => {
  it('records each call twice, in different traces (the shape the selection must handle)', async () => {
    await runLangChainScenario(server);
    const spans = await tracing.spans();
    const framework = spansNamed(spans, 'ChatOpenAI');
    const clientSpans = spansNamed(spans, 'chat gpt-4o-mini');
    expect(framework).toHaveLength(4);
    expect(clientSpans).toHaveLength(4);
    const frameworkTraces = new Set(
      framework.map(span => span.spanContext().traceId),
    );
    for (const span of clientSpans) {
      expect(span.parentSpanContext).toBeUndefined();
      expect(frameworkTraces.has(span.spanContext().traceId)).toBe(false);
      expect(span.attributes['gen_ai.response.id']).toMatch(/^chatcmpl-/);
    }
  });

  it('prices each call exactly once, with the cache detail of the LangChain span', async () => {
    await runLangChainScenario(server);
    const spans = await tracing.spans();
    expectPricedOncePerCall(spans, CALL_USAGES.map(trueCost));
    expectProcessTotal(tracing, CALL_USAGES.map(trueCost));
    for (const span of spansNamed(spans, 'ChatOpenAI')) {
      expect(costOf(span), 'the better-informed span is priced').toBeDefined();
    }
  });

  it('3 identical concurrent calls: priced 3 times, not 6 and not 1', async () => {
    const usage = CALL_USAGES[0] as FakeChatUsage;
    server.configure({ chatUsage: usage });
    const model = new ChatOpenAI({
      model: MODEL,
      apiKey: 'test-key',
      maxRetries: 0,
      configuration: { baseURL: server.baseURL },
    });
    await Promise.all([1, 2, 3].map(() => model.invoke('Weather in Paris?')));
    const spans = await tracing.spans();
    const expected = [trueCost(usage), trueCost(usage), trueCost(usage)];
    expectPricedOncePerCall(spans, expected);
    expectProcessTotal(tracing, expected);
  });
});

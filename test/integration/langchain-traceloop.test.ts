/**
 * LangChain.js (`ChatOpenAI`) instrumented by
 * `@traceloop/instrumentation-langchain` 0.27.0 alone, against the fake
 * OpenAI server. Wired with its `manuallyInstrument({ callbackManagerModule })`
 * (its constructor also patches the CJS module and, asynchronously, the ESM
 * one).
 *
 * Shapes (test/fixtures/emitters/langchain/README.md): one
 * `chat gpt-4o-mini` CLIENT span per model call with `gen_ai.provider.name`
 * (`openai`, from the LangChain class), `gen_ai.request.model`,
 * `gen_ai.response.model`, `gen_ai.usage.input_tokens`/`output_tokens`/
 * `total_tokens`; NO cache or reasoning detail and no response id (the
 * callback reads LangChain's `llmOutput.tokenUsage`, which has none). Chain
 * steps are `workflow <name>` spans (`gen_ai.operation.name=workflow`,
 * `gen_ai.provider.name=langchain`, `traceloop.span.kind=workflow`). EVERY
 * span is a root: the callback handler starts spans without a parent.
 */
import * as CallbackManagerModule from '@langchain/core/callbacks/manager';
import { LangChainInstrumentation } from '@traceloop/instrumentation-langchain';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from 'vitest';
import { COST_SOURCE } from '../helpers/cost-assertions.js';
import { startFakeOpenAIServer } from '../helpers/fake-openai-server.js';
import type { FakeOpenAIServer } from '../helpers/fake-openai-server.js';
import { setupTracing, spansNamed } from '../helpers/tracing.js';
import type { TestTracing } from '../helpers/tracing.js';
import {
  CALL_USAGES,
  costWithoutCacheDetail,
  expectPricedOncePerCall,
  expectProcessTotal,
  runLangChainScenario,
} from './langchain-scenario.js';

const instrumentation = new LangChainInstrumentation();
let server: FakeOpenAIServer;
let tracing: TestTracing;

beforeAll(async () => {
  instrumentation.manuallyInstrument({
    callbackManagerModule: CallbackManagerModule,
  });
  server = await startFakeOpenAIServer();
});

afterAll(async () => {
  instrumentation.disable();
  await server.close();
});

beforeEach(() => {
  tracing = setupTracing();
  instrumentation.setTracerProvider(tracing.provider);
});

afterEach(async () => {
  await tracing.shutdown();
});

describe('LangChain.js + Traceloop LangChain instrumentation (alone)', () => {
  it('each call priced once, from the usage the span carries (no cache detail on these spans)', async () => {
    await runLangChainScenario(server);
    const spans = await tracing.spans();
    const calls = spansNamed(spans, 'chat gpt-4o-mini');
    expect(calls).toHaveLength(4);
    for (const span of spans) expect(span.parentSpanContext).toBeUndefined();
    expect(
      calls.some(
        span => 'gen_ai.usage.cache_read.input_tokens' in span.attributes,
      ),
    ).toBe(false);
    // The emitter drops the cache detail: every prompt token bills at the
    // input rate. That is the best the span allows, not the true cost.
    expectPricedOncePerCall(spans, CALL_USAGES.map(costWithoutCacheDetail));
    expectProcessTotal(tracing, CALL_USAGES.map(costWithoutCacheDetail));
  });

  it('workflow spans (chain steps) are wrappers: no cost record, not "unpriced"', async () => {
    await runLangChainScenario(server);
    const spans = await tracing.spans();
    const workflows = spansNamed(spans, /^workflow /);
    expect(workflows.length).toBeGreaterThan(0);
    for (const span of workflows) {
      expect(span.attributes[COST_SOURCE], span.name).toBeUndefined();
    }
    expect(tracing.sink.records).toHaveLength(4);
  });
});

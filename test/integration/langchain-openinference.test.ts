/**
 * LangChain.js (`ChatOpenAI` from `@langchain/openai` 1.5.0) instrumented by
 * `@arizeai/openinference-instrumentation-langchain` 4.1.1 alone, against
 * the fake OpenAI server. Wired as its README documents for ESM:
 * `manuallyInstrument(CallbackManagerModule)`.
 *
 * Shapes (see test/fixtures/emitters/langchain/README.md): one `ChatOpenAI`
 * span (INTERNAL, `openinference.span.kind=LLM`) per model call with
 * `llm.model_name`, `llm.token_count.prompt` (cache included),
 * `.completion` (reasoning included), `.prompt_details.cache_read`,
 * `.completion_details.reasoning`; no `llm.provider`/`llm.system` and no
 * response id. Chain, prompt, lambda and parser spans are CHAIN/PROMPT
 * wrappers.
 */
import { LangChainInstrumentation } from '@arizeai/openinference-instrumentation-langchain';
import * as CallbackManagerModule from '@langchain/core/callbacks/manager';
import { ChatOpenAI } from '@langchain/openai';
import fc from 'fast-check';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from 'vitest';
import { expectNoCost, expectPricedSpan } from '../helpers/cost-assertions.js';
import { startFakeOpenAIServer } from '../helpers/fake-openai-server.js';
import type { FakeOpenAIServer } from '../helpers/fake-openai-server.js';
import { setupTracing, spansNamed } from '../helpers/tracing.js';
import type { TestTracing } from '../helpers/tracing.js';
import {
  CALL_USAGES,
  MODEL,
  expectPricedOncePerCall,
  expectProcessTotal,
  runLangChainScenario,
  trueCost,
} from './langchain-scenario.js';

const instrumentation = new LangChainInstrumentation();
let server: FakeOpenAIServer;
let tracing: TestTracing;

beforeAll(async () => {
  instrumentation.manuallyInstrument(CallbackManagerModule);
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

describe('LangChain.js + OpenInference LangChain instrumentation (alone)', () => {
  it('invoke, stream and a 2-call chain: each call priced once, with its cache read and reasoning', async () => {
    await runLangChainScenario(server);
    const spans = await tracing.spans();
    const llm = spansNamed(spans, 'ChatOpenAI');
    expect(llm).toHaveLength(4);
    expectPricedOncePerCall(spans, CALL_USAGES.map(trueCost));
    const first = llm.find(
      span => span.attributes['llm.token_count.prompt'] === 1000,
    );
    expect(first?.attributes['llm.token_count.prompt_details.cache_read']).toBe(
      600,
    );
    if (first === undefined) throw new Error('no span for the first call');
    // 400 uncached x $0.15/M + 600 cached x $0.075/M + 300 output x $0.60/M
    expectPricedSpan(first, 0.000285);
    for (const span of spans) {
      if (span.attributes['openinference.span.kind'] !== 'LLM') {
        expectNoCost(span);
      }
    }
    expectProcessTotal(tracing, CALL_USAGES.map(trueCost));
  });

  it('generated usage (cached <= prompt, reasoning <= completion): one invoke, priced once at the published price', async () => {
    const usage = fc
      .record({
        promptTokens: fc.integer({ min: 0, max: 2_000_000 }),
        completionTokens: fc.integer({ min: 0, max: 200_000 }),
        cachedShare: fc.double({ min: 0, max: 1, noNaN: true }),
        reasoningShare: fc.double({ min: 0, max: 1, noNaN: true }),
      })
      .map(u => ({
        promptTokens: u.promptTokens,
        completionTokens: u.completionTokens,
        cachedTokens: Math.floor(u.promptTokens * u.cachedShare),
        reasoningTokens: Math.floor(u.completionTokens * u.reasoningShare),
      }));
    const model = new ChatOpenAI({
      model: MODEL,
      apiKey: 'test-key',
      maxRetries: 0,
      configuration: { baseURL: server.baseURL },
    });
    await fc.assert(
      fc.asyncProperty(usage, async chatUsage => {
        const run = setupTracing();
        instrumentation.setTracerProvider(run.provider);
        try {
          server.configure({ chatUsage });
          await model.invoke('Weather in Paris?');
          expectPricedOncePerCall(await run.spans(), [trueCost(chatUsage)]);
        } finally {
          await run.shutdown();
        }
      }),
      { numRuns: 15 },
    );
  });
});

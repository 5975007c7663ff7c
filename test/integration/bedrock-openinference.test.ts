/**
 * Bedrock Runtime instrumented by
 * `@arizeai/openinference-instrumentation-bedrock` 0.5.1 alone
 * (`manuallyInstrument` on the CJS client), against the fake Bedrock server.
 *
 * Shapes (test/fixtures/emitters/bedrock/README.md): one INTERNAL span per
 * call, `bedrock.converse` or `bedrock.invoke_model`, with
 * `openinference.span.kind=LLM`, `llm.provider=aws`, `llm.system`
 * (`anthropic`, `amazon`), `llm.model_name` WITHOUT the vendor prefix and
 * version suffix (`claude-3-5-haiku-20241022`, `nova-lite-v1:0`),
 * `llm.token_count.prompt`/`completion`/`total`. The counts are copied from
 * Bedrock as they are: `prompt` EXCLUDES the cache (Bedrock's and
 * Anthropic's convention, not OpenInference's). InvokeModel adds
 * `llm.token_count.prompt_details.cache_read`/`cache_write`; Converse and
 * ConverseStream (also named `bedrock.converse`) do not (the cache tokens only show in `llm.token_count.total`).
 *
 * The expectations are the published Bedrock prices applied to what the
 * span can tell; the tests that fail today name the reading they need.
 */
import { BedrockInstrumentation } from '@arizeai/openinference-instrumentation-bedrock';
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
import { startFakeBedrockServer } from '../helpers/fake-bedrock-server.js';
import type { FakeBedrockServer } from '../helpers/fake-bedrock-server.js';
import { setupTracing } from '../helpers/tracing.js';
import type { TestTracing } from '../helpers/tracing.js';
import {
  BEDROCK_CALLS,
  bedrockUsage,
  CLAUDE,
  NOVA,
  bedrockCostWithoutCache,
  loadBedrockRuntime,
  runBedrockScenario,
  trueBedrockCost,
} from './bedrock-scenario.js';
import type { BedrockCall, BedrockModule } from './bedrock-scenario.js';
import {
  expectPricedOncePerCall,
  expectProcessTotal,
} from './langchain-scenario.js';

let instrumentation: BedrockInstrumentation;
let bedrock: BedrockModule;
let server: FakeBedrockServer;
let tracing: TestTracing;

beforeAll(async () => {
  bedrock = loadBedrockRuntime();
  // Constructed here, after the client is loaded: constructed at module
  // load, it wrote every call twice (two root spans) in this test runner.
  instrumentation = new BedrockInstrumentation();
  instrumentation.manuallyInstrument(bedrock);
  server = await startFakeBedrockServer();
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

const pick = (
  predicate: (call: BedrockCall) => boolean,
): readonly BedrockCall[] => BEDROCK_CALLS.filter(predicate);

describe('Bedrock Runtime + OpenInference Bedrock instrumentation (alone)', () => {
  it('Claude InvokeModel: priced once with its cache read and write, the prompt count read as excluding the cache', async () => {
    const calls = pick(c => c.modelId === CLAUDE && c.operation === 'invoke');
    await runBedrockScenario(bedrock, server, calls);
    const spans = await tracing.spans();
    expect(spans.map(span => span.name)).toEqual([
      'bedrock.invoke_model',
      'bedrock.invoke_model',
    ]);
    expectPricedOncePerCall(spans, calls.map(trueBedrockCost));
  });

  it('Claude Converse and ConverseStream: priced once from prompt and completion (the spans have no cache counts)', async () => {
    const calls = pick(c => c.modelId === CLAUDE && c.operation !== 'invoke');
    await runBedrockScenario(bedrock, server, calls);
    const spans = await tracing.spans();
    expect(spans.map(span => span.attributes['llm.token_count.total'])).toEqual(
      [3800, 2650],
    );
    expectPricedOncePerCall(spans, calls.map(bedrockCostWithoutCache));
  });

  it('Nova (llm.model_name without the amazon. prefix): Converse and InvokeModel priced once', async () => {
    const calls = pick(c => c.modelId === NOVA);
    await runBedrockScenario(bedrock, server, calls);
    const spans = await tracing.spans();
    expect(spans.map(span => span.attributes['llm.model_name'])).toEqual([
      'nova-lite-v1:0',
      'nova-lite-v1:0',
    ]);
    // Converse: no cache counts on the span; InvokeModel: cache read on it.
    expectPricedOncePerCall(spans, [
      bedrockCostWithoutCache(calls[0] as BedrockCall),
      trueBedrockCost(calls[1] as BedrockCall),
    ]);
  });

  it('the whole scenario: 6 calls, 6 priced records', async () => {
    await runBedrockScenario(bedrock, server);
    const expected = BEDROCK_CALLS.map(call =>
      call.operation !== 'invoke'
        ? bedrockCostWithoutCache(call)
        : trueBedrockCost(call),
    );
    expectProcessTotal(tracing, expected);
  });

  it('generated usage, Claude InvokeModel (cache reads and writes above or below the input): priced once at the published price', async () => {
    await fc.assert(
      fc.asyncProperty(bedrockUsage, async usage => {
        const run = setupTracing();
        instrumentation.setTracerProvider(run.provider);
        try {
          const call: BedrockCall = {
            operation: 'invoke',
            modelId: CLAUDE,
            usage,
          };
          await runBedrockScenario(bedrock, server, [call]);
          expectPricedOncePerCall(await run.spans(), [trueBedrockCost(call)]);
        } finally {
          await run.shutdown();
        }
      }),
      { numRuns: 15 },
    );
  });
});

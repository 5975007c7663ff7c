/**
 * Bedrock Runtime (`@aws-sdk/client-bedrock-runtime` 3.1164.0) instrumented
 * by `@opentelemetry/instrumentation-aws-sdk` 0.78.0 alone (registered
 * before the client is required), against the fake Bedrock server.
 *
 * It does write GenAI attributes for Bedrock Runtime: one CLIENT span per
 * call, `chat <modelId>` for Converse and `BedrockRuntime.InvokeModel` for
 * InvokeModel, with `gen_ai.system=aws.bedrock`, `gen_ai.request.model` (the
 * full model id), `gen_ai.usage.input_tokens`/`output_tokens` (Bedrock's
 * `inputTokens`, which excludes the cache) and `aws.request.id`; NO cache
 * counts and no `gen_ai.operation.name` on InvokeModel. (For Cohere and
 * Mistral bodies it estimates tokens from text length; not used here.)
 */
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { AwsInstrumentation } from '@opentelemetry/instrumentation-aws-sdk';
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
  CLAUDE,
  NOVA,
  bedrockUsage,
  bedrockCostWithoutCache,
  loadBedrockRuntime,
  runBedrockScenario,
} from './bedrock-scenario.js';
import type { BedrockCall, BedrockModule } from './bedrock-scenario.js';
import {
  expectPricedOncePerCall,
  expectProcessTotal,
} from './langchain-scenario.js';

const instrumentation = new AwsInstrumentation();
let unregister: () => void;
let bedrock: BedrockModule;
let server: FakeBedrockServer;
let tracing: TestTracing;

beforeAll(async () => {
  unregister = registerInstrumentations({
    instrumentations: [instrumentation],
  });
  bedrock = loadBedrockRuntime();
  server = await startFakeBedrockServer();
});

afterAll(async () => {
  unregister();
  await server.close();
});

beforeEach(() => {
  tracing = setupTracing();
  instrumentation.setTracerProvider(tracing.provider);
});

afterEach(async () => {
  await tracing.shutdown();
});

describe('Bedrock Runtime + @opentelemetry/instrumentation-aws-sdk (alone)', () => {
  it('Converse and InvokeModel, Claude and Nova: each call priced once from the input and output on the span', async () => {
    await runBedrockScenario(bedrock, server);
    const spans = await tracing.spans();
    expect(spans).toHaveLength(BEDROCK_CALLS.length);
    for (const span of spans) {
      expect(span.attributes['gen_ai.system']).toBe('aws.bedrock');
      expect(
        Object.keys(span.attributes).filter(key =>
          /^gen_ai\.usage\..*cache/.test(key),
        ),
        'this emitter writes no cache counts',
      ).toEqual([]);
    }
    expectPricedOncePerCall(spans, BEDROCK_CALLS.map(bedrockCostWithoutCache));
    expectProcessTotal(tracing, BEDROCK_CALLS.map(bedrockCostWithoutCache));
  });

  it('generated usage, any of the four call kinds: priced once from input and output', async () => {
    await fc.assert(
      fc.asyncProperty(
        bedrockUsage,
        fc.constantFrom(CLAUDE, NOVA),
        fc.constantFrom(
          'converse' as const,
          'converse-stream' as const,
          'invoke' as const,
        ),
        async (usage, modelId, operation) => {
          const run = setupTracing();
          instrumentation.setTracerProvider(run.provider);
          try {
            const call: BedrockCall = { operation, modelId, usage };
            await runBedrockScenario(bedrock, server, [call]);
            expectPricedOncePerCall(await run.spans(), [
              bedrockCostWithoutCache(call),
            ]);
          } finally {
            await run.shutdown();
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});

/**
 * Bedrock Runtime instrumented by `@traceloop/instrumentation-bedrock` 0.27.0
 * alone (`manuallyInstrument` on the CJS client), against the fake Bedrock
 * server.
 *
 * Shapes (test/fixtures/emitters/bedrock/README.md): one CLIENT span per
 * call. InvokeModel: `chat <model>` with `gen_ai.provider.name=aws.bedrock`,
 * `gen_ai.request.model`/`response.model` WITHOUT the vendor prefix
 * (`claude-3-5-haiku-20241022-v1:0`, `nova-lite-v1:0`),
 * `gen_ai.usage.input_tokens`/`output_tokens`/`total_tokens`, no cache
 * counts, no response id. Converse and ConverseStream: a `bedrock.completion` span with the
 * provider and request model only: it reads usage from an InvokeModel
 * `body`, which Converse responses do not have, so NO usage at all.
 */
import { BedrockInstrumentation } from '@traceloop/instrumentation-bedrock';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from 'vitest';
import { expectUnpricedSpan } from '../helpers/cost-assertions.js';
import { startFakeBedrockServer } from '../helpers/fake-bedrock-server.js';
import type { FakeBedrockServer } from '../helpers/fake-bedrock-server.js';
import { setupTracing } from '../helpers/tracing.js';
import type { TestTracing } from '../helpers/tracing.js';
import {
  BEDROCK_CALLS,
  CLAUDE,
  NOVA,
  bedrockCostWithoutCache,
  loadBedrockRuntime,
  runBedrockScenario,
} from './bedrock-scenario.js';
import type { BedrockModule } from './bedrock-scenario.js';
import { expectPricedOncePerCall } from './langchain-scenario.js';

let instrumentation: BedrockInstrumentation;
let bedrock: BedrockModule;
let server: FakeBedrockServer;
let tracing: TestTracing;

beforeAll(async () => {
  bedrock = loadBedrockRuntime();
  instrumentation = new BedrockInstrumentation();
  instrumentation.manuallyInstrument(bedrock as never);
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

describe('Bedrock Runtime + Traceloop Bedrock instrumentation (alone)', () => {
  it('Claude InvokeModel: priced once from input and output (no cache counts on the span)', async () => {
    const calls = BEDROCK_CALLS.filter(
      c => c.modelId === CLAUDE && c.operation === 'invoke',
    );
    await runBedrockScenario(bedrock, server, calls);
    const spans = await tracing.spans();
    expectPricedOncePerCall(spans, calls.map(bedrockCostWithoutCache));
  });

  it('Converse and ConverseStream: the span carries no usage, so the call is unpriced (missing_usage), never priced at 0', async () => {
    const calls = BEDROCK_CALLS.filter(c => c.operation !== 'invoke');
    await runBedrockScenario(bedrock, server, calls);
    const spans = await tracing.spans();
    expect(spans.map(span => span.name)).toEqual([
      'bedrock.completion',
      'bedrock.completion',
      'bedrock.completion',
    ]);
    for (const span of spans) expectUnpricedSpan(span, 'missing_usage');
  });

  it('Nova InvokeModel (model id without the amazon. prefix): priced once', async () => {
    const calls = BEDROCK_CALLS.filter(
      c => c.modelId === NOVA && c.operation === 'invoke',
    );
    await runBedrockScenario(bedrock, server, calls);
    const spans = await tracing.spans();
    expect(spans[0]?.attributes['gen_ai.request.model']).toBe('nova-lite-v1:0');
    expectPricedOncePerCall(spans, calls.map(bedrockCostWithoutCache));
  });
});

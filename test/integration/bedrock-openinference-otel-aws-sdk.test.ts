/**
 * STACKED: Bedrock Runtime with `@arizeai/openinference-instrumentation-bedrock`
 * 0.5.1 AND `@opentelemetry/instrumentation-aws-sdk` 0.78.0 (the latter is
 * part of `@opentelemetry/auto-instrumentations-node`, so OpenInference
 * users running the auto-instrumentations get both), against the fake
 * Bedrock server.
 *
 * Each call is recorded twice, both client-level, in DIFFERENT traces (the
 * OpenInference wrapper does not make its span active around the SDK call):
 * OpenInference's `bedrock.converse`/`bedrock.invoke_model` (INTERNAL, cache
 * counts on InvokeModel) and the aws-sdk's `chat <modelId>` /
 * `BedrockRuntime.InvokeModel` (CLIENT, input/output only, `aws.request.id`).
 * The aws-sdk span ends first. Exactly once means one priced span per call,
 * the better-informed one: OpenInference's for InvokeModel (cache counts),
 * either for Converse (neither has cache counts). Fails until the
 * stacked-instrumentation selection lands, and for the Claude call whose
 * cache is smaller than its input and the Nova calls until OpenInference's
 * Bedrock counts are read with Bedrock's convention and its model names
 * get their vendor prefix back.
 */
import type { BedrockInstrumentation } from '@arizeai/openinference-instrumentation-bedrock';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { AwsInstrumentation } from '@opentelemetry/instrumentation-aws-sdk';
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
  bedrockCostWithoutCache,
  loadBedrockRuntime,
  runBedrockScenario,
  trueBedrockCost,
} from './bedrock-scenario.js';
import type { BedrockModule } from './bedrock-scenario.js';
import {
  expectPricedOncePerCall,
  expectProcessTotal,
} from './langchain-scenario.js';

const aws = new AwsInstrumentation();
let openinference: BedrockInstrumentation;
let unregister: () => void;
let bedrock: BedrockModule;
let server: FakeBedrockServer;
let tracing: TestTracing;

beforeAll(async () => {
  // The aws-sdk hook must be in place before anything requires the client;
  // the OpenInference package requires it at import, hence the await import.
  unregister = registerInstrumentations({ instrumentations: [aws] });
  bedrock = loadBedrockRuntime();
  const module = await import('@arizeai/openinference-instrumentation-bedrock');
  openinference = new module.BedrockInstrumentation();
  openinference.manuallyInstrument(bedrock);
  server = await startFakeBedrockServer();
});

afterAll(async () => {
  openinference.disable();
  unregister();
  await server.close();
});

beforeEach(() => {
  tracing = setupTracing();
  aws.setTracerProvider(tracing.provider);
  openinference.setTracerProvider(tracing.provider);
});

afterEach(async () => {
  await tracing.shutdown();
});

const expectedPerCall = BEDROCK_CALLS.map(call =>
  call.operation !== 'invoke'
    ? bedrockCostWithoutCache(call)
    : trueBedrockCost(call),
);

describe('Bedrock Runtime + OpenInference Bedrock + instrumentation-aws-sdk (stacked)', () => {
  it('records each call twice, in different traces (the shape the selection must handle)', async () => {
    await runBedrockScenario(bedrock, server);
    const spans = await tracing.spans();
    expect(spans).toHaveLength(2 * BEDROCK_CALLS.length);
    const scopes = new Set(spans.map(span => span.instrumentationScope.name));
    expect(scopes).toEqual(
      new Set([
        '@arizeai/openinference-instrumentation-bedrock',
        '@opentelemetry/instrumentation-aws-sdk',
      ]),
    );
    for (const span of spans) expect(span.parentSpanContext).toBeUndefined();
    expect(new Set(spans.map(span => span.spanContext().traceId)).size).toBe(
      spans.length,
    );
  });

  it('prices each call exactly once, from the better-informed span', async () => {
    await runBedrockScenario(bedrock, server);
    const spans = await tracing.spans();
    expectPricedOncePerCall(spans, expectedPerCall);
    expectProcessTotal(tracing, expectedPerCall);
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { run } from '../../examples/node-sdk-openai/main.js';
import { expectUsd } from '../helpers/cost-assertions.js';
import {
  startFakeOpenAIServer,
  type FakeOpenAIServer,
} from '../helpers/fake-openai-server.js';
import { GPT_4O_MINI, expectedCost } from '../helpers/prices.js';
import {
  CollectingReader,
  pointsByMetric,
  total,
} from '../metrics/collecting-reader.js';
import { KeepingExporter } from './keeping-exporter.js';

let fake: FakeOpenAIServer;
beforeAll(async () => {
  fake = await startFakeOpenAIServer({
    chatUsage: { promptTokens: 1200, completionTokens: 300 },
  });
});
afterAll(() => fake.close());

it('NodeSDK + instrumentation-openai: the chat span carries its cost, and the cost counter counts it', async () => {
  const exporter = new KeepingExporter();
  const reader = new CollectingReader();
  let collected: Awaited<ReturnType<CollectingReader['collect']>> | undefined;
  // Collect just before NodeSDK shuts the reader down.
  const onShutdown = reader.shutdown.bind(reader);
  reader.shutdown = async () => {
    collected = await reader.collect();
    return onShutdown();
  };
  const answer = await run({
    baseURL: fake.baseURL,
    apiKey: 'test',
    exporter,
    metricReader: reader,
  });
  expect(answer).toBe('The weather in Paris is sunny.');

  const spans = exporter.llmCalls();
  expect(spans).toHaveLength(1);
  const [span] = spans;
  expect(span?.name).toBe('chat gpt-4o-mini');
  // instrumentation-openai 0.21 writes no cached-token attribute, so the
  // example keeps to uncached input (see test/integration/openai-contrib).
  const expected = expectedCost(GPT_4O_MINI, {
    uncachedInput: 1200,
    output: 300,
  });
  expectUsd(span?.attributes['gen_ai.usage.cost'], expected.total);

  if (collected === undefined) throw new Error('no metrics collected');
  const points = pointsByMetric(collected);
  expectUsd(
    total(points.get('gen_ai.client.cost')),
    expected.total,
    'gen_ai.client.cost',
  );
  expect(total(points.get('gen_ai.client.cost.calls'))).toBe(1);
  // The instrumentation's own semconv histogram shares the MeterProvider.
  expect(points.has('gen_ai.client.token.usage')).toBe(true);
});

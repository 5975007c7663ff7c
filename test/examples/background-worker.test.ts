import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { run } from '../../examples/background-worker/main.js';
import { expectUsd } from '../helpers/cost-assertions.js';
import {
  startFakeOpenAIServer,
  type FakeOpenAIServer,
} from '../helpers/fake-openai-server.js';
import { GPT_4O_MINI, expectedCost } from '../helpers/prices.js';
import { resetGlobals } from './globals.js';
import { KeepingExporter } from './keeping-exporter.js';

let fake: FakeOpenAIServer;
beforeAll(async () => {
  fake = await startFakeOpenAIServer({
    chatUsage: { promptTokens: 1000, completionTokens: 200, cachedTokens: 600 },
    responseModel: 'echo-dated',
  });
});
afterAll(() => fake.close());
afterEach(resetGlobals);

it('records each raw-HTTP call with recordLlmCall, billed to the user who enqueued the job', async () => {
  const exporter = new KeepingExporter();
  expect(await run({ baseURL: fake.baseURL, apiKey: 'test', exporter })).toBe(
    2,
  );
  expect(fake.requests.map(request => request.path)).toEqual([
    '/v1/chat/completions',
    '/v1/chat/completions',
  ]);

  const calls = exporter.llmCalls();
  expect(
    calls.map(span => [
      span.attributes['user.id'],
      span.attributes['tenant.id'],
      span.attributes['app.feature'],
    ]),
  ).toEqual([
    ['user-1', 'acme', 'nightly-digest'],
    ['user-2', 'globex', 'nightly-digest'],
  ]);
  // 400 uncached + 600 cached input, 200 output: manual recording keeps the
  // cache split that the API reported.
  const expected = expectedCost(GPT_4O_MINI, {
    uncachedInput: 400,
    cacheRead: 600,
    output: 200,
  });
  for (const span of calls) {
    expectUsd(span.attributes['gen_ai.usage.cost'], expected.total);
    expect(span.attributes['gen_ai.response.model']).toBe(
      'gpt-4o-mini-2024-07-18',
    );
    expect(span.attributes['gen_ai.cost.attribution.source']).toBe('manual');
  }
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  run,
  type RunningApp,
} from '../../examples/express-attribution/main.js';
import { expectUsd } from '../helpers/cost-assertions.js';
import {
  startFakeOpenAIServer,
  type FakeOpenAIServer,
} from '../helpers/fake-openai-server.js';
import { GPT_4O_MINI, expectedCost } from '../helpers/prices.js';
import { KeepingExporter } from './keeping-exporter.js';

let fake: FakeOpenAIServer;
let app: RunningApp;
const exporter = new KeepingExporter();

beforeAll(async () => {
  fake = await startFakeOpenAIServer({
    chatUsage: { promptTokens: 800, completionTokens: 120 },
  });
  app = await run({
    openaiBaseURL: fake.baseURL,
    apiKey: 'test',
    port: 0,
    exporter,
  });
});
afterAll(async () => {
  await app.close();
  await fake.close();
});

async function summarize(
  headers: Record<string, string>,
  text = 'The printer is on fire.',
): Promise<Response> {
  return fetch(`${app.url}/summarize`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ text }),
  });
}

it('bills each request’s OpenAI call to its user and tenant, and counts it by bounded tenant', async () => {
  const first = await summarize({
    'x-user-id': 'u-1',
    'x-tenant-id': 'acme',
    'x-plan': 'pro',
  });
  expect(first.status).toBe(200);
  expect(await first.json()).toEqual({
    summary: 'The weather in Paris is sunny.',
  });
  expect(
    (
      await summarize({
        'x-user-id': 'u-2',
        'x-tenant-id': 'small-shop',
        'x-plan': 'free',
      })
    ).status,
  ).toBe(200);
  expect((await summarize({})).status).toBe(200); // anonymous: unattributed, still counted
  expect((await summarize({ 'x-user-id': 'u-1' }, '')).status).toBe(400);

  const metrics = await (await fetch(`${app.url}/metrics`)).text();
  const perCall = expectedCost(GPT_4O_MINI, {
    uncachedInput: 800,
    output: 120,
  }).total;
  const costLine = (tenant: string, plan: string) =>
    new RegExp(
      `gen_ai_client_cost_total\\{[^}]*plan="${plan}",tenant="${tenant}"[^}]*\\} ([0-9.e-]+)`,
    );
  for (const [tenant, plan] of [
    ['acme', 'pro'],
    ['other', 'free'],
    ['none', 'none'],
  ] as const) {
    const match = costLine(tenant, plan).exec(metrics);
    expect(match, `${tenant}/${plan} in\n${metrics}`).not.toBeNull();
    expectUsd(Number(match?.[1]), perCall, `${tenant} cost`);
  }
  expect(metrics).not.toContain('small-shop');
  expect(metrics).not.toContain('u-1');

  await app.close(); // flushes the batch span processor (afterAll's close is a no-op)
  const calls = exporter.llmCalls();
  expect(calls).toHaveLength(3);
  expect(calls.map(span => span.attributes['user.id'])).toEqual([
    'u-1',
    'u-2',
    undefined,
  ]);
  expect(calls.map(span => span.attributes['tenant.id'])).toEqual([
    'acme',
    'small-shop',
    undefined,
  ]);
  for (const span of calls)
    expectUsd(span.attributes['gen_ai.usage.cost'], perCall);
});

/**
 * examples/budgets-express, started as a user would run it: a user's $1
 * daily budget is spent after three calls of the mock gpt-4o ($0.35 each at
 * OpenAI's published $2.50/M input and $10/M output); the fourth request
 * gets 429 with Retry-After at the next UTC midnight, while another user
 * still gets 200. Alerts fire once per threshold. Run with the memory
 * store, and with a private Redis (REDIS_URL) whose spend a second guard,
 * as another replica would, sees too.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  run,
  type RunningBudgetsApp,
} from '../../../examples/budgets-express/main.js';
import { BudgetGuard } from '../../../src/index.js';
import { resetGlobals } from '../../examples/globals.js';
import { expectUsd } from '../../helpers/cost-assertions.js';
import { expectedCost } from '../../helpers/prices.js';
import {
  redisBinary,
  startRedisServer,
  type RedisServer,
} from '../../helpers/redis-server.js';
import { nextUtcMidnight } from './fake-guard.js';

/** OpenAI pricing page, gpt-4o (Standard): $2.50 input, $10 output per 1M tokens. */
const GPT_4O = { input: 2.5, output: 10 };
const PER_CALL = expectedCost(GPT_4O, {
  uncachedInput: 100_000,
  output: 10_000,
}).total;

let app: RunningBudgetsApp | undefined;
let redis: RedisServer | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  resetGlobals();
  await redis?.remove();
  redis = undefined;
});

async function overBudgetScenario(running: RunningBudgetsApp): Promise<void> {
  const chat = (userId: string, tenantId = 'acme') =>
    fetch(`${running.url}/chat`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-user-id': userId,
        'x-tenant-id': tenantId,
      },
      body: JSON.stringify({ prompt: 'Summarize my inbox.' }),
    });
  expectUsd(PER_CALL, 0.35);
  for (let call = 1; call <= 3; call += 1) {
    const response = await chat('u-heavy');
    expect(response.status, `call ${call}`).toBe(200);
    expect(await response.json()).toEqual({ text: 'Here is your answer.' });
  }
  const spent = (await (
    await fetch(`${running.url}/spent`, { headers: { 'x-user-id': 'u-heavy' } })
  ).json()) as { spentUsd: number };
  expectUsd(spent.spentUsd, 3 * PER_CALL);

  const before = Date.now();
  const refused = await chat('u-heavy');
  const after = Date.now();
  expect(refused.status).toBe(429);
  const retryAfter = Number(refused.headers.get('retry-after'));
  expect(retryAfter).toBeLessThanOrEqual(
    Math.ceil((nextUtcMidnight(before).getTime() - before) / 1000),
  );
  expect(retryAfter).toBeGreaterThanOrEqual(
    Math.ceil((nextUtcMidnight(after).getTime() - after) / 1000),
  );
  expect(await refused.json()).toMatchObject({
    error: 'budget_exceeded',
    scopes: ['user'],
  });
  // The refused request cost nothing.
  expectUsd(
    await running.guard.spent({ scope: 'user', id: 'u-heavy' }),
    3 * PER_CALL,
  );

  expect((await chat('u-light')).status).toBe(200);
  expectUsd(
    await running.guard.spent({ scope: 'tenant', id: 'acme' }),
    4 * PER_CALL,
  );

  // u-heavy crossed 50% on the second call, 80% and 100% on the third: each once.
  await running.guard.forceFlush();
  const fired = running.alerts
    .filter(a => a.id === 'u-heavy')
    .map(a => a.threshold);
  expect(fired.sort()).toEqual([0.5, 0.8, 1]);
  expect(running.alerts.filter(a => a.id === 'u-light')).toEqual([]);
}

describe('examples/budgets-express', () => {
  it('memory store: 429 with Retry-After to a user over the daily budget; another user still gets 200', async () => {
    app = await run({ store: 'memory', port: 0, log: () => undefined });
    await overBudgetScenario(app);
  });

  it.skipIf(redisBinary() === undefined)(
    'Redis store (REDIS_URL): the same, and another replica’s guard sees the spend and refuses too',
    async () => {
      redis = await startRedisServer();
      app = await run({ store: redis!.url, port: 0, log: () => undefined });
      await overBudgetScenario(app);
      const replica = new BudgetGuard({
        store: redis!.url,
        budgets: [{ scope: 'user', limitUsd: 1, window: 'day' }],
      });
      try {
        const check = await replica.check({ userId: 'u-heavy' });
        expect(check.allowed).toBe(false);
        expectUsd(check.exceeded[0]?.spentUsd, 3 * PER_CALL);
        expect((await replica.check({ userId: 'u-light' })).allowed).toBe(true);
      } finally {
        await replica.shutdown();
      }
    },
  );
});

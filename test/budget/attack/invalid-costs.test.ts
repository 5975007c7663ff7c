/**
 * A record whose cost is no amount (NaN, Infinity, negative) or absurdly
 * large (1e300 USD) must neither switch a budget off nor poison the store:
 * it is counted as unpriced (`invalid_cost`) and charged `unpricedCallUsd`,
 * and the real calls around it are counted exactly (gpt-4o at $2.50/M
 * input). On Redis, before the fix, "NaN" and "1e+306" made INCRBY fail:
 * the call was buffered and replayed forever, the store reported failing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetGuard, type CostRecord } from '../../../src/index.js';
import {
  redisBinary,
  startRedisServer,
  type RedisServer,
} from '../../helpers/redis-server.js';
import { gpt4oMicros, gpt4oRecord } from '../budget-records.js';

const BAD_COSTS = [NaN, Infinity, -Infinity, -1, -0.000001] as const;

function withCost(record: CostRecord, totalUsd: number): CostRecord {
  return {
    ...record,
    cost: { ...record.cost, totalUsd } as CostRecord['cost'],
  };
}

async function attack(guard: BudgetGuard): Promise<void> {
  // $2.00 of real spend (800,000 input tokens) around calls of no amount.
  for (const bad of BAD_COSTS) {
    guard.record(withCost(gpt4oRecord({ userId: 'victim' }, 1000, 0), bad));
  }
  guard.record(gpt4oRecord({ userId: 'victim' }, 800_000, 0));
  const check = await guard.check({ userId: 'victim' });
  expect(check.allowed).toBe(false);
  expect(check.remainingUsd).toBe(0);
  expect(check.exceeded.map(e => e.spentUsd)).toEqual([
    gpt4oMicros(800_000, 0) / 1e6,
  ]);
  expect(await guard.spent({ scope: 'user', id: 'victim' })).toBe(2);
  expect(guard.stats.unpriced).toBe(BAD_COSTS.length);

  // A call priced at 1e300 USD counts as the largest amount a budget can
  // hold (1e9 USD), which still refuses the subject.
  guard.record(withCost(gpt4oRecord({ userId: 'whale' }, 1000, 0), 1e300));
  const whale = await guard.check({ userId: 'whale' });
  expect(whale.allowed).toBe(false);
  expect(await guard.spent({ scope: 'user', id: 'whale' })).toBe(1e9);

  await guard.forceFlush();
  expect(guard.stats.storeErrors).toBe(0);
  expect(guard.stats.buffered).toBe(0);
}

describe('costs that are no amount, memory store', () => {
  it('are counted as unpriced, never switch the budget off', async () => {
    const guard = new BudgetGuard({
      store: 'memory',
      budgets: [{ scope: 'user', limitUsd: 1, window: 'day' }],
      env: {},
    });
    await attack(guard);
    await guard.shutdown();
  });

  it('are charged unpricedCallUsd when set', async () => {
    const guard = new BudgetGuard({
      store: 'memory',
      budgets: [{ scope: 'user', limitUsd: 1, window: 'day' }],
      unpricedCallUsd: 0.25,
      env: {},
    });
    guard.record(withCost(gpt4oRecord({ userId: 'u' }, 1000, 0), NaN));
    expect(await guard.spent({ scope: 'user', id: 'u' })).toBe(0.25);
    await guard.shutdown();
  });
});

let redis: RedisServer | undefined;
beforeAll(async () => {
  if (redisBinary() !== undefined) redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.remove();
});

describe.runIf(redisBinary() !== undefined)(
  'costs that are no amount, Redis',
  () => {
    it('never reach Redis as a failing script; nothing buffered, no store error', async () => {
      const guard = new BudgetGuard({
        store: (redis as RedisServer).url,
        budgets: [{ scope: 'user', limitUsd: 1, window: 'day' }],
        storeTimeoutSeconds: 2,
        env: {},
      });
      await guard.ready();
      await attack(guard);
      await guard.shutdown();
    });
  },
);

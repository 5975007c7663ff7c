import type { Budget, BudgetAlert } from '../../../src/budget/budget-types.js';

export const DAILY_USER: Budget = {
  scope: 'user',
  limitUsd: 10,
  window: 'day',
};

/** An alert as a store would fire it: user `u-1` crossed 80% of $10 on 2026-11-30 (UTC). */
export function alertOf(overrides: Partial<BudgetAlert> = {}): BudgetAlert {
  return {
    budget: DAILY_USER,
    scope: 'user',
    id: 'u-1',
    threshold: 0.8,
    spentUsd: 8.25,
    limitUsd: 10,
    windowStart: new Date('2026-11-30T00:00:00.000Z'),
    windowEnd: new Date('2026-12-01T00:00:00.000Z'),
    ...overrides,
  };
}

/** Polls `condition` every 10 ms, failing after `maxMillis`. */
export async function until(
  condition: () => boolean,
  what: string,
  maxMillis = 10_000,
): Promise<void> {
  const deadline = Date.now() + maxMillis;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}

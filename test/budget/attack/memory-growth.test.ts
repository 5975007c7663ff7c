/**
 * Many distinct subjects over many windows: the memory store keeps the
 * counters and alert keys of the current windows only (each expires an
 * hour past its window's end and is swept), seen keys at most
 * maxSeenKeys, and the guard's own caches stay bounded. A fake clock runs
 * 30 days; every call is a new user ($1.00 of gpt-4o: 400,000 input
 * tokens at $2.50 per million, which crosses every threshold of a $1
 * budget).
 */
import { describe, expect, it } from 'vitest';
import { BudgetGuard } from '../../../src/index.js';
import type { MemoryBudgetStore } from '../../../src/budget/store/memory-budget-store.js';
import { gpt4oRecord } from '../budget-records.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('memory store under many distinct subjects', () => {
  it('holds the current windows only, seen keys up to maxSeenKeys', async () => {
    let now = Date.UTC(2026, 10, 1);
    const guard = new BudgetGuard({
      store: 'memory',
      budgets: [
        { scope: 'user', limitUsd: 1, window: 'day' },
        { scope: 'tenant', limitUsd: 1e6, window: { rollingHours: 6 } },
      ],
      alertAt: [0.5, 1],
      maxSeenKeys: 5_000,
      clock: () => now,
      env: {},
    });
    const store = (guard as unknown as { store: MemoryBudgetStore }).store;
    const perHour = 100;
    let user = 0;
    let largest = { counters: 0, alerts: 0, seen: 0 };
    for (let hour = 0; hour < 30 * 24; hour++) {
      for (let i = 0; i < perHour; i++) {
        guard.record(
          gpt4oRecord(
            { userId: `u${user++}`, tenantId: `t${i % 10}` },
            400_000,
            0,
          ),
        );
      }
      await guard.forceFlush();
      const sizes = store.sizes;
      largest = {
        counters: Math.max(largest.counters, sizes.counters),
        alerts: Math.max(largest.alerts, sizes.alerts),
        seen: Math.max(largest.seen, sizes.seen),
      };
      now += HOUR;
    }
    expect(guard.stats.recorded).toBe(30 * 24 * perHour);
    // A day's users (2,400), plus up to an hour of grace and a sweep
    // interval, plus 10 tenants × 7 hours.
    const dayUsers = (DAY / HOUR) * perHour;
    expect(largest.counters).toBeLessThan(dayUsers + 2 * perHour + 1024 + 70);
    expect(largest.alerts).toBeLessThan(2 * (dayUsers + 2 * perHour + 1024));
    expect(largest.seen).toBeLessThanOrEqual(5_000);
    await guard.shutdown();
  });
});

/**
 * BudgetGuard's rules on the memory store (a fake clock): which budgets
 * apply, unpriced and keyless calls, reservations and their time to live,
 * the answer's remaining and reset, window resets, options refused by
 * name, and the counters.
 */
import { describe, expect, it } from 'vitest';
import { BudgetConfigError } from '../../src/entries/core.js';
import { BudgetGuard, type Budget, type CostRecord } from '../../src/index.js';
import {
  pointsByMetric,
  setupMeter,
  total,
} from '../metrics/collecting-reader.js';
import { captureWarnings, gpt4oMicros, gpt4oRecord } from './budget-records.js';

const HOUR = 3_600_000;

function guardAt(
  budgets: readonly Budget[],
  start: number,
  extra: object = {},
) {
  const clock = { now: start };
  const guard = new BudgetGuard({
    store: 'memory',
    budgets,
    clock: () => clock.now,
    env: {},
    ...extra,
  });
  return { guard, clock };
}

const usd = (micros: number): number => micros / 1e6;
const microsOf = (value: number | undefined): number =>
  Math.round((value ?? NaN) * 1e6);

describe('which budgets apply', () => {
  it('a budget with an id limits that subject only; without, each subject of its scope on its own', async () => {
    const { guard } = guardAt(
      [
        { scope: 'user', limitUsd: 0.01, window: 'day' },
        { scope: 'user', id: 'vip', limitUsd: 1, window: 'day' },
      ],
      Date.UTC(2026, 10, 30, 12),
    );
    // 1000 input + 500 output tokens of gpt-4o: $0.0025 + $0.005 = $0.0075.
    guard.record(gpt4oRecord({ userId: 'alice' }, 1000, 500));
    guard.record(gpt4oRecord({ userId: 'alice' }, 1000, 500));
    guard.record(gpt4oRecord({ userId: 'vip' }, 1000, 500));
    guard.record(gpt4oRecord({ userId: 'vip' }, 1000, 500));
    const alice = await guard.check({ userId: 'alice' });
    expect(alice.allowed).toBe(false);
    expect(alice.exceeded).toHaveLength(1);
    expect(microsOf(alice.exceeded[0]?.spentUsd)).toBe(15_000);
    expect((await guard.check({ userId: 'bob' })).allowed).toBe(true);
    // vip: over the $0.01 of every user, well under its own $1: the stricter wins.
    const vip = await guard.check({ userId: 'vip' });
    expect(vip.allowed).toBe(false);
    expect(vip.exceeded.map(e => e.budget.limitUsd)).toEqual([0.01]);
    // No budget of the subject's scopes: allowed, nothing to say.
    expect(await guard.check({ tenantId: 'acme' })).toEqual({
      allowed: true,
      remainingUsd: undefined,
      resetAt: undefined,
      exceeded: [],
    });
    expect(await guard.spent({ scope: 'user', id: 'vip' })).toBe(usd(15_000));
    expect(await guard.spent({ scope: 'tenant', id: 'acme' })).toBe(0);
    await guard.shutdown();
  });

  it('a call counts against its user, tenant and plan at once; remaining and reset come from the tightest', async () => {
    const start = Date.UTC(2026, 10, 30, 12);
    const { guard } = guardAt(
      [
        { scope: 'user', limitUsd: 1, window: 'day' },
        { scope: 'tenant', limitUsd: 0.02, window: 'month' },
        { scope: 'plan', limitUsd: 5, window: { rollingHours: 24 } },
      ],
      start,
    );
    guard.record(
      gpt4oRecord({ userId: 'u', tenantId: 't', plan: 'p' }, 2000, 1000),
    );
    const check = await guard.check({ userId: 'u', tenantId: 't', plan: 'p' });
    // $0.005 + $0.01 = $0.015 spent; the tenant's $0.02 leaves $0.005.
    expect(check.allowed).toBe(true);
    expect(microsOf(check.remainingUsd)).toBe(5_000);
    expect(check.resetAt?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    for (const [scope, id] of [
      ['user', 'u'],
      ['tenant', 't'],
      ['plan', 'p'],
    ] as const) {
      expect(microsOf(await guard.spent({ scope, id }))).toBe(15_000);
    }
    guard.record(gpt4oRecord({ userId: 'u', tenantId: 't' }, 2000, 0));
    const over = await guard.check({ userId: 'u', tenantId: 't', plan: 'p' });
    expect(over.allowed).toBe(false);
    expect(over.remainingUsd).toBe(0);
    expect(over.exceeded.map(e => [e.budget.scope, e.id])).toEqual([
      ['tenant', 't'],
    ]);
    expect(over.resetAt?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    await guard.shutdown();
  });
});

describe('windows reset', () => {
  it('a day in Europe/Berlin resets at midnight there (23:00 UTC in winter)', async () => {
    const beforeMidnight = Date.parse('2026-11-30T22:59:59.000Z');
    const { guard, clock } = guardAt(
      [
        {
          scope: 'user',
          limitUsd: 0.005,
          window: 'day',
          timezone: 'Europe/Berlin',
        },
      ],
      beforeMidnight,
    );
    guard.record(gpt4oRecord({ userId: 'a' }, 2000, 0));
    const before = await guard.check({ userId: 'a' });
    expect(before.allowed).toBe(false);
    expect(before.resetAt?.toISOString()).toBe('2026-11-30T23:00:00.000Z');
    clock.now = Date.parse('2026-11-30T23:00:00.000Z');
    const after = await guard.check({ userId: 'a' });
    expect(after.allowed).toBe(true);
    expect(microsOf(after.remainingUsd)).toBe(5_000);
    expect(after.resetAt?.toISOString()).toBe('2026-12-01T23:00:00.000Z');
    await guard.shutdown();
  });

  it('a rolling window lets each hour go when it is n hours old', async () => {
    const start = Date.UTC(2026, 10, 30, 10, 30);
    const { guard, clock } = guardAt(
      [{ scope: 'user', limitUsd: 1, window: { rollingHours: 3 } }],
      start,
    );
    guard.record(gpt4oRecord({ userId: 'a' }, 1000, 0)); // 10:30, $0.0025
    clock.now = start + HOUR; // 11:30
    guard.record(gpt4oRecord({ userId: 'a' }, 2000, 0)); // $0.005
    clock.now = start + 2 * HOUR + 29 * 60_000; // 12:59: hours 10, 11, 12
    expect(microsOf(await guard.spent({ scope: 'user', id: 'a' }))).toBe(7_500);
    clock.now = Date.UTC(2026, 10, 30, 13); // hours 11, 12, 13
    expect(microsOf(await guard.spent({ scope: 'user', id: 'a' }))).toBe(5_000);
    clock.now = Date.UTC(2026, 10, 30, 14);
    expect(await guard.spent({ scope: 'user', id: 'a' })).toBe(0);
    await guard.shutdown();
  });
});

describe('calls without a price or a key', () => {
  it('an unpriced call is not counted as $0 silently: counted, warned once, charged unpricedCallUsd', async () => {
    const { reader, meterProvider } = setupMeter();
    const capture = captureWarnings();
    const start = Date.UTC(2026, 10, 30, 12);
    const budgets: Budget[] = [{ scope: 'user', limitUsd: 1, window: 'day' }];
    const unpriced = (): CostRecord => ({
      ...gpt4oRecord({ userId: 'a' }, 1, 1),
      cost: { priced: false, reason: 'unknown_model' },
    });
    const { guard } = guardAt(budgets, start, { meterProvider });
    guard.record(unpriced());
    guard.record(unpriced());
    expect(await guard.spent({ scope: 'user', id: 'a' })).toBe(0);
    expect(guard.stats.unpriced).toBe(2);
    const charging = guardAt(budgets, start, { unpricedCallUsd: 0.05 }).guard;
    charging.record(unpriced());
    expect(await charging.spent({ scope: 'user', id: 'a' })).toBe(0.05);
    capture.stop();
    expect(
      capture.warnings.filter(w => w.includes('without a price')),
    ).toHaveLength(2); // one per guard
    const points = pointsByMetric(await reader.collect());
    expect(total(points.get('otel_genai_cost.budget.unpriced_calls'))).toBe(2);
    await guard.shutdown();
    await charging.shutdown();
  });

  it('a record without trace and span id counts each time it is given (no key to know it again)', async () => {
    const { guard } = guardAt(
      [{ scope: 'user', limitUsd: 1, window: 'day' }],
      Date.UTC(2026, 10, 30),
    );
    const keyless = {
      ...gpt4oRecord({ userId: 'a' }, 1000, 0),
      traceId: undefined,
      spanId: undefined,
    };
    guard.record(keyless);
    guard.record(keyless);
    const keyed = gpt4oRecord({ userId: 'a' }, 1000, 0);
    guard.record(keyed);
    guard.record(keyed);
    expect(microsOf(await guard.spent({ scope: 'user', id: 'a' }))).toBe(
      3 * gpt4oMicros(1000, 0),
    );
    expect(guard.stats.keyless).toBe(2);
    await guard.forceFlush();
    expect(guard.stats.duplicates).toBe(1);
    await guard.shutdown();
  });
});

describe('reservations', () => {
  it('hold room until a call of the subject is priced, then the real cost counts', async () => {
    const start = Date.UTC(2026, 10, 30, 12);
    const { guard } = guardAt(
      [{ scope: 'tenant', limitUsd: 0.02, window: 'day' }],
      start,
    );
    const first = await guard.check(
      { userId: 'a', tenantId: 't' },
      { reserveUsd: 0.012 },
    );
    expect(first.allowed).toBe(true);
    // Another replica's user of the same tenant sees the room held.
    const second = await guard.check(
      { userId: 'b', tenantId: 't' },
      { reserveUsd: 0.012 },
    );
    expect(second.allowed).toBe(false);
    expect(microsOf(second.remainingUsd)).toBe(8_000);
    expect(second.exceeded).toHaveLength(1);
    expect((await guard.check({ tenantId: 't' })).allowed).toBe(true);
    // The call of user a is priced at $0.0075: the reservation is settled.
    guard.record(gpt4oRecord({ userId: 'a', tenantId: 't' }, 1000, 500));
    const after = await guard.check({ tenantId: 't' });
    expect(microsOf(after.remainingUsd)).toBe(12_500);
    expect(
      (await guard.check({ userId: 'b', tenantId: 't' }, { reserveUsd: 0.012 }))
        .allowed,
    ).toBe(true);
    await guard.shutdown();
  });

  it('a redelivered call settles no second reservation', async () => {
    const { guard } = guardAt(
      [{ scope: 'user', limitUsd: 0.1, window: 'day' }],
      Date.UTC(2026, 10, 30, 12),
    );
    expect(
      (await guard.check({ userId: 'a' }, { reserveUsd: 0.03 })).allowed,
    ).toBe(true);
    expect(
      (await guard.check({ userId: 'a' }, { reserveUsd: 0.03 })).allowed,
    ).toBe(true);
    const x = gpt4oRecord({ userId: 'a' }, 2000, 0); // $0.005
    guard.record(x);
    guard.record(x); // redelivered
    await guard.forceFlush();
    // $0.1 - $0.005 spent - $0.03 still held by the second reservation.
    expect(microsOf((await guard.check({ userId: 'a' })).remainingUsd)).toBe(
      65_000,
    );
    guard.record(gpt4oRecord({ userId: 'a' }, 2000, 0));
    expect(microsOf((await guard.check({ userId: 'a' })).remainingUsd)).toBe(
      90_000,
    );
    await guard.shutdown();
  });

  it('a reservation never settled is released after reservationTtlSeconds', async () => {
    const start = Date.UTC(2026, 10, 30, 12);
    const { guard, clock } = guardAt(
      [{ scope: 'user', limitUsd: 0.01, window: 'day' }],
      start,
      {
        reservationTtlSeconds: 60,
      },
    );
    expect(
      (await guard.check({ userId: 'a' }, { reserveUsd: 0.01 })).allowed,
    ).toBe(true);
    expect((await guard.check({ userId: 'a' })).allowed).toBe(false);
    clock.now = start + 59_999;
    expect((await guard.check({ userId: 'a' })).allowed).toBe(false);
    clock.now = start + 60_000;
    const released = await guard.check({ userId: 'a' });
    expect(released.allowed).toBe(true);
    expect(released.remainingUsd).toBe(0.01);
    await guard.shutdown();
  });

  it('a reserveUsd that is not a finite number of at least 0 holds nothing and warns once', async () => {
    const capture = captureWarnings();
    try {
      const { guard } = guardAt(
        [{ scope: 'user', limitUsd: 0.01, window: 'day' }],
        Date.UTC(2026, 10, 30, 12),
      );
      for (const reserveUsd of [NaN, Infinity, -Infinity, -0.5]) {
        const answer = await guard.check({ userId: 'a' }, { reserveUsd });
        expect(answer.allowed).toBe(true);
        // Nothing was held: the whole $0.01 is still there.
        expect(microsOf(answer.remainingUsd)).toBe(10_000);
      }
      // A valid reservation right after still gets the whole room.
      expect(
        (await guard.check({ userId: 'a' }, { reserveUsd: 0.01 })).allowed,
      ).toBe(true);
      expect((await guard.check({ userId: 'a' })).allowed).toBe(false);
      expect(capture.warnings.filter(w => w.includes('reserveUsd'))).toEqual([
        'otel-genai-cost: BudgetGuard.check ignored reserveUsd NaN (not a finite number of at least 0); the call was checked without a reservation',
      ]);
      await guard.shutdown();
    } finally {
      capture.stop();
    }
  });
});

describe('options', () => {
  it.each([
    [{ scope: 'team', limitUsd: 1, window: 'day' }, 'budgets[0]: scope'],
    [{ scope: 'user', limitUsd: 0, window: 'day' }, 'budgets[0]: limitUsd'],
    [
      { scope: 'user', limitUsd: Number.NaN, window: 'day' },
      'budgets[0]: limitUsd',
    ],
    [{ scope: 'user', limitUsd: 1, window: 'year' }, 'budgets[0]: window'],
    [
      { scope: 'user', limitUsd: 1, window: { rollingHours: 0 } },
      'budgets[0]: rollingHours',
    ],
    [
      { scope: 'user', limitUsd: 1, window: { rollingHours: 1.5 } },
      'budgets[0]: rollingHours',
    ],
    [
      { scope: 'user', limitUsd: 1, window: { rollingHours: 745 } },
      'budgets[0]: rollingHours',
    ],
    [
      { scope: 'user', limitUsd: 1, window: 'day', timezone: 'Mars/Olympus' },
      'budgets[0]: unknown timezone',
    ],
    [
      {
        scope: 'user',
        limitUsd: 1,
        window: { rollingHours: 2 },
        timezone: 'UTC',
      },
      'budgets[0]: a rolling window',
    ],
    [{ scope: 'user', id: '', limitUsd: 1, window: 'day' }, 'budgets[0]: id'],
  ])('refuses the budget %j by name', (budget, message) => {
    expect(
      () => new BudgetGuard({ budgets: [budget as Budget], env: {} }),
    ).toThrow(BudgetConfigError);
    expect(
      () => new BudgetGuard({ budgets: [budget as Budget], env: {} }),
    ).toThrow(message);
  });

  it('refuses a bad option by name, never repeating a store URL', () => {
    const secret = 'http://user:hunter2@redis.internal:6379';
    let message = '';
    try {
      new BudgetGuard({ store: secret, budgets: [], env: {} });
    } catch (error) {
      expect(error).toBeInstanceOf(BudgetConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain('store');
    expect(message).not.toContain('hunter2');
    expect(
      () => new BudgetGuard({ budgets: [], alertAt: [0], env: {} }),
    ).toThrow('alertAt');
    expect(
      () =>
        new BudgetGuard({
          budgets: [],
          onStoreError: 'maybe' as 'allow',
          env: {},
        }),
    ).toThrow('onStoreError');
    expect(
      () =>
        new BudgetGuard({
          budgets: [],
          env: { OTEL_GENAI_COST_BUDGET_STORE_TIMEOUT_SECONDS: '0' },
        }),
    ).toThrow('OTEL_GENAI_COST_BUDGET_STORE_TIMEOUT_SECONDS');
  });

  it('reads its variables when no option is given', async () => {
    const guard = new BudgetGuard({
      budgets: [{ scope: 'user', limitUsd: 1, window: 'day' }],
      storeTimeoutSeconds: 0.2,
      env: {
        OTEL_GENAI_COST_BUDGET_STORE: 'redis://127.0.0.1:1',
        OTEL_GENAI_COST_BUDGET_ON_STORE_ERROR: 'deny',
      },
    });
    const capture = captureWarnings();
    // Nothing listens on port 1: the store fails, the variable's policy answers.
    expect((await guard.check({ userId: 'a' })).allowed).toBe(false);
    capture.stop();
    await guard.shutdown();
  });
});

describe('failures and shutdown', () => {
  it('an unreachable store: bounded buffer (overflow counted), errors counted, one warning', async () => {
    const { reader, meterProvider } = setupMeter();
    const capture = captureWarnings();
    const guard = new BudgetGuard({
      store: 'redis://127.0.0.1:1',
      budgets: [{ scope: 'user', limitUsd: 1, window: 'day' }],
      storeTimeoutSeconds: 0.2,
      maxBufferedCalls: 3,
      meterProvider,
      env: {},
    });
    for (let i = 0; i < 5; i++)
      guard.record(gpt4oRecord({ userId: 'a' }, 1000, 0));
    expect((await guard.check({ userId: 'a' })).allowed).toBe(true);
    await guard.forceFlush();
    expect(guard.stats.buffered).toBe(3);
    expect(guard.stats.dropped.buffer_full).toBe(2);
    await guard.shutdown();
    guard.record(gpt4oRecord({ userId: 'a' }, 1000, 0));
    capture.stop();
    expect(guard.stats.dropped).toEqual({ buffer_full: 2, after_shutdown: 4 });
    expect(
      capture.warnings.filter(w => w.includes('budget store failed')),
    ).toHaveLength(1);
    expect(capture.warnings.join('\n')).not.toContain('127.0.0.1:1');
    const points = pointsByMetric(await reader.collect());
    expect(total(points.get('otel_genai_cost.budget.dropped'))).toBe(6);
    expect(
      total(points.get('otel_genai_cost.budget.store_errors')),
    ).toBeGreaterThanOrEqual(6);
  });
});

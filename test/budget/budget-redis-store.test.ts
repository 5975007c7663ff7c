/**
 * The Redis store seen from Redis itself: the key layout and expiries, one
 * script per recorded call and one per check (INFO commandstats), a
 * window resetting at midnight in a timezone under a fake clock (set near
 * the real time, since Redis expires keys by its own clock), alerts
 * deduplicated across two guards, and the bytes each key takes.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BudgetGuard, type BudgetAlert } from '../../src/index.js';
import {
  redisBinary,
  startRedisServer,
  type RedisServer,
} from '../helpers/redis-server.js';
import { gpt4oMicros, gpt4oRecord } from './budget-records.js';

const HOUR = 3_600_000;
let redis: RedisServer | undefined;
let admin: Redis;

beforeAll(async () => {
  redis = await startRedisServer();
  if (redis !== undefined) admin = new Redis(redis.url);
});
afterAll(async () => {
  admin?.disconnect();
  await redis?.remove();
});
beforeEach(async () => {
  await admin?.flushall();
  await admin?.config('RESETSTAT');
});

/**
 * The commands clients sent while `run` ran, by name, seen with MONITOR:
 * the commands a script runs inside (source `lua`) are not round trips.
 */
async function commandsDuring(
  run: () => Promise<unknown>,
): Promise<Record<string, number>> {
  const monitor = await admin.monitor();
  const counts: Record<string, number> = {};
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source === 'lua') return;
    const name = String(args[0]).toLowerCase();
    counts[name] = (counts[name] ?? 0) + 1;
  });
  await run();
  // A PING through the monitored server marks the end of what came before.
  await admin.ping();
  await new Promise(resolve => setTimeout(resolve, 50));
  monitor.disconnect();
  delete counts.ping;
  return counts;
}

/** The next midnight in Europe/Berlin after the real now (23:00 or 22:00 UTC). */
function nextBerlinMidnight(): number {
  const now = Date.now();
  for (let t = Math.ceil(now / HOUR) * HOUR; ; t += HOUR) {
    const hour = new Date(t).toLocaleString('en-GB', {
      timeZone: 'Europe/Berlin',
      hour: '2-digit',
      hourCycle: 'h23',
    });
    if (hour === '00') return t;
  }
}

describe.runIf(redisBinary() !== undefined)('Redis store', () => {
  it('keys: hash-tagged per subject, expiring past the window; one script per call and per check', async () => {
    const server = redis as RedisServer;
    const guard = new BudgetGuard({
      store: server.url,
      budgets: [
        {
          scope: 'user',
          limitUsd: 1,
          window: 'day',
          timezone: 'Europe/Berlin',
        },
        { scope: 'tenant', limitUsd: 0.001, window: { rollingHours: 24 } },
      ],
      alertAt: [1],
      env: {},
    });
    await guard.ready();
    // Once per connection each script meets NOSCRIPT and ioredis sends it (EVAL).
    const warmUp = gpt4oRecord({ userId: 'warm-up' }, 2, 0);
    guard.record(warmUp);
    await guard.check({ userId: 'warm-up' });
    const record = gpt4oRecord(
      { userId: 'al}ice', tenantId: 'acme' },
      1000,
      500,
    );
    const recording = await commandsDuring(async () => {
      guard.record(record);
      guard.record(record);
      await guard.forceFlush();
    });
    expect(recording).toEqual({ evalsha: 2 });
    let allowed: boolean | undefined;
    const checking = await commandsDuring(async () => {
      const check = await guard.check(
        { userId: 'al}ice', tenantId: 'acme' },
        { reserveUsd: 0.0001 },
      );
      allowed = check.allowed;
    });
    expect(allowed).toBe(false);
    expect(checking).toEqual({ evalsha: 1 });
    await admin.del(
      ...(await admin.keys('*warm-up*')),
      `ogc:seen:${warmUp.traceId}:${warmUp.spanId}`,
    );

    const keys = (await admin.keys('*')).sort();
    const hour = Math.floor(Date.now() / HOUR);
    const day = new Date().toLocaleDateString('sv-SE', {
      timeZone: 'Europe/Berlin',
    });
    expect(keys).toEqual(
      [
        `ogc:seen:${record.traceId}:${record.spanId}`,
        `ogc:{tenant:acme}:a:rolling:24h:1000:1`,
        `ogc:{tenant:acme}:h:${hour}`,
        `ogc:{user:al%7Dice}:s:day@Europe/Berlin:${day}`,
      ].sort(),
    );
    expect(await admin.get(`ogc:{tenant:acme}:h:${hour}`)).toBe(
      String(gpt4oMicros(1000, 500)),
    );
    // The day's counter lives until an hour past its end; the hour's as long as the 24 h window holds it.
    const dayTtl = await admin.pttl(
      `ogc:{user:al%7Dice}:s:day@Europe/Berlin:${day}`,
    );
    expect(dayTtl).toBeGreaterThan(HOUR);
    expect(dayTtl).toBeLessThanOrEqual(26 * HOUR);
    const hourTtl = await admin.pttl(`ogc:{tenant:acme}:h:${hour}`);
    expect(hourTtl).toBeGreaterThan(24 * HOUR);
    expect(hourTtl).toBeLessThanOrEqual(25 * HOUR);
    const seenTtl = await admin.pttl(
      `ogc:seen:${record.traceId}:${record.spanId}`,
    );
    expect(seenTtl).toBeGreaterThan(47 * HOUR);
    await guard.shutdown();
  });

  it('a day in Europe/Berlin resets at midnight there (fake clock near the real one)', async () => {
    const server = redis as RedisServer;
    const midnight = nextBerlinMidnight();
    let now = midnight - 1000;
    const guard = new BudgetGuard({
      store: server.url,
      budgets: [
        {
          scope: 'user',
          limitUsd: 0.005,
          window: 'day',
          timezone: 'Europe/Berlin',
        },
      ],
      clock: () => now,
      env: {},
    });
    guard.record(gpt4oRecord({ userId: 'night' }, 2000, 0));
    const before = await guard.check({ userId: 'night' });
    expect(before.allowed).toBe(false);
    expect(before.resetAt?.getTime()).toBe(midnight);
    now = midnight;
    const after = await guard.check({ userId: 'night' });
    expect(after.allowed).toBe(true);
    expect(after.remainingUsd).toBe(0.005);
    // A call after midnight counts in the new day only.
    guard.record(gpt4oRecord({ userId: 'night' }, 1000, 0));
    expect(
      Math.round((await guard.spent({ scope: 'user', id: 'night' })) * 1e6),
    ).toBe(gpt4oMicros(1000, 0));
    now = midnight - 1;
    expect(
      Math.round((await guard.spent({ scope: 'user', id: 'night' })) * 1e6),
    ).toBe(gpt4oMicros(2000, 0));
    await guard.shutdown();
  });

  it('an alert fires once across guards; memory per key', async () => {
    const server = redis as RedisServer;
    const alerts: BudgetAlert[] = [];
    const options = {
      store: server.url,
      budgets: [
        { scope: 'tenant' as const, limitUsd: 0.01, window: 'month' as const },
      ],
      onAlert: (alert: BudgetAlert) => alerts.push(alert),
      env: {},
    };
    const a = new BudgetGuard(options);
    const b = new BudgetGuard(options);
    for (let i = 0; i < 6; i++)
      (i % 2 === 0 ? a : b).record(gpt4oRecord({ tenantId: 'acme' }, 1000, 0));
    await Promise.all([a.forceFlush(), b.forceFlush()]);
    // $0.0025 a call against $0.01: 0.5 at the second call, 0.8 and 1 at the fourth.
    expect(
      alerts.map(x => [x.threshold, Math.round(x.spentUsd * 1e6)]),
    ).toEqual([
      [0.5, 5_000],
      [0.8, 10_000],
      [1, 10_000],
    ]);
    expect(new Set(alerts.map(x => x.windowStart.toISOString())).size).toBe(1);
    const bytes = async (pattern: string): Promise<number> => {
      const [key] = await admin.keys(pattern);
      return Number(await admin.call('MEMORY', 'USAGE', key as string));
    };
    const sizes = {
      seen: await bytes('ogc:seen:*'),
      spend: await bytes('ogc:{tenant:acme}:s:*'),
      alert: await bytes('ogc:{tenant:acme}:a:*'),
    };
    // Measured on Redis 7.0: 104, 88 and 104 bytes (docs/budgets.md sizing).
    expect(sizes.seen).toBeLessThan(200);
    expect(sizes.spend).toBeLessThan(200);
    expect(sizes.alert).toBeLessThan(200);
    await a.shutdown();
    await b.shutdown();
  });
});

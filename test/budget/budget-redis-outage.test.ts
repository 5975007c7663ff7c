/**
 * Redis killed (SIGKILL) and restarted in the middle of a run, and Redis
 * hung (SIGSTOP): checks answer by `onStoreError` (one warning per
 * outage), never hang; recorded calls are held and replayed, so the spend
 * after the outage is the sum of the distinct calls, nothing lost or
 * doubled. The server keeps an fsynced append-only file, as a production
 * Redis that must not lose acknowledged writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetGuard } from '../../src/index.js';
import {
  redisBinary,
  startRedisServer,
  type RedisServer,
} from '../helpers/redis-server.js';
import {
  captureWarnings,
  gpt4oMicros,
  gpt4oRecord,
  newSpanId,
  newTraceId,
} from './budget-records.js';

let redis: RedisServer | undefined;
let lastStats: unknown;
beforeAll(async () => {
  redis = await startRedisServer({ persist: true });
});
afterAll(async () => {
  await redis?.remove();
});

const sleep = (ms: number): Promise<void> =>
  new Promise(resolve => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await sleep(25);
  if (!condition())
    throw new Error(
      `timed out waiting for ${what}: ${JSON.stringify(lastStats)}`,
    );
}

describe.runIf(redisBinary() !== undefined)('Redis outages', () => {
  it('kill -9 and restart mid-run: nothing lost or doubled, one warning, checks allowed meanwhile', async () => {
    const server = redis as RedisServer;
    const capture = captureWarnings();
    const guard = new BudgetGuard({
      store: server.url,
      budgets: [{ scope: 'user', limitUsd: 100, window: 'month' }],
      storeTimeoutSeconds: 0.3,
      env: {},
    });
    await guard.ready();
    lastStats = guard.stats;
    let expected = 0;
    const answers: boolean[] = [];
    const sent: ReturnType<typeof gpt4oRecord>[] = [];
    for (let i = 0; i < 600; i++) {
      if (i === 200) await server.kill();
      if (i === 400) await server.start();
      const input = 100 + 2 * (i % 700);
      const output = 20 + (i % 300);
      const record = gpt4oRecord({ userId: 'outage-user' }, input, output);
      expected += gpt4oMicros(input, output);
      guard.record(record);
      sent.push(record);
      // Redeliveries, also during the outage.
      if (i % 7 === 0)
        guard.record(sent[Math.floor(i / 2)] as ReturnType<typeof gpt4oRecord>);
      if (i % 20 === 0)
        answers.push((await guard.check({ userId: 'outage-user' })).allowed);
      await sleep(1);
    }
    // Every record sent (600 calls and 86 redeliveries) got its answer:
    // counted, or found already counted (a redelivery, or a call that had
    // landed before the kill while its answer was lost).
    const answered = (): number =>
      guard.stats.recorded + guard.stats.duplicates;
    await until(
      () => guard.stats.buffered === 0 && answered() === 686,
      'the replay',
    );
    await guard.forceFlush();
    const spent = await guard.spent({ scope: 'user', id: 'outage-user' });
    capture.stop();
    expect(Math.round(spent * 1e6)).toBe(expected);
    expect(guard.stats.recorded).toBeLessThanOrEqual(600);
    expect(guard.stats.replayed).toBeGreaterThan(0);
    expect(guard.stats.storeErrors).toBeGreaterThan(0);
    expect(guard.stats.dropped).toEqual({ buffer_full: 0, after_shutdown: 0 });
    expect(answers.every(Boolean)).toBe(true);
    expect(guard.stats.checksOnStoreError).toBeGreaterThan(0);
    expect(
      capture.warnings.filter(w => w.includes('budget store failed')),
    ).toHaveLength(1);
    // The URL (which may hold a password) is never repeated.
    expect(capture.warnings.join('\n')).not.toContain(server.url);
    await guard.shutdown();
  }, 60_000);

  it('a hung Redis: checks answer by onStoreError within the timeout, the spend is exact afterwards', async () => {
    const server = redis as RedisServer;
    const budgets = [
      { scope: 'tenant' as const, limitUsd: 100, window: 'day' as const },
    ];
    const allow = new BudgetGuard({
      store: server.url,
      budgets,
      storeTimeoutSeconds: 0.2,
      env: {},
    });
    const deny = new BudgetGuard({
      store: server.url,
      budgets,
      storeTimeoutSeconds: 0.2,
      onStoreError: 'deny',
      env: {},
    });
    await allow.ready();
    await deny.ready();
    lastStats = allow.stats;
    const subject = { tenantId: `hung-${newTraceId().slice(0, 6)}` };
    allow.record(gpt4oRecord(subject, 1000, 100));
    expect((await deny.check(subject)).allowed).toBe(true);
    server.pause();
    try {
      const record = gpt4oRecord(subject, 2000, 200, { spanId: newSpanId() });
      allow.record(record);
      const [a, d] = await Promise.all([
        allow.check(subject),
        deny.check(subject),
      ]);
      expect(a).toEqual({
        allowed: true,
        remainingUsd: undefined,
        resetAt: undefined,
        exceeded: [],
      });
      expect(d.allowed).toBe(false);
      allow.record(record); // redelivered while hung
    } finally {
      server.resume();
    }
    // Three records sent (one before the hang): each counted, or found
    // counted (a command the hung server ran after its timeout is found
    // counted when replayed).
    await until(
      () =>
        allow.stats.buffered === 0 &&
        allow.stats.recorded + allow.stats.duplicates === 3,
      'the replay',
    );
    await allow.forceFlush();
    expect(
      Math.round(
        (await allow.spent({ scope: 'tenant', id: subject.tenantId })) * 1e6,
      ),
    ).toBe(gpt4oMicros(1000, 100) + gpt4oMicros(2000, 200));
    await allow.shutdown();
    await deny.shutdown();
  }, 30_000);
});

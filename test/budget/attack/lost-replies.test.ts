/**
 * Redis hung (SIGSTOP) while a recorded call is on its way: the guard's
 * command times out and the call is buffered, but the script still runs
 * when Redis resumes. Its answer is lost; the replay then finds the
 * call's seen-key set. Before the fix the guard took that for a
 * redelivery: it gave back the reservation the call had settled in the
 * store (the next call settled that stale one, the real one stayed held
 * until its time to live and refused calls), and the thresholds the
 * script fired were never delivered (their alert keys were set: never
 * again). Prices: gpt-4o, $2.50 per million input tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetGuard, type BudgetAlert } from '../../../src/index.js';
import {
  redisBinary,
  startRedisServer,
  type RedisServer,
} from '../../helpers/redis-server.js';
import { gpt4oRecord } from '../budget-records.js';

let redis: RedisServer | undefined;
beforeAll(async () => {
  if (redisBinary() !== undefined) redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.remove();
});

const sleep = (ms: number): Promise<void> =>
  new Promise(resolve => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await sleep(25);
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

describe.runIf(redisBinary() !== undefined)(
  'a reply lost after the script ran',
  () => {
    it('settles the reservation once and delivers the alert the lost reply carried', async () => {
      const server = redis as RedisServer;
      const alerts: BudgetAlert[] = [];
      const guard = new BudgetGuard({
        store: server.url,
        keyPrefix: 'lost1:',
        budgets: [{ scope: 'user', limitUsd: 1, window: 'day' }],
        alertAt: [0.5],
        onAlert: alert => alerts.push(alert),
        storeTimeoutSeconds: 0.2,
        env: {},
      });
      await guard.ready();
      const user = { userId: 'u-lost' };
      expect((await guard.check(user, { reserveUsd: 0.3 })).allowed).toBe(true);
      expect((await guard.check(user, { reserveUsd: 0.3 })).allowed).toBe(true);

      // $0.60 (240,000 input tokens) crosses the 50 % threshold; its answer is lost.
      server.pause();
      try {
        guard.record(gpt4oRecord(user, 240_000, 0));
        await until(
          () => guard.stats.storeErrors > 0,
          'the record to time out',
        );
      } finally {
        server.resume();
      }
      await until(
        () =>
          guard.stats.buffered === 0 &&
          guard.stats.queued === 0 &&
          guard.stats.recorded + guard.stats.duplicates > 0,
        'the replay',
      );
      // A second call settles the second reservation.
      guard.record(gpt4oRecord(user, 40_000, 0)); // $0.10
      await guard.forceFlush();

      expect(await guard.spent({ scope: 'user', id: 'u-lost' })).toBe(0.7);
      // Nothing held any more: $0.30 of room is left, and can be reserved.
      const check = await guard.check(user, { reserveUsd: 0.3 });
      expect(check.allowed).toBe(true);
      expect(alerts.map(a => [a.threshold, a.spentUsd])).toEqual([[0.5, 0.6]]);
      await guard.shutdown();
    });

    it('a check whose answer is lost after it reserved: the call it allowed settles that reservation', async () => {
      const server = redis as RedisServer;
      const guard = new BudgetGuard({
        store: server.url,
        keyPrefix: 'lost2:',
        budgets: [{ scope: 'user', limitUsd: 1, window: 'day' }],
        onStoreError: 'allow',
        storeTimeoutSeconds: 0.2,
        env: {},
      });
      await guard.ready();
      const user = { userId: 'u-lost-check' };
      server.pause();
      let allowed: boolean;
      try {
        allowed = (await guard.check(user, { reserveUsd: 0.6 })).allowed;
      } finally {
        server.resume();
      }
      expect(guard.stats.checksOnStoreError).toBe(1);
      expect(allowed).toBe(true); // onStoreError: 'allow'
      // The allowed call costs $0.10 (40,000 input tokens) and settles it.
      guard.record(gpt4oRecord(user, 40_000, 0));
      await guard.forceFlush();
      expect(await guard.spent({ scope: 'user', id: 'u-lost-check' })).toBe(
        0.1,
      );
      // Before the fix the $0.60 stayed held for reservationTtlSeconds.
      expect((await guard.check(user, { reserveUsd: 0.6 })).allowed).toBe(true);
      await guard.shutdown();
    });
  },
);

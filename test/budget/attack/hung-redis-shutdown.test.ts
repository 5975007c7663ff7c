/**
 * Redis hung (SIGSTOP) for good: checks answer by onStoreError, and
 * shutdown still returns (each command bounded by storeTimeoutSeconds),
 * counting the calls it could not send as dropped, never losing count of
 * them silently.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetGuard } from '../../../src/index.js';
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
  redis?.resume();
  await redis?.remove();
});

describe.runIf(redisBinary() !== undefined)(
  'a Redis that never answers again',
  () => {
    it('checks answer deny, shutdown returns and counts the calls it could not send', async () => {
      const server = redis as RedisServer;
      const guard = new BudgetGuard({
        store: server.url,
        budgets: [{ scope: 'user', limitUsd: 1, window: 'day' }],
        onStoreError: 'deny',
        storeTimeoutSeconds: 0.2,
        env: {},
      });
      await guard.ready();
      server.pause();
      for (let i = 0; i < 20; i++)
        guard.record(gpt4oRecord({ userId: 'u' }, 1000, 0));
      const check = await guard.check({ userId: 'u' }, { reserveUsd: 0.1 });
      expect(check.allowed).toBe(false);
      await guard.shutdown();
      expect(guard.stats.recorded).toBe(0);
      expect(guard.stats.dropped.after_shutdown).toBe(20);
      expect(guard.stats.buffered).toBe(0);
    }, 20_000);
  },
);

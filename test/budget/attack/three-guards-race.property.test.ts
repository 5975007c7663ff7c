/**
 * Three guards on one private Redis, fed concurrently: generated calls
 * (gpt-4o, $2.50/M input and $10/M output), each given to one guard and
 * some redelivered to another at the same time. The shared spend is the
 * sum of the distinct calls to the micro-dollar, and each threshold the
 * total reached fires exactly once across the three guards, none other.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetGuard, type BudgetAlert } from '../../../src/index.js';
import {
  redisBinary,
  startRedisServer,
  type RedisServer,
} from '../../helpers/redis-server.js';
import {
  gpt4oMicros,
  gpt4oRecord,
  newSpanId,
  newTraceId,
} from '../budget-records.js';

let redis: RedisServer | undefined;
beforeAll(async () => {
  if (redisBinary() !== undefined) redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.remove();
});

const ALERT_AT = [0.25, 0.5, 0.8, 1];
const LIMIT_USD = 0.5;

const call = fc.record({
  input: fc.integer({ min: 1, max: 20_000 }).map(n => n * 2),
  output: fc.integer({ min: 0, max: 5_000 }),
  guard: fc.integer({ min: 0, max: 2 }),
  redeliverTo: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
});

describe.runIf(redisBinary() !== undefined)(
  'three guards racing on one Redis',
  () => {
    it('count each distinct call once and fire each threshold reached exactly once', async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(call, { minLength: 1, maxLength: 60 }),
          async calls => {
            const alerts: BudgetAlert[] = [];
            const prefix = `race${run++}:`;
            const guards = [0, 1, 2].map(
              () =>
                new BudgetGuard({
                  store: (redis as RedisServer).url,
                  keyPrefix: prefix,
                  budgets: [
                    { scope: 'tenant', limitUsd: LIMIT_USD, window: 'day' },
                  ],
                  alertAt: ALERT_AT,
                  onAlert: alert => alerts.push(alert),
                  storeTimeoutSeconds: 2,
                  env: {},
                }),
            );
            await Promise.all(guards.map(g => g.ready()));
            let micros = 0;
            for (const c of calls) {
              const ids = { traceId: newTraceId(), spanId: newSpanId() };
              const record = gpt4oRecord(
                { userId: 'u', tenantId: 'acme' },
                c.input,
                c.output,
                ids,
              );
              micros += gpt4oMicros(c.input, c.output);
              guards[c.guard]?.record(record);
              if (c.redeliverTo !== undefined)
                guards[c.redeliverTo]?.record(record);
            }
            await Promise.all(guards.map(g => g.forceFlush()));
            const spent = await guards[0]?.spent({
              scope: 'tenant',
              id: 'acme',
            });
            expect(Math.round((spent as number) * 1e6)).toBe(micros);
            const reached = ALERT_AT.filter(
              t => micros >= Math.round(t * LIMIT_USD * 1e6),
            );
            expect(alerts.map(a => a.threshold).sort()).toEqual(reached);
            const recorded = guards.reduce((n, g) => n + g.stats.recorded, 0);
            expect(recorded).toBe(calls.length);
            await Promise.all(guards.map(g => g.shutdown()));
          },
        ),
        { numRuns: 25 },
      );
    });
  },
);

/**
 * Subject ids an attacker can choose (a user id from a JSON body or a
 * token claim): `{`, `}`, `:`, `%`, newlines, 10 KB strings, any Unicode,
 * lone surrogates. On the memory store and on a private Redis, a check
 * never throws, every call is counted against its own subject exactly
 * (gpt-4o at $2.50/M input, $10/M output) and no two ids share a key.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetGuard } from '../../../src/index.js';
import {
  encodeSubjectId,
  MAX_ENCODED_ID_LENGTH,
} from '../../../src/budget/budget-keys.js';
import { Redis } from 'ioredis';
import {
  redisBinary,
  startRedisServer,
  type RedisServer,
} from '../../helpers/redis-server.js';
import { gpt4oMicros, gpt4oRecord } from '../budget-records.js';

/** Ids with the characters keys and hash tags care about, and any code unit. */
const hostileId = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
  fc.string({
    unit: fc.constantFrom(
      '{',
      '}',
      ':',
      '%',
      '\n',
      '\uD800',
      '\uDFFF',
      'é',
      '😀',
      'u',
      'D',
    ),
    minLength: 1,
    maxLength: 8,
  }),
  fc.constantFrom('x'.repeat(10_240), '}'.repeat(10_240), '\uD83D'.repeat(40)),
);

describe('encodeSubjectId', () => {
  it('never throws, leaves no { } : in a key, and gives distinct ids distinct keys', () => {
    fc.assert(
      fc.property(hostileId, hostileId, (a, b) => {
        const ea = encodeSubjectId(a);
        expect(ea).not.toMatch(/[{}:]/);
        expect(ea.length).toBeLessThanOrEqual(MAX_ENCODED_ID_LENGTH);
        if (a !== b) expect(encodeSubjectId(b)).not.toBe(ea);
      }),
      { numRuns: 2000 },
    );
    // The lone surrogate and the text that spells its escape stay apart.
    expect(encodeSubjectId('\uD800')).not.toBe(encodeSubjectId('%uD800'));
    expect(encodeSubjectId('%uD800')).toBe(encodeURIComponent('%uD800'));
    // Long ids: a digest, distinct for ids that differ in one code unit.
    const long = 'é'.repeat(5000);
    expect(encodeSubjectId(long)).toMatch(/^%h[\w-]{43}$/);
    expect(encodeSubjectId(long + '\uD800')).not.toBe(
      encodeSubjectId(long + '\uDFFF'),
    );
    expect(encodeSubjectId('a'.repeat(256))).toBe('a'.repeat(256));
  });
});

/** Each id spends its own amount; each check is over its limit only for ids that spent enough. */
async function spendAndCheck(
  guard: BudgetGuard,
  ids: readonly string[],
): Promise<void> {
  // A call of 40,000 input tokens: $0.10 each; the limit is $0.25.
  const calls = ids.map((_, i) => 1 + (i % 3));
  ids.forEach((id, i) => {
    for (let c = 0; c < (calls[i] as number); c++) {
      guard.record(gpt4oRecord({ userId: id, tenantId: id }, 40_000, 0));
    }
  });
  for (const [i, id] of ids.entries()) {
    const micros = (calls[i] as number) * gpt4oMicros(40_000, 0);
    const check = await guard.check({ userId: id });
    expect(check.allowed).toBe(micros < 250_000);
    expect(await guard.spent({ scope: 'user', id })).toBe(micros / 1e6);
    expect(await guard.spent({ scope: 'tenant', id })).toBe(micros / 1e6);
  }
}

describe('hostile subject ids, memory store', () => {
  it('are counted exactly, each against its own subject, and checks never throw', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(hostileId, { minLength: 1, maxLength: 6 }),
        async ids => {
          const guard = new BudgetGuard({
            store: 'memory',
            budgets: [
              { scope: 'user', limitUsd: 0.25, window: 'day' },
              { scope: 'tenant', limitUsd: 10, window: { rollingHours: 2 } },
            ],
            env: {},
          });
          await spendAndCheck(guard, ids);
          expect(guard.stats.recorded).toBeGreaterThan(0);
          await guard.shutdown();
        },
      ),
      { numRuns: 150 },
    );
  });
});

let redis: RedisServer | undefined;
let client: Redis | undefined;
beforeAll(async () => {
  if (redisBinary() === undefined) return;
  redis = await startRedisServer();
  client = new Redis((redis as RedisServer).url);
});
afterAll(async () => {
  client?.disconnect();
  await redis?.remove();
});

describe.runIf(redisBinary() !== undefined)(
  'hostile subject ids, Redis',
  () => {
    it('are counted exactly, each against its own subject, with no store error', async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(hostileId, { minLength: 1, maxLength: 6 }),
          async ids => {
            const guard = new BudgetGuard({
              store: (redis as RedisServer).url,
              keyPrefix: `hostile${run++}:`,
              budgets: [
                { scope: 'user', limitUsd: 0.25, window: 'day' },
                { scope: 'tenant', limitUsd: 10, window: { rollingHours: 2 } },
              ],
              storeTimeoutSeconds: 2,
              env: {},
            });
            await guard.ready();
            await spendAndCheck(guard, ids);
            expect(guard.stats.storeErrors).toBe(0);
            await guard.shutdown();
            // No key carries a 10 KB id: every key stays under 400 characters.
            const keys = await (client as Redis).keys(`hostile${run - 1}:*`);
            expect(keys.length).toBeGreaterThan(0);
            expect(Math.max(...keys.map(k => k.length))).toBeLessThan(400);
          },
        ),
        { numRuns: 40 },
      );
    });
  },
);

/**
 * Attack: hostile strings in every text column and tag (NUL, lone
 * surrogates, quotes, JSON and SQL metacharacters, long values), generated
 * with fast-check. Every call must be stored (none spilled), and every
 * report, with or without a tag filter, must still run and find each call
 * by its user and its tag. Before the fix, a NUL or a lone surrogate in a
 * tag value (written as a `\u0000` or `\ud800` escape in the JSON `tags`
 * column) made PostgreSQL's `tags::jsonb` fail every tag-filtered report.
 */
import { diag } from '@opentelemetry/api';
import fc from 'fast-check';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CostRecord } from '../../../src/core/cost-record.js';
import { CostLedger } from '../../../src/ledger/cost-ledger.js';
import { forgetUser } from '../../../src/ledger/forget-user.js';
import { openLedgerStore } from '../../../src/ledger/open-ledger-store.js';
import {
  postgresBinary,
  startPostgresServer,
  type PostgresServer,
} from '../../helpers/postgres-server.js';
import { keyedRecord } from '../ledger-records.js';

let server: PostgresServer | undefined;
let dir = '';
beforeAll(async () => {
  diag.disable();
  dir = mkdtempSync(join(tmpdir(), 'ledger-attack-strings-'));
  if (postgresBinary() !== undefined) server = await startPostgresServer();
}, 120_000);
afterAll(() => {
  server?.remove();
  rmSync(dir, { recursive: true, force: true });
});

const hostileChar = fc.constantFrom(
  '\0',
  '\ud800',
  '\udc00',
  '"',
  '\\',
  "'",
  '$',
  '?',
  '{',
  '\n',
  '\u2028',
  '😀',
  'a',
);
const hostileText = fc.oneof(
  fc.string({ unit: hostileChar, minLength: 1, maxLength: 12 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
);

function tagged(n: number, userId: string, region: string): CostRecord {
  const r = keyedRecord(n, userId);
  return {
    ...r,
    identity: {
      ...r.identity,
      tenantId: region,
      feature: region,
      tags: { region, 'we"ird.key$': region },
    },
  };
}

let runs = 0;

async function attack(url: string): Promise<void> {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(hostileText, hostileText), {
        minLength: 1,
        maxLength: 6,
      }),
      async calls => {
        runs += 1;
        const spill = join(dir, `run-${runs}.jsonl`);
        const ledger = new CostLedger({ url, spillFile: spill });
        try {
          const base = runs * 100;
          calls.forEach(([user, region], i) =>
            ledger.record(tagged(base + i, `${runs}:${user}`, `${region}x`)),
          );
          await ledger.forceFlush();
          expect(ledger.stats.spilled).toBe(0);
          expect(existsSync(spill)).toBe(false);
          expect(ledger.stats.written).toBe(calls.length);
          for (const [user, region] of calls) {
            const byUser = await ledger.query({
              by: 'user',
              tags: { region: stored(`${region}x`) },
            });
            // SQLite keeps a NUL in a column, PostgreSQL drops it.
            const who = stored(`${runs}:${user}`);
            expect(byUser.some(row => stored(row.key ?? '') === who)).toBe(
              true,
            );
            const weird = await ledger.query({
              by: 'tenant',
              tags: { 'we"ird.key$': stored(`${region}x`) },
            });
            expect(weird.length).toBeGreaterThan(0);
          }
        } finally {
          await ledger.shutdown();
        }
      },
    ),
    { numRuns: 25, seed: 1307 },
  );
}

/** What a store keeps of a text: no NUL, lone surrogates as U+FFFD. */
function stored(text: string): string {
  return text
    .replaceAll('\0', '')
    .replace(
      /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      '\ufffd',
    );
}

/** Two users differing only after a NUL stay two users, and forget finds each. */
async function forgetNul(url: string): Promise<void> {
  const ledger = new CostLedger({ url, spillFile: join(dir, 'nul.jsonl') });
  ledger.record(keyedRecord(1, 'nul\0a'));
  ledger.record(keyedRecord(2, 'nul\0b'));
  ledger.record(keyedRecord(3, 'nul\0b'));
  await ledger.shutdown();
  expect(ledger.stats.written).toBe(3);
  const store = await openLedgerStore(url);
  try {
    const users = await store.select(
      "SELECT user_id, count(*) AS n FROM llm_calls WHERE user_id LIKE 'nul%' GROUP BY user_id ORDER BY user_id",
    );
    expect(users.map(u => [u['user_id'], Number(u['n'])])).toEqual([
      ['nula', 1],
      ['nulb', 2],
    ]);
    expect(await forgetUser(store, 'nul\0b')).toMatchObject({ deleted: 2 });
    expect(await forgetUser(store, 'nul\0a')).toMatchObject({ deleted: 1 });
  } finally {
    await store.close();
  }
}

describe('hostile strings in text columns and tags', () => {
  it('SQLite: stored once each, found by user and tag', async () => {
    await attack(`sqlite:${join(dir, 'l.db')}`);
    await forgetNul(`sqlite:${join(dir, 'l.db')}`);
  }, 60_000);

  it.runIf(postgresBinary() !== undefined)(
    'PostgreSQL: stored once each, found by user and tag',
    async () => {
      const url = (server as PostgresServer).createDatabase('strings');
      await attack(url);
      await forgetNul(url);
    },
    60_000,
  );
});

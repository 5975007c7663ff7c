/**
 * Attack: two CostLedgers (two gateways) writing the same calls at once,
 * in opposite orders with redeliveries, into one PostgreSQL database and
 * into one SQLite file. Every call counted once; on PostgreSQL the daily
 * sums equal a GROUP BY over the rows. Prices: gpt-4o-mini at the
 * published $0.15 / $0.60 per M (ledger-records.ts).
 */
import { diag } from '@opentelemetry/api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CostLedger } from '../../../src/ledger/cost-ledger.js';
import {
  postgresBinary,
  startPostgresServer,
  type PostgresServer,
} from '../../helpers/postgres-server.js';
import { keyedRecord, nanoUsdOf } from '../ledger-records.js';
import { pgQuery } from '../postgres/pg-fixture.js';

const KEYS = 3000;

let server: PostgresServer | undefined;
let dir = '';
beforeAll(async () => {
  diag.disable();
  dir = mkdtempSync(join(tmpdir(), 'ledger-attack-two-'));
  if (postgresBinary() !== undefined) server = await startPostgresServer();
}, 120_000);
afterAll(() => {
  server?.remove();
  rmSync(dir, { recursive: true, force: true });
});

async function race(url: string): Promise<CostLedger> {
  const ledgers = [0, 1].map(
    i =>
      new CostLedger({
        url,
        spillFile: join(dir, `spill-${i}-${url.length}.jsonl`),
        batchRows: 97 + i * 40,
        flushIntervalSeconds: 0.01,
      }),
  );
  const orders = [
    Array.from({ length: KEYS }, (_, n) => n),
    Array.from({ length: KEYS }, (_, n) => KEYS - 1 - n),
  ];
  await Promise.all(
    ledgers.map(async (ledger, i) => {
      const order = orders[i] as number[];
      for (let k = 0; k < order.length; k += 1) {
        ledger.record(keyedRecord(order[k] as number));
        if (k % 5 === 0) ledger.record(keyedRecord(order[k >> 1] as number));
        if (k % 500 === 0) await new Promise(r => setImmediate(r));
      }
      await ledger.shutdown();
    }),
  );
  for (const ledger of ledgers) {
    expect(ledger.stats.dropped).toMatchObject({ queue_full: 0 });
    expect(ledger.stats.spilled).toBe(0);
  }
  expect(ledgers.reduce((a, l) => a + l.stats.written, 0)).toBe(KEYS);
  return ledgers[0] as CostLedger;
}

function expectedNusd(): string {
  let sum = 0n;
  for (let n = 0; n < KEYS; n += 1) sum += BigInt(nanoUsdOf(n));
  return sum.toString();
}

describe('two writers, one ledger', () => {
  it('SQLite: every call once', async () => {
    const url = `sqlite:${join(dir, 'two.db')}`;
    await race(url);
    const reader = new CostLedger({ url, spillFile: join(dir, 'r.jsonl') });
    try {
      const rows = await reader.query({ by: 'tenant' });
      expect(rows.reduce((a, r) => a + r.calls, 0)).toBe(KEYS);
      const nusd = rows.reduce(
        (a, r) => a + BigInt(Math.round(r.spendUsd * 1e9)),
        0n,
      );
      expect(nusd.toString()).toBe(expectedNusd());
    } finally {
      await reader.shutdown();
    }
  }, 60_000);

  it.runIf(postgresBinary() !== undefined)(
    'PostgreSQL: every call once, daily sums equal the rows',
    async () => {
      const url = (server as PostgresServer).createDatabase('two');
      await race(url);
      const [rows] = await pgQuery(
        url,
        'SELECT count(*)::text AS n, sum(total_nusd)::text AS s FROM llm_calls',
      );
      const [daily] = await pgQuery(
        url,
        'SELECT sum(calls)::text AS n, sum(total_nusd)::text AS s FROM llm_calls_daily',
      );
      expect(rows).toEqual({ n: String(KEYS), s: expectedNusd() });
      expect(daily).toEqual(rows);
    },
    60_000,
  );
});

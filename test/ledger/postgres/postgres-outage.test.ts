import { diag } from '@opentelemetry/api';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CostLedger } from '../../../src/ledger/cost-ledger.js';
import {
  postgresBinary,
  startPostgresServer,
  type PostgresServer,
} from '../../helpers/postgres-server.js';
import { keyedRecord, nanoUsdOf } from '../ledger-records.js';
import { totals } from './pg-fixture.js';

let server: PostgresServer | undefined;
let dir = '';
beforeAll(async () => {
  diag.disable();
  server = await startPostgresServer();
  dir = mkdtempSync(join(tmpdir(), 'ledger-pg-spill-'));
}, 120_000);
afterAll(() => {
  server?.remove();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number): Promise<void> =>
  new Promise(resolve => setTimeout(resolve, ms));

function expectedNusd(keys: number): bigint {
  let sum = 0n;
  for (let n = 0; n < keys; n += 1) sum += BigInt(nanoUsdOf(n));
  return sum;
}

/** Waits (bounded) until the spill file is replayed and the queue drained. */
async function drained(ledger: CostLedger, spill: string): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    await ledger.forceFlush();
    if (!existsSync(spill) && !existsSync(`${spill}.replay`)) return;
    await sleep(100);
  }
  throw new Error('the spill file was never replayed');
}

describe.runIf(postgresBinary() !== undefined)(
  'CostLedger on PostgreSQL through outages',
  () => {
    it('PostgreSQL killed mid-load (pg_ctl stop -m immediate) and restarted: every row once, the spill replayed', async () => {
      const s = server as PostgresServer;
      const url = s.createDatabase('outage');
      const spill = join(dir, 'outage.spill.jsonl');
      const ledger = new CostLedger({
        url,
        spillFile: spill,
        maxRetrySeconds: 1,
        flushIntervalSeconds: 0.05,
      });
      await ledger.ready();
      let next = 0;
      const record = (count: number): void => {
        for (let i = 0; i < count; i += 1) ledger.record(keyedRecord(next++));
      };
      for (let round = 0; round < 5; round += 1) {
        record(400);
        await sleep(20);
      }
      // A large write in flight when the server dies.
      record(6000);
      const inFlight = ledger.forceFlush();
      await sleep(5);
      s.stop('immediate');
      await inFlight;
      for (let round = 0; round < 5; round += 1) {
        record(300);
        // Redeliveries of calls already stored (or spilled).
        for (let k = 0; k < 50; k += 1) ledger.record(keyedRecord(k * 7));
        await sleep(60);
      }
      expect(ledger.stats.spilled).toBeGreaterThan(0);
      expect(ledger.stats.failedWrites).toBeGreaterThan(0);
      s.start();
      record(500);
      await drained(ledger, spill);
      await ledger.shutdown();
      expect(ledger.stats.replayed).toBeGreaterThan(0);
      expect(Object.values(ledger.stats.dropped).every(n => n === 0)).toBe(
        true,
      );
      expect(await totals(url)).toEqual({
        rows: next,
        nusd: expectedNusd(next),
      });
    }, 60_000);

    it('a statement timeout (a lock held elsewhere) spills the batch; it is written once the lock goes', async () => {
      const s = server as PostgresServer;
      const url = s.createDatabase('timeout');
      const spill = join(dir, 'timeout.spill.jsonl');
      // Driver settings ride on the URL (they override the ledger's defaults).
      const ledger = new CostLedger({
        url: `${url}?statement_timeout=300`,
        spillFile: spill,
        maxRetrySeconds: 1,
        flushIntervalSeconds: 0.05,
      });
      await ledger.ready();
      for (let n = 0; n < 100; n += 1) ledger.record(keyedRecord(n));
      await ledger.forceFlush();
      const holder = new pg.Client({ connectionString: url });
      await holder.connect();
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE llm_calls IN ACCESS EXCLUSIVE MODE');
      for (let n = 100; n < 300; n += 1) ledger.record(keyedRecord(n));
      await ledger.forceFlush();
      expect(ledger.stats.spilled).toBe(200);
      expect(ledger.stats.failedWrites).toBeGreaterThan(0);
      await holder.query('ROLLBACK');
      await holder.end();
      await drained(ledger, spill);
      await ledger.shutdown();
      expect(await totals(url)).toEqual({
        rows: 300,
        nusd: expectedNusd(300),
      });
    }, 30_000);

    it('connection refused at start: rows spill, then land once the server is up', async () => {
      const s = server as PostgresServer;
      const url = s.createDatabase('refused');
      s.stop('fast');
      const spill = join(dir, 'refused.spill.jsonl');
      const ledger = new CostLedger({
        url,
        spillFile: spill,
        maxRetrySeconds: 1,
        flushIntervalSeconds: 0.05,
      });
      try {
        await expect(ledger.ready()).rejects.toThrow(
          /cannot open the ledger at 127\.0\.0\.1:\d+\/refused/,
        );
        for (let n = 0; n < 250; n += 1) ledger.record(keyedRecord(n));
        await ledger.forceFlush();
        expect(ledger.stats.spilled).toBe(250);
      } finally {
        s.start();
      }
      await drained(ledger, spill);
      await ledger.shutdown();
      expect(ledger.stats.replayed).toBe(250);
      expect(await totals(url)).toEqual({
        rows: 250,
        nusd: expectedNusd(250),
      });
    }, 30_000);
  },
);

import { diag } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CostLedger } from '../../../src/ledger/cost-ledger.js';
import { withRetention } from '../../../src/ledger/retention-opener.js';
import {
  pruneLedger,
  retentionCutoffMillis,
} from '../../../src/ledger/retention.js';
import { openSqliteLedgerStore } from '../../../src/ledger/sqlite/sqlite-ledger-store.js';
import {
  postgresBinary,
  startPostgresServer,
  type PostgresServer,
} from '../../helpers/postgres-server.js';
import {
  ledgerTracing,
  readRows,
  tempLedgerDir,
  type TempDir,
} from '../ledger-fixture.js';
import { partitions, rowAt, totals } from './pg-fixture.js';

const DAY = 86_400_000;

let dir: TempDir;
let server: PostgresServer | undefined;
beforeAll(async () => {
  diag.disable();
  dir = tempLedgerDir();
  if (postgresBinary() !== undefined) server = await startPostgresServer();
}, 120_000);
afterAll(() => {
  dir.remove();
  server?.remove();
});

/** Rows 0..n-1, row i `i` days ago (plus an hour into that day's UTC). */
function daysAgo(n: number, now: number) {
  const today = Math.floor(now / DAY) * DAY;
  return Array.from({ length: n }, (_, i) =>
    rowAt(i, today - i * DAY + 3600_000),
  );
}

describe('retention', () => {
  it('the cutoff keeps today and retainDays whole UTC days before it', () => {
    const now = Date.UTC(2026, 10, 30, 0, 0, 0, 1);
    expect(new Date(retentionCutoffMillis(1, now)).toISOString()).toBe(
      '2026-11-29T00:00:00.000Z',
    );
    expect(new Date(retentionCutoffMillis(30, now)).toISOString()).toBe(
      '2026-10-31T00:00:00.000Z',
    );
    expect(() => retentionCutoffMillis(0, now)).toThrow(RangeError);
    expect(() => retentionCutoffMillis(1.5, now)).toThrow(RangeError);
  });

  it('SQLite: deletes rows before the cutoff in batches (more rows than one batch)', async () => {
    const db = `${dir.dir}/batches.db`;
    const store = await openSqliteLedgerStore(db);
    const now = Date.now();
    const old = Array.from({ length: 12_345 }, (_, i) =>
      rowAt(i, now - 40 * DAY - i),
    );
    await store.insert(old);
    await store.insert(
      daysAgo(3, now).map((r, i) => ({
        ...r,
        spanId: `f${i}`.padStart(16, '0'),
      })),
    );
    const result = await pruneLedger(store, 2, now);
    expect(result.deletedRows).toBe(12_345);
    expect(readRows(db)).toHaveLength(3);
    await store.close();
  });

  it('CostLedger retainDays prunes when the store opens and again once a day has passed', async () => {
    const db = `${dir.dir}/opener.db`;
    const store = await openSqliteLedgerStore(db);
    const start = Date.UTC(2026, 10, 30, 12);
    await store.insert(daysAgo(10, start));
    await store.close();
    let now = start;
    const open = withRetention(
      () => openSqliteLedgerStore(db),
      5,
      () => now,
    );
    const opened = await open();
    // Kept: today and the 5 days before it.
    expect(readRows(db)).toHaveLength(6);
    now += DAY - 1; // not yet a day: no prune on insert
    await opened.insert([]);
    expect(readRows(db)).toHaveLength(6);
    now += 1;
    await opened.insert([]);
    expect(readRows(db)).toHaveLength(5);
    await opened.close();
  });

  it('processor option from OTEL_GENAI_COST_LEDGER_RETAIN_DAYS: old rows gone at the first write', async () => {
    const db = `${dir.dir}/env.db`;
    const store = await openSqliteLedgerStore(db);
    await store.insert(daysAgo(10, Date.now()));
    await store.close();
    const tracing = ledgerTracing({
      env: {
        OTEL_GENAI_COST_LEDGER: `sqlite:${db}`,
        OTEL_GENAI_COST_LEDGER_RETAIN_DAYS: '3',
      },
    });
    await tracing.shutdown();
    expect(readRows(db)).toHaveLength(4);
    expect(
      () => new CostLedger({ url: `sqlite:${db}`, retainDays: 0 }),
    ).toThrow(/retainDays/);
  });

  it.runIf(postgresBinary() !== undefined)(
    'PostgreSQL: CostLedger retainDays drops old partitions at open',
    async () => {
      const url = (server as PostgresServer).createDatabase('retain');
      const first = new CostLedger({ url, spillFile: `${dir.dir}/pg.jsonl` });
      await first.ready();
      await first.shutdown();
      const { openPostgresLedgerStore } =
        await import('../../../src/ledger/postgres/postgres-ledger-store.js');
      const store = await openPostgresLedgerStore(url, 'test');
      await store.insert(daysAgo(10, Date.now()));
      await store.close();
      const ledger = new CostLedger({
        url,
        retainDays: 3,
        spillFile: `${dir.dir}/pg.jsonl`,
      });
      await ledger.ready();
      await ledger.shutdown();
      expect((await totals(url)).rows).toBe(4);
      const days = (await partitions(url)).length;
      // Today, 3 days back, 1 day to 3 days ahead: nothing older.
      expect(days).toBe(4 + 3);
    },
    30_000,
  );
});

import { diag, DiagLogLevel, type MeterProvider } from '@opentelemetry/api';
import Database from 'libsql';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { LedgerStore } from '../../src/index.js';
import { openSqliteLedgerStore } from '../../src/ledger/sqlite/sqlite-ledger-store.js';
import { keyedRecord, nanoUsdOf } from './ledger-records.js';
import {
  readRows,
  sqliteLedger,
  tempLedgerDir,
  type TempDir,
} from './ledger-fixture.js';

let dir: TempDir | undefined;
afterEach(() => {
  dir?.remove();
  dir = undefined;
  diag.disable();
});

function captureWarnings(): string[] {
  const warnings: string[] = [];
  const push = (message: string): void => void warnings.push(message);
  diag.setLogger(
    {
      error: push,
      warn: push,
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  return warnings;
}

/** A MeterProvider whose counters add into `counts` (by name and reason). */
function countingMeters(counts: Map<string, number>): MeterProvider {
  return {
    getMeter: () =>
      ({
        createCounter: (name: string) => ({
          add: (value: number, attributes?: Record<string, unknown>) => {
            const key = `${name} ${String(attributes?.['reason'])}`;
            counts.set(key, (counts.get(key) ?? 0) + value);
          },
        }),
      }) as never,
  };
}

/** The real SQLite store, failing while `down.value` is true. */
function flakyStore(
  path: string,
  down: { value: boolean },
): () => Promise<LedgerStore> {
  return async () => {
    if (down.value) throw new Error('database is down');
    const store = await openSqliteLedgerStore(path);
    return {
      insert: rows => {
        if (down.value) throw new Error('disk I/O error');
        return store.insert(rows);
      },
      dialect: store.dialect,
      select: (sql, params) => store.select(sql, params),
      execute: (sql, params) => store.execute(sql, params),
      close: () => store.close(),
    };
  };
}

const sumNano = (keys: Iterable<number>): number =>
  [...keys].reduce((sum, n) => sum + nanoUsdOf(n), 0);

describe('CostLedger under pressure', () => {
  it('counts queue overflow in the metric and warns once per burst', async () => {
    dir = tempLedgerDir();
    const warnings = captureWarnings();
    const counts = new Map<string, number>();
    const ledger = sqliteLedger(dir.db, {
      maxQueueRows: 10,
      meterProvider: countingMeters(counts),
    });
    for (let n = 0; n < 25; n += 1) ledger.record(keyedRecord(n));
    await ledger.forceFlush();
    for (let n = 25; n < 40; n += 1) ledger.record(keyedRecord(n));
    await ledger.shutdown();
    expect(counts.get('otel_genai_cost.ledger.dropped queue_full')).toBe(
      15 + 5,
    );
    expect(ledger.stats.dropped.queue_full).toBe(20);
    expect(warnings.filter(w => /queue is full/.test(w))).toHaveLength(2);
    const rows = readRows(dir.db);
    expect(rows.map(row => row.span_id)).toHaveLength(20);
    expect(rows.reduce((sum, row) => sum + (row.total_nusd as number), 0)).toBe(
      sumNano([
        ...Array(10).keys(),
        ...Array.from({ length: 10 }, (_, i) => 25 + i),
      ]),
    );
  });

  it('a failing store: rows spill to the file, are replayed once it recovers, nothing lost, nothing doubled', async () => {
    dir = tempLedgerDir();
    const warnings = captureWarnings();
    const down = { value: true };
    const ledger = sqliteLedger(dir.db, {
      openStore: flakyStore(dir.db, down),
      batchRows: 7,
    });
    for (let n = 0; n < 30; n += 1) ledger.record(keyedRecord(n));
    await ledger.forceFlush();
    expect(ledger.stats.spilled).toBe(30);
    expect(existsSync(`${dir.db}.spill.jsonl`)).toBe(true);
    // Redelivered while still down: spilled again (the key dedupes later).
    for (let n = 20; n < 45; n += 1) ledger.record(keyedRecord(n));
    await ledger.forceFlush();
    down.value = false;
    for (let n = 40; n < 50; n += 1) ledger.record(keyedRecord(n));
    await ledger.shutdown();
    const rows = readRows(dir.db);
    expect(rows).toHaveLength(50);
    expect(rows.reduce((sum, row) => sum + (row.total_nusd as number), 0)).toBe(
      sumNano(Array(50).keys()),
    );
    expect(readdirSync(dir.dir).filter(name => name.includes('spill'))).toEqual(
      [],
    );
    expect(ledger.stats).toMatchObject({
      written: 50,
      replayed: 55,
      dropped: { spill_full: 0, spill_failed: 0 },
    });
    expect(warnings.filter(w => /the store failed/.test(w))).toHaveLength(1);
  });

  it('a store failing again in the middle of a replay keeps the rest for the next replay', async () => {
    dir = tempLedgerDir();
    captureWarnings();
    const down = { value: true };
    let inserts = 0;
    const failing = flakyStore(dir.db, down);
    const ledger = sqliteLedger(dir.db, {
      batchRows: 7,
      openStore: async () => {
        const store = await failing();
        return {
          insert: rows => {
            inserts += 1;
            if (inserts === 3) throw new Error('disk I/O error'); // the third replay batch
            return store.insert(rows);
          },
          dialect: store.dialect,
          select: (sql, params) => store.select(sql, params),
          execute: (sql, params) => store.execute(sql, params),
          close: () => store.close(),
        };
      },
    });
    for (let n = 0; n < 30; n += 1) ledger.record(keyedRecord(n));
    await ledger.forceFlush();
    down.value = false;
    await ledger.forceFlush(); // replays 2 batches of 7, then fails
    expect(readRows(dir.db)).toHaveLength(14);
    await ledger.shutdown(); // replays everything again; the first 14 are ignored
    const rows = readRows(dir.db);
    expect(rows).toHaveLength(30);
    expect(rows.reduce((sum, row) => sum + (row.total_nusd as number), 0)).toBe(
      sumNano(Array(30).keys()),
    );
    expect(ledger.stats).toMatchObject({ written: 30, duplicates: 14 });
  });

  it('a real lock held by another writer: the batch spills, and lands once the lock is gone', async () => {
    dir = tempLedgerDir();
    captureWarnings();
    const ledger = sqliteLedger(dir.db);
    await ledger.ready();
    const other = new Database(dir.db);
    other.exec('BEGIN EXCLUSIVE');
    for (let n = 0; n < 20; n += 1) ledger.record(keyedRecord(n));
    await ledger.forceFlush();
    expect(ledger.stats).toMatchObject({ written: 0, spilled: 20 });
    other.exec('COMMIT');
    other.close();
    for (let n = 10; n < 30; n += 1) ledger.record(keyedRecord(n));
    await ledger.shutdown();
    const rows = readRows(dir.db);
    expect(rows).toHaveLength(30);
    expect(rows.reduce((sum, row) => sum + (row.total_nusd as number), 0)).toBe(
      sumNano(Array(30).keys()),
    );
  });

  it('the database file removed while open: noticed, a new file is made, later rows are not lost into the removed one', async () => {
    dir = tempLedgerDir();
    captureWarnings();
    const ledger = sqliteLedger(dir.db);
    for (let n = 0; n < 5; n += 1) ledger.record(keyedRecord(n));
    await ledger.forceFlush();
    for (const suffix of ['', '-wal', '-shm'])
      rmSync(dir.db + suffix, { force: true });
    for (let n = 5; n < 12; n += 1) ledger.record(keyedRecord(n));
    await ledger.forceFlush(); // noticed: spilled
    await ledger.shutdown(); // a new file, the spill replayed
    expect(readRows(dir.db).map(row => row.span_id)).toHaveLength(7);
    expect(ledger.stats.failedWrites).toBe(1);
  });

  it('a replay cut short (the process died before the replay file was removed) counts nothing twice', async () => {
    dir = tempLedgerDir();
    const down = { value: true };
    const first = sqliteLedger(dir.db, { openStore: flakyStore(dir.db, down) });
    for (let n = 0; n < 12; n += 1) first.record(keyedRecord(n));
    await first.shutdown();
    // Half of the spilled rows were stored, then the process died.
    const store = await openSqliteLedgerStore(dir.db);
    const { SpillFile } = await import('../../src/ledger/spill-file.js');
    const taken = new SpillFile(`${dir.db}.spill.jsonl`, 1 << 20).take();
    await store.insert((taken?.rows ?? []).slice(0, 6));
    await store.close();
    const second = sqliteLedger(dir.db);
    second.record(keyedRecord(3));
    await second.shutdown();
    const rows = readRows(dir.db);
    expect(rows).toHaveLength(12);
    expect(second.stats).toMatchObject({ written: 6, duplicates: 7 });
  });

  it('a store that never opened, its folder missing: rows spill into a folder made for them, then land', async () => {
    dir = tempLedgerDir();
    captureWarnings();
    const db = `${dir.dir}/not/yet/ledger.db`;
    const down = { value: true };
    const ledger = sqliteLedger(db, { openStore: flakyStore(db, down) });
    for (let n = 0; n < 4; n += 1) ledger.record(keyedRecord(n));
    await ledger.forceFlush();
    expect(ledger.stats).toMatchObject({
      spilled: 4,
      dropped: { spill_failed: 0 },
    });
    down.value = false;
    await ledger.shutdown();
    expect(readRows(db)).toHaveLength(4);
  });

  it('a full spill file: rows dropped and counted, never silently', async () => {
    dir = tempLedgerDir();
    captureWarnings();
    const counts = new Map<string, number>();
    const ledger = sqliteLedger(dir.db, {
      openStore: flakyStore(dir.db, { value: true }),
      maxSpillBytes: 2000,
      batchRows: 1,
      meterProvider: countingMeters(counts),
    });
    for (let n = 0; n < 20; n += 1) ledger.record(keyedRecord(n));
    await ledger.shutdown();
    const { spilled, dropped } = ledger.stats;
    expect(spilled).toBeGreaterThan(0);
    expect(spilled + dropped.spill_full).toBe(20);
    expect(counts.get('otel_genai_cost.ledger.dropped spill_full')).toBe(
      dropped.spill_full,
    );
  });

  it('records without a key and records after shutdown are counted as dropped', async () => {
    dir = tempLedgerDir();
    captureWarnings();
    const ledger = sqliteLedger(dir.db);
    const { traceId: _t, spanId: _s, ...keyless } = keyedRecord(1);
    ledger.record(keyless);
    await ledger.shutdown();
    ledger.record(keyedRecord(2));
    expect(ledger.stats.dropped).toMatchObject({
      no_key: 1,
      after_shutdown: 1,
    });
    expect(readRows(dir.db)).toHaveLength(0);
  });

  it('a record whose start time is not a number is dropped, not a poison batch', async () => {
    dir = tempLedgerDir();
    captureWarnings();
    const ledger = sqliteLedger(dir.db);
    const good = keyedRecord(1);
    ledger.record({
      ...keyedRecord(2),
      call: { ...keyedRecord(2).call, startTimeMillis: Number.NaN },
    });
    ledger.record(good);
    await ledger.shutdown();
    expect(ledger.stats.dropped).toMatchObject({ bad_time: 1 });
    expect(ledger.stats.written).toBe(1);
    expect(ledger.stats.spilled).toBe(0);
    expect(readRows(dir.db)).toHaveLength(1);
  });
});

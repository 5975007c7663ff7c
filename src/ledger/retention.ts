import { setImmediate as nextTurn } from 'node:timers/promises';
import type { LedgerStore } from './ledger-store.js';
import {
  DAY_MILLIS,
  partitionDay,
  partitionName,
} from './postgres/postgres-schema.js';

/** Rows deleted per SQLite statement (each holds the write lock briefly). */
export const SQLITE_PRUNE_BATCH_ROWS = 5000;
/** Bound on SQLite delete rounds in one prune (5000 × 100000 rows). */
const MAX_ROUNDS = 100_000;

/** What a prune removed. */
export interface PruneResult {
  /** Rows older than this (start of a UTC day, ISO 8601) are gone. */
  readonly cutoff: string;
  /** PostgreSQL: the day partitions dropped (`llm_calls_pYYYYMMDD`). */
  readonly droppedPartitions: readonly string[];
  /** Rows removed (PostgreSQL: from the daily sums of the dropped days). */
  readonly deletedRows: number;
}

/**
 * The retention cutoff: today (UTC) and the `retainDays` days before it
 * are kept; anything earlier goes. Day-aligned, so PostgreSQL (whole day
 * partitions) and SQLite (rows) remove the same rows.
 */
export function retentionCutoffMillis(retainDays: number, now: number): number {
  if (!Number.isSafeInteger(retainDays) || retainDays < 1) {
    throw new RangeError(
      'retainDays must be a whole number of days, at least 1',
    );
  }
  return (Math.floor(now / DAY_MILLIS) - retainDays) * DAY_MILLIS;
}

/**
 * Removes the rows older than the retention cutoff. PostgreSQL drops whole
 * day partitions (no row-by-row delete, no bloat) and their daily sums;
 * SQLite deletes rows in batches of `SQLITE_PRUNE_BATCH_ROWS`, yielding
 * between them.
 */
export async function pruneLedger(
  store: LedgerStore,
  retainDays: number,
  now = Date.now(),
): Promise<PruneResult> {
  const cutoffMillis = retentionCutoffMillis(retainDays, now);
  const cutoff = new Date(cutoffMillis).toISOString();
  if (store.dialect === 'postgres') {
    return { cutoff, ...(await dropPartitions(store, cutoffMillis)) };
  }
  let deletedRows = 0;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const deleted = await store.execute(
      'DELETE FROM llm_calls WHERE rowid IN (SELECT rowid FROM llm_calls WHERE time_ms < ? LIMIT ?)',
      [cutoffMillis, SQLITE_PRUNE_BATCH_ROWS],
    );
    deletedRows += deleted;
    if (deleted < SQLITE_PRUNE_BATCH_ROWS) break;
    await nextTurn();
  }
  return { cutoff, droppedPartitions: [], deletedRows };
}

async function dropPartitions(
  store: LedgerStore,
  cutoffMillis: number,
): Promise<Omit<PruneResult, 'cutoff'>> {
  const cutoffDay = cutoffMillis / DAY_MILLIS;
  const partitions = await store.select(
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname = 'llm_calls' AND p.relnamespace = current_schema()::regnamespace`,
  );
  const old = partitions
    .map(row => partitionDay(String(row['name'])))
    .filter((day): day is number => day !== undefined && day < cutoffDay)
    .sort((a, b) => a - b);
  const dropped: string[] = [];
  let deletedRows = 0;
  for (const day of old) {
    const name = partitionName(day);
    // The daily sums hold each day's exact row count (new rows only).
    const [sums] = await store.select(
      `WITH gone AS (DELETE FROM llm_calls_daily WHERE day_ms = ? RETURNING calls)
       SELECT coalesce(sum(calls), 0)::bigint AS n FROM gone`,
      [day * DAY_MILLIS],
    );
    await store.execute(`DROP TABLE IF EXISTS ${name}`);
    deletedRows += Number(sums?.['n'] ?? 0);
    dropped.push(name);
  }
  // Sums of days without a partition (never expected): gone too.
  await store.execute('DELETE FROM llm_calls_daily WHERE day_ms < ?', [
    cutoffMillis,
  ]);
  return { droppedPartitions: dropped, deletedRows };
}

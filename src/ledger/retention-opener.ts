import { diag } from '@opentelemetry/api';
import type { LedgerRow } from './ledger-row.js';
import type { LedgerStore, OpenLedgerStore } from './ledger-store.js';
import { pruneLedger } from './retention.js';

/** A prune runs at most this often (and when a store opens). */
export const PRUNE_EVERY_MILLIS = 24 * 3600 * 1000;
/** After a failed prune, the next try waits this long. */
const RETRY_PRUNE_MILLIS = 3600 * 1000;

/**
 * Retention applied by the writer's own store: `open` prunes rows older
 * than `retainDays` once the store is open, and an insert prunes first
 * when a day has passed since the last prune (off the caller's path: the
 * writer runs inserts from its queue). A failed prune is logged and tried
 * again an hour later; it never fails the open or the insert.
 */
export function withRetention(
  open: OpenLedgerStore,
  retainDays: number | undefined,
  clock: () => number = Date.now,
): OpenLedgerStore {
  if (retainDays === undefined) return open;
  let due = 0;
  const prune = async (store: LedgerStore): Promise<void> => {
    const now = clock();
    if (now < due) return;
    due = now + RETRY_PRUNE_MILLIS;
    try {
      const result = await pruneLedger(store, retainDays, now);
      due = now + PRUNE_EVERY_MILLIS;
      if (result.deletedRows > 0 || result.droppedPartitions.length > 0) {
        diag.info(
          `otel-genai-cost ledger: retention (${retainDays} days) removed ${result.deletedRows} row(s) before ${result.cutoff}${result.droppedPartitions.length > 0 ? ` (partitions ${result.droppedPartitions.join(', ')})` : ''}`,
        );
      }
    } catch (error) {
      diag.warn(
        `otel-genai-cost ledger: retention could not prune (tried again in an hour): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
  return async () => {
    const store = await open();
    await prune(store);
    return {
      dialect: store.dialect,
      insert: async (rows: readonly LedgerRow[]) => {
        await prune(store);
        return store.insert(rows);
      },
      select: (sql, params) => store.select(sql, params),
      execute: (sql, params) => store.execute(sql, params),
      close: () => store.close(),
    };
  };
}

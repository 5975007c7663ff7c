import type { LedgerRow } from './ledger-row.js';

/**
 * Where ledger rows are written. `insert` writes a batch in one
 * transaction, ignoring rows whose key is already stored, and returns how
 * many were new; it throws when nothing was written (the batch is then
 * retried whole: the key makes that safe).
 */
export interface LedgerStore {
  insert(rows: readonly LedgerRow[]): number;
  close(): void;
}

/** Opens a store; rejects with a message naming what is missing. */
export type OpenLedgerStore = () => Promise<LedgerStore>;

import type { LedgerRow } from './ledger-row.js';

/**
 * Where ledger rows are written. Experimental (the PostgreSQL store comes
 * next).
 */
export interface LedgerStore {
  /**
   * Writes a batch in one transaction, ignoring rows whose key is already
   * stored; returns how many were new. Throws when nothing was written
   * (the batch is then spilled and retried whole: the key makes that safe).
   */
  insert(rows: readonly LedgerRow[]): number;
  /** Releases the connection (after a failure too). */
  close(): void;
}

/** Opens a store; rejects with a message naming what is missing. */
export type OpenLedgerStore = () => Promise<LedgerStore>;

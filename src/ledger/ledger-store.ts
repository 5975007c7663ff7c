import type { LedgerRow } from './ledger-row.js';

/** The SQL dialect of a store (queries are written per dialect). */
export type LedgerDialect = 'sqlite' | 'postgres';

/** A value bound to a `?` placeholder. */
export type LedgerSqlParam = string | number | bigint | null;

/**
 * Where ledger rows are written and read. Experimental: the building block
 * under `CostLedger`, the `report`, `export` and `ledger forget` commands.
 */
export interface LedgerStore {
  readonly dialect: LedgerDialect;
  /**
   * Writes a batch in one transaction, ignoring rows whose key is already
   * stored; returns how many were new. Throws (or rejects) when nothing was
   * written (the batch is then spilled and retried whole: the key makes
   * that safe).
   */
  insert(rows: readonly LedgerRow[]): number | Promise<number>;
  /**
   * Runs one read statement. Placeholders are `?` in both dialects (the
   * PostgreSQL store numbers them); values come back as the driver gives
   * them: integers may be `number`, `bigint` or (PostgreSQL `bigint` and
   * `numeric`) decimal strings, so callers convert with care.
   */
  select(
    sql: string,
    params?: readonly LedgerSqlParam[],
  ): Promise<Record<string, unknown>[]>;
  /** Runs one write statement; resolves to the number of rows it changed. */
  execute(sql: string, params?: readonly LedgerSqlParam[]): Promise<number>;
  /** Releases the connection (after a failure too). */
  close(): void | Promise<void>;
}

/** Opens a store; rejects with a message naming what is missing. */
export type OpenLedgerStore = () => Promise<LedgerStore>;

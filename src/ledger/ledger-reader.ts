import { existsSync } from 'node:fs';
import { LedgerConfigError } from './ledger-config-error.js';
import type { LedgerStore } from './ledger-store.js';
import { parseLedgerUrl } from './ledger-url.js';
import type { LedgerQuery, LedgerReportRow } from './query/ledger-query.js';
import { queryLedger } from './query/query-ledger.js';
import { openPostgresLedgerStore } from './postgres/postgres-ledger-store.js';
import { openSqliteLedgerStore } from './sqlite/sqlite-ledger-store.js';

/** Reads a ledger for reports and scripts; writes nothing. */
export interface LedgerReader {
  /** The open store (experimental: for the page's other queries). */
  readonly store: LedgerStore;
  /** Runs a report (see `LedgerQuery`). */
  query(q: LedgerQuery): Promise<LedgerReportRow[]>;
  /** Releases the connection. */
  close(): Promise<void>;
}

/**
 * Opens the ledger at `url` for reading, without a writer, a queue or a
 * timer: for the `report` command and your scripts (`sqlite:<path>` or
 * `postgres://`; the driver's package is needed). A `sqlite:` file that
 * does not exist is a `LedgerConfigError` (a report never creates an empty
 * ledger); the URL is never repeated in a message.
 */
export async function openLedgerReader(url: string): Promise<LedgerReader> {
  const location = parseLedgerUrl(url);
  if (location.kind === 'postgres') {
    return readerOf(
      await openPostgresLedgerStore(location.url, location.display),
    );
  }
  if (!existsSync(location.path)) {
    throw new LedgerConfigError(
      `ledger: no SQLite ledger at ${location.path} (the file does not exist)`,
    );
  }
  return readerOf(await openSqliteLedgerStore(location.path));
}

/** A reader over a store already open. */
export function readerOf(store: LedgerStore): LedgerReader {
  return {
    store,
    query: q => queryLedger(store, q),
    close: async () => {
      await store.close();
    },
  };
}

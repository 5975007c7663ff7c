import { existsSync } from 'node:fs';
import type { LedgerStore } from '../ledger-store.js';
import { parseLedgerUrl } from '../ledger-url.js';
import { openSqliteLedgerStore } from '../sqlite/sqlite-ledger-store.js';
import { ExportError } from './export-error.js';

/**
 * Opens the ledger a `--ledger <url>` names, for reading usage and keeping
 * the outbox. Unlike the writer, it never creates a missing database: an
 * export from a mistyped path must fail, not report zero usage. (SQLite
 * here; the shared `openLedgerStore` also opens PostgreSQL.)
 */
export async function openExportStore(url: string): Promise<LedgerStore> {
  const location = parseLedgerUrl(url);
  if (location.kind !== 'sqlite') {
    throw new ExportError(
      '--ledger: the export reads sqlite: ledgers in this build',
    );
  }
  if (!existsSync(location.path)) {
    throw new ExportError(`--ledger: no ledger database at ${location.path}`);
  }
  return openSqliteLedgerStore(location.path);
}

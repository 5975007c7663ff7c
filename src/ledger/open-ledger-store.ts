import { existsSync } from 'node:fs';
import { LedgerConfigError } from './ledger-config-error.js';
import type { LedgerStore } from './ledger-store.js';
import { parseLedgerUrl } from './ledger-url.js';
import { openPostgresLedgerStore } from './postgres/postgres-ledger-store.js';
import { openSqliteLedgerStore } from './sqlite/sqlite-ledger-store.js';

/**
 * Opens the store at `url` directly (no writer, queue or timer): for the
 * `ledger prune` and `ledger forget` commands and scripts. A `sqlite:`
 * file that does not exist is a `LedgerConfigError` (never an empty ledger
 * created by a maintenance command); PostgreSQL is migrated if needed. The
 * URL is never repeated in a message.
 */
export async function openLedgerStore(url: string): Promise<LedgerStore> {
  const location = parseLedgerUrl(url);
  if (location.kind === 'postgres') {
    return openPostgresLedgerStore(location.url, location.display);
  }
  if (!existsSync(location.path)) {
    throw new LedgerConfigError(
      `ledger: no SQLite ledger at ${location.path} (the file does not exist)`,
    );
  }
  return openSqliteLedgerStore(location.path);
}

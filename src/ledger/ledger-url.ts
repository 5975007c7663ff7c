import { resolve } from 'node:path';
import { LedgerConfigError } from './ledger-config-error.js';

/** Where the ledger keeps its rows. */
export interface SqliteLedgerLocation {
  readonly kind: 'sqlite';
  /** Absolute path of the database file. */
  readonly path: string;
}

export type LedgerLocation = SqliteLedgerLocation;

/** The schemes this release supports, for messages. */
export const SUPPORTED_LEDGER_URLS = 'sqlite:<path>';

/**
 * `sqlite:<path>` (`sqlite:./ledger.db`, `sqlite:/var/lib/app/ledger.db`,
 * `sqlite:///var/lib/app/ledger.db`) → the file. Anything else is a
 * `LedgerConfigError` naming what is supported; nothing is a silent no-op.
 * The message never repeats the URL (a database URL may hold a password).
 */
export function parseLedgerUrl(url: string): LedgerLocation {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'sqlite') {
    let path = url.slice('sqlite:'.length);
    // sqlite:///abs/path (URL form): the path after the empty authority.
    if (path.startsWith('//')) path = path.slice(2);
    if (path === '' || path === ':memory:') {
      throw new LedgerConfigError(
        `ledger: sqlite: needs a file path (e.g. sqlite:./ledger.db); an in-memory ledger would lose every row at exit`,
      );
    }
    return { kind: 'sqlite', path: resolve(path) };
  }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    throw new LedgerConfigError(
      `ledger: ${scheme}:// is not supported yet (PostgreSQL comes in a later release); supported: ${SUPPORTED_LEDGER_URLS}`,
    );
  }
  throw new LedgerConfigError(
    `ledger: ${scheme === undefined ? 'a URL without a scheme' : `unsupported scheme ${scheme}:`}; supported: ${SUPPORTED_LEDGER_URLS}`,
  );
}

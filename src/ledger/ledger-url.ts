import { resolve } from 'node:path';
import { LedgerConfigError } from './ledger-config-error.js';

/** Where the ledger keeps its rows. */
export interface SqliteLedgerLocation {
  readonly kind: 'sqlite';
  /** Absolute path of the database file. */
  readonly path: string;
}

/** A PostgreSQL database (`postgres://user:password@host:port/db?...`). */
export interface PostgresLedgerLocation {
  readonly kind: 'postgres';
  /** The URL as given, for the driver (it may hold a password: never logged). */
  readonly url: string;
  /** `host:port/database`, without user or password: safe in messages and file names. */
  readonly display: string;
}

export type LedgerLocation = SqliteLedgerLocation | PostgresLedgerLocation;

/** The schemes this release supports, for messages. */
export const SUPPORTED_LEDGER_URLS =
  'sqlite:<path>, postgres://[user[:password]@]host[:port]/database';

function postgresLocation(url: string): PostgresLedgerLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The URL's own text is never repeated: it may hold a password.
    throw new LedgerConfigError(
      'ledger: the postgres:// URL does not parse (expected postgres://[user[:password]@]host[:port]/database; percent-encode special characters in the password)',
    );
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (parsed.hostname === '' && !parsed.searchParams.has('host')) {
    throw new LedgerConfigError(
      'ledger: the postgres:// URL needs a host (postgres://host[:port]/database)',
    );
  }
  if (database === '') {
    throw new LedgerConfigError(
      'ledger: the postgres:// URL needs a database name (postgres://host[:port]/database)',
    );
  }
  const host = parsed.hostname || (parsed.searchParams.get('host') ?? '');
  return {
    kind: 'postgres',
    url,
    display: `${host}:${parsed.port || '5432'}/${database}`,
  };
}

/**
 * `sqlite:<path>` (`sqlite:./ledger.db`, `sqlite:/var/lib/app/ledger.db`,
 * `sqlite:///var/lib/app/ledger.db`) → the file; `postgres://` or
 * `postgresql://` → the database (needs the `pg` package). Anything else is
 * a `LedgerConfigError` naming what is supported; nothing is a silent
 * no-op. No message repeats the URL (a database URL may hold a password).
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
    return postgresLocation(url);
  }
  throw new LedgerConfigError(
    `ledger: ${scheme === undefined ? 'a URL without a scheme' : `unsupported scheme ${scheme}:`}; supported: ${SUPPORTED_LEDGER_URLS}`,
  );
}

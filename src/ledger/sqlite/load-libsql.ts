/**
 * The part of `libsql`'s (better-sqlite3-compatible, synchronous) API the
 * ledger uses, declared here so our published types never import an
 * optional peer.
 */
export interface SqliteStatement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export interface SqliteDatabase {
  prepare(source: string): SqliteStatement;
  exec(source: string): unknown;
  close(): unknown;
}

export type SqliteDatabaseConstructor = new (
  path: string,
  options?: { timeout?: number },
) => SqliteDatabase;

/** The npm package that provides SQLite (an optional peer dependency). */
export const SQLITE_PACKAGE = 'libsql';

let loaded: Promise<SqliteDatabaseConstructor> | undefined;

/**
 * Imports `libsql` once. It is an optional peer: applications that use no
 * SQLite ledger never load (or install) a native module. Missing, the error
 * says which package to install.
 */
export function loadLibsql(): Promise<SqliteDatabaseConstructor> {
  loaded ??= import(SQLITE_PACKAGE).then(
    (module: { default?: unknown }) =>
      (module.default ?? module) as SqliteDatabaseConstructor,
    (error: unknown) => {
      loaded = undefined;
      throw new Error(
        `the sqlite: ledger needs the "${SQLITE_PACKAGE}" package (prebuilt SQLite for Node): npm install ${SQLITE_PACKAGE}`,
        { cause: error },
      );
    },
  );
  return loaded;
}

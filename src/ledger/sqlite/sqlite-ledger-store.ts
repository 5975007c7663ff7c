import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LedgerRow } from '../ledger-row.js';
import type { LedgerSqlParam, LedgerStore } from '../ledger-store.js';
import {
  loadLibsql,
  type SqliteDatabase,
  type SqliteStatement,
} from './load-libsql.js';
import {
  INSERT_SQL,
  SCHEMA_TABLE,
  SQLITE_MIGRATIONS,
} from './sqlite-schema.js';

/**
 * How long a write waits for another writer's lock before it fails (and
 * the batch goes to the spill file). The wait blocks the event loop, so it
 * stays short; readers never block a writer in WAL mode.
 */
export const SQLITE_BUSY_TIMEOUT_MILLIS = 50;

/** Applies the migrations not applied yet, each in its own transaction. */
export function migrateSqlite(db: SqliteDatabase): void {
  db.exec(SCHEMA_TABLE);
  const applied = new Set(
    (
      db.prepare('SELECT version FROM ledger_schema').all() as {
        version: number;
      }[]
    ).map(row => row.version),
  );
  SQLITE_MIGRATIONS.forEach((sql, i) => {
    const version = i + 1;
    if (applied.has(version)) return;
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(sql);
      db.prepare(
        'INSERT OR IGNORE INTO ledger_schema (version, applied_ms) VALUES (?, ?)',
      ).run(version, Date.now());
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  });
}

function values(row: LedgerRow): unknown[] {
  return [
    row.traceId,
    row.spanId,
    row.timeMillis,
    row.service,
    row.userId,
    row.sessionId,
    row.tenantId,
    row.plan,
    row.feature,
    row.tags,
    row.provider,
    row.model,
    row.inputTokens,
    row.outputTokens,
    row.cacheReadTokens,
    row.cacheWriteTokens,
    row.reasoningTokens,
    row.inputNanoUsd,
    row.outputNanoUsd,
    row.cacheReadNanoUsd,
    row.cacheWriteNanoUsd,
    row.totalNanoUsd,
    row.source,
    row.priceVersion,
    row.unpricedReason,
  ];
}

/** The ledger in one SQLite file (WAL mode), written through `libsql`. */
export class SqliteLedgerStore implements LedgerStore {
  readonly dialect = 'sqlite' as const;
  private readonly _db: SqliteDatabase;
  private readonly _insert: SqliteStatement;
  private readonly _path: string;
  private readonly _ino: number;

  constructor(db: SqliteDatabase, path: string) {
    this._db = db;
    this._path = path;
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MILLIS}`);
    migrateSqlite(db);
    this._insert = db.prepare(INSERT_SQL);
    this._ino = statSync(path).ino;
  }

  insert(rows: readonly LedgerRow[]): number {
    // A file removed (or replaced) while open would take the rows with it
    // silently: SQLite keeps writing to the unlinked file.
    if (statSync(this._path, { throwIfNoEntry: false })?.ino !== this._ino) {
      throw new Error('the ledger file was removed or replaced');
    }
    let inserted = 0;
    this._db.exec('BEGIN IMMEDIATE');
    try {
      for (const row of rows)
        inserted += this._insert.run(...values(row)).changes;
      this._db.exec('COMMIT');
    } catch (error) {
      try {
        this._db.exec('ROLLBACK');
      } catch {
        // No transaction left to roll back (BEGIN itself failed).
      }
      throw error;
    }
    return inserted;
  }

  select(
    sql: string,
    params: readonly LedgerSqlParam[] = [],
  ): Promise<Record<string, unknown>[]> {
    return Promise.resolve().then(
      () => this._db.prepare(sql).all(...params) as Record<string, unknown>[],
    );
  }

  execute(
    sql: string,
    params: readonly LedgerSqlParam[] = [],
  ): Promise<number> {
    return Promise.resolve().then(
      () => this._db.prepare(sql).run(...params).changes,
    );
  }

  close(): void {
    this._db.close();
  }
}

/** Loads the driver, creates the folder and file if needed, migrates. */
export async function openSqliteLedgerStore(
  path: string,
): Promise<LedgerStore> {
  const Database = await loadLibsql();
  mkdirSync(dirname(path), { recursive: true });
  return new SqliteLedgerStore(
    new Database(path, { timeout: SQLITE_BUSY_TIMEOUT_MILLIS }),
    path,
  );
}

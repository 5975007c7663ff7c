import { diag } from '@opentelemetry/api';
import type { LedgerRow } from '../ledger-row.js';
import type { LedgerSqlParam, LedgerStore } from '../ledger-store.js';
import { loadPg, type PgPool } from './load-pg.js';
import { numberedPlaceholders } from './numbered-placeholders.js';
import {
  createPartitionSql,
  DAY_MILLIS,
  POSTGRES_INSERT_SQL,
  POSTGRES_MIGRATIONS,
  POSTGRES_SCHEMA_TABLE,
} from './postgres-schema.js';

/** Connections at most (writes are one at a time; reads may overlap). */
export const POSTGRES_POOL_MAX = 4;
/** A statement running longer fails (and its batch spills). */
export const POSTGRES_QUERY_TIMEOUT_MILLIS = 30_000;
/** Connecting longer fails (the database is down). */
export const POSTGRES_CONNECT_TIMEOUT_MILLIS = 5_000;
/** Days after today whose partitions exist ahead of need. */
export const PARTITION_DAYS_AHEAD = 3;
/** Lock id serializing migrations between processes (any constant). */
const MIGRATION_LOCK = 7_302_551_120;
/** "no partition of relation found for row": dropped meanwhile. */
const NO_PARTITION = '23514';
/** deadlock_detected, serialization_failure: the batch is simply retried. */
const RETRY_NOW = new Set(['40P01', '40001']);
/** Immediate retries of a batch that lost a deadlock before it spills. */
const DEADLOCK_RETRIES = 3;

const byKey = (a: LedgerRow, b: LedgerRow): number =>
  a.traceId < b.traceId
    ? -1
    : a.traceId > b.traceId
      ? 1
      : a.spanId < b.spanId
        ? -1
        : a.spanId > b.spanId
          ? 1
          : a.timeMillis - b.timeMillis;

const dayOf = (millis: number): number => Math.floor(millis / DAY_MILLIS);

/**
 * PostgreSQL text refuses U+0000 (SQLite keeps it): one such value (a user
 * id from a span) would fail its batch on every replay, so it is dropped.
 */
function pgText(value: unknown): unknown {
  return typeof value === 'string' && value.includes('\0')
    ? value.replaceAll('\0', '')
    : value;
}

function columns(rows: readonly LedgerRow[]): unknown[][] {
  const pick = <K extends keyof LedgerRow>(key: K): unknown[] =>
    rows.map(row => pgText(row[key]));
  return [
    pick('traceId'),
    pick('spanId'),
    pick('timeMillis'),
    pick('service'),
    pick('userId'),
    pick('sessionId'),
    pick('tenantId'),
    pick('plan'),
    pick('feature'),
    pick('tags'),
    pick('provider'),
    pick('model'),
    pick('inputTokens'),
    pick('outputTokens'),
    pick('cacheReadTokens'),
    pick('cacheWriteTokens'),
    pick('reasoningTokens'),
    pick('inputNanoUsd'),
    pick('outputNanoUsd'),
    pick('cacheReadNanoUsd'),
    pick('cacheWriteNanoUsd'),
    pick('totalNanoUsd'),
    pick('source'),
    pick('priceVersion'),
    pick('unpricedReason'),
  ];
}

const codeOf = (error: unknown): unknown =>
  (error as { code?: unknown } | null)?.code;

/**
 * The ledger in PostgreSQL, through a small `pg` pool. A batch is one
 * statement (`INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING`,
 * with the daily sums of the new rows): it is whole or not at all, so a
 * batch that failed (connection refused, server gone mid-statement,
 * timeout) is retried whole and the key ignores what had been stored.
 * A row's day partition is created before its batch when not known to
 * exist, so a late or early span never fails the batch.
 */
export class PostgresLedgerStore implements LedgerStore {
  readonly dialect = 'postgres' as const;
  private readonly _pool: PgPool;
  private readonly _days = new Set<number>();

  constructor(pool: PgPool) {
    this._pool = pool;
  }

  /** Migrations and the partitions from yesterday to a few days ahead. */
  async prepare(now = Date.now()): Promise<void> {
    const client = await this._pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query(POSTGRES_SCHEMA_TABLE);
      const { rows } = await client.query('SELECT version FROM ledger_schema');
      const applied = new Set(rows.map(row => Number(row['version'])));
      for (const [i, sql] of POSTGRES_MIGRATIONS.entries()) {
        if (applied.has(i + 1)) continue;
        await client.query(sql);
        await client.query(
          'INSERT INTO ledger_schema (version, applied_ms) VALUES ($1, $2) ON CONFLICT DO NOTHING',
          [i + 1, now],
        );
      }
      await client.query('COMMIT');
      client.release();
    } catch (error) {
      client.release(true);
      throw error;
    }
    const today = dayOf(now);
    const days = [];
    for (let d = today - 1; d <= today + PARTITION_DAYS_AHEAD; d += 1)
      days.push(d);
    await this._ensureDays(days);
  }

  async insert(rows: readonly LedgerRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    await this._ensureDays(rows.map(row => dayOf(row.timeMillis)));
    try {
      return await this._insert(rows);
    } catch (error) {
      if (codeOf(error) !== NO_PARTITION) throw error;
      // A partition dropped by retention elsewhere: known days forgotten.
      this._days.clear();
      await this._ensureDays(rows.map(row => dayOf(row.timeMillis)));
      return await this._insert(rows);
    }
  }

  async select(
    sql: string,
    params: readonly LedgerSqlParam[] = [],
  ): Promise<Record<string, unknown>[]> {
    const result = await this._pool.query(numberedPlaceholders(sql), params);
    return result.rows;
  }

  async execute(
    sql: string,
    params: readonly LedgerSqlParam[] = [],
  ): Promise<number> {
    const result = await this._pool.query(numberedPlaceholders(sql), params);
    return result.rowCount ?? 0;
  }

  /** Forgets which partitions exist (after they were dropped). */
  forgetPartitions(): void {
    this._days.clear();
  }

  async close(): Promise<void> {
    await this._pool.end();
  }

  /**
   * Rows go in key order, so two writers storing the same calls (two
   * gateways, a redelivery) take the key locks in one order and do not
   * deadlock; should the server still pick this batch as a deadlock victim
   * it is retried at once, a few times, before it spills.
   */
  private async _insert(rows: readonly LedgerRow[]): Promise<number> {
    const params = columns([...rows].sort(byKey));
    for (let attempt = 0; ; attempt += 1) {
      try {
        const result = await this._pool.query(POSTGRES_INSERT_SQL, params);
        return Number(result.rows[0]?.['inserted'] ?? 0);
      } catch (error) {
        const code = codeOf(error);
        if (attempt >= DEADLOCK_RETRIES || !RETRY_NOW.has(String(code)))
          throw error;
      }
    }
  }

  private async _ensureDays(days: readonly number[]): Promise<void> {
    for (const day of new Set(days)) {
      if (this._days.has(day)) continue;
      try {
        await this._pool.query(createPartitionSql(day));
      } catch (error) {
        // Another writer created it at the same moment: it exists.
        const code = codeOf(error);
        if (code !== '42P07' && code !== '23505') throw error;
      }
      this._days.add(day);
    }
  }
}

/**
 * Opens a pool on `url` (needs the `pg` package), migrates and creates the
 * partitions from yesterday to a few days ahead. `display` (host, port,
 * database, never the password) names the database in messages.
 */
export async function openPostgresLedgerStore(
  url: string,
  display: string,
  now = Date.now(),
): Promise<PostgresLedgerStore> {
  const Pool = await loadPg();
  const pool = new Pool({
    connectionString: url,
    max: POSTGRES_POOL_MAX,
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MILLIS,
    query_timeout: POSTGRES_QUERY_TIMEOUT_MILLIS,
    statement_timeout: POSTGRES_QUERY_TIMEOUT_MILLIS,
    application_name: 'otel-genai-cost ledger',
  });
  // A connection the server drops (restart, pg_terminate_backend, network)
  // emits 'error', idle or busy: unheard, that would crash the process. The
  // statement running on it fails on its own and the writer backs off.
  const dropped = (error: Error): void => {
    diag.debug(
      `otel-genai-cost ledger: a PostgreSQL connection to ${display} closed (${error.message})`,
    );
  };
  pool.on('error', dropped);
  pool.on('connect', client => {
    client.on('error', dropped);
  });
  const store = new PostgresLedgerStore(pool);
  try {
    await store.prepare(now);
  } catch (error) {
    await pool.end().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot open the ledger at ${display}: ${reason}`, {
      cause: error,
    });
  }
  return store;
}

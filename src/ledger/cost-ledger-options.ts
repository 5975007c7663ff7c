import type { MeterProvider } from '@opentelemetry/api';
import { resolve } from 'node:path';
import { LedgerConfigError } from './ledger-config-error.js';
import type { OpenLedgerStore } from './ledger-store.js';
import { parseLedgerUrl, type LedgerLocation } from './ledger-url.js';
import { withRetention } from './retention-opener.js';
import { openPostgresLedgerStore } from './postgres/postgres-ledger-store.js';
import { openSqliteLedgerStore } from './sqlite/sqlite-ledger-store.js';

/** Options of `CostLedger`. */
export interface CostLedgerOptions {
  /**
   * Where the rows go: `sqlite:<path>` (a SQLite file, created with its
   * folder if missing; needs the `libsql` package) or
   * `postgres://user:password@host:port/database` (needs the `pg`
   * package; the table, its day partitions and indexes are created). Other
   * schemes are a `LedgerConfigError`.
   */
  readonly url: string;
  /** The `service` column of every row (e.g. `OTEL_SERVICE_NAME`). @defaultValue none */
  readonly service?: string | undefined;
  /**
   * Records waiting for a write at most; more are dropped, counted
   * (`otel_genai_cost.ledger.dropped`, reason `queue_full`) and logged
   * once per burst. @defaultValue 100000
   */
  readonly maxQueueRows?: number | undefined;
  /**
   * Rows per write transaction. SQLite: a write is synchronous, it blocks
   * the event loop for its batch (measured: about 30-60 µs a row into a
   * growing file, so 200 rows take about 6-25 ms); the queue yields
   * between batches. PostgreSQL: one statement per batch, awaited (the
   * event loop stays free). @defaultValue 200 (SQLite), 1000 (PostgreSQL)
   */
  readonly batchRows?: number | undefined;
  /** How often the queue is written. @defaultValue 1 */
  readonly flushIntervalSeconds?: number | undefined;
  /**
   * Rows the store could not take go here (JSON lines), replayed once it
   * works again. @defaultValue `<database path>.spill.jsonl`; PostgreSQL:
   * `./otel-genai-cost-ledger-<host>-<port>-<database>.spill.jsonl`
   */
  readonly spillFile?: string | undefined;
  /** Bound on the spill file; past it rows are dropped and counted. @defaultValue 268435456 (256 MiB) */
  readonly maxSpillBytes?: number | undefined;
  /** Longest wait between two attempts on a failing store. @defaultValue 60 */
  readonly maxRetrySeconds?: number | undefined;
  /**
   * Keep today (UTC) and this many days before it; older rows are removed
   * when the store opens and then once a day (PostgreSQL drops whole day
   * partitions, SQLite deletes rows in batches). @defaultValue none (kept forever)
   */
  readonly retainDays?: number | undefined;
  /** Where the dropped-rows counter goes. @defaultValue the global MeterProvider */
  readonly meterProvider?: MeterProvider | undefined;
  /**
   * Opens a store of your own instead of the URL's (the URL still names
   * the spill file's default place). Experimental: tests pass a store
   * that fails.
   */
  readonly openStore?: OpenLedgerStore | undefined;
}

export const LEDGER_DEFAULTS = {
  maxQueueRows: 100_000,
  batchRows: 200,
  /** PostgreSQL: a write is async (the event loop stays free), a bigger batch pays. */
  postgresBatchRows: 1000,
  flushIntervalSeconds: 1,
  maxSpillBytes: 256 * 1024 * 1024,
  maxRetrySeconds: 60,
} as const;

/** Every option checked once, defaults filled in. */
export interface ResolvedLedgerOptions {
  readonly service: string | undefined;
  readonly maxQueueRows: number;
  readonly batchRows: number;
  readonly flushIntervalMillis: number;
  readonly spillFile: string;
  readonly maxSpillBytes: number;
  readonly maxRetryMillis: number;
  readonly retainDays: number | undefined;
  readonly meterProvider: MeterProvider | undefined;
  readonly openStore: OpenLedgerStore;
}

function positiveInteger(
  name: string,
  value: number | undefined,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (Number.isSafeInteger(value) && value > 0) return value;
  throw new LedgerConfigError(`ledger: ${name} must be a whole number above 0`);
}

function seconds(
  name: string,
  value: number | undefined,
  fallback: number,
): number {
  const s = value ?? fallback;
  if (s > 0 && s <= 3600) return s * 1000;
  throw new LedgerConfigError(
    `ledger: ${name} must be above 0 and at most 3600`,
  );
}

/** The spill file next to a SQLite file; in the working folder for PostgreSQL. */
function defaultSpillFile(location: LedgerLocation): string {
  if (location.kind === 'sqlite') return `${location.path}.spill.jsonl`;
  const name = location.display.replace(/[^A-Za-z0-9_.]+/g, '-');
  return resolve(`otel-genai-cost-ledger-${name}.spill.jsonl`);
}

function openerOf(location: LedgerLocation): OpenLedgerStore {
  if (location.kind === 'sqlite') {
    return () => openSqliteLedgerStore(location.path);
  }
  return () => openPostgresLedgerStore(location.url, location.display);
}

/** Checks the options; a URL or value the ledger cannot use is a `LedgerConfigError`. */
export function resolveLedgerOptions(
  options: CostLedgerOptions,
): ResolvedLedgerOptions {
  const location = parseLedgerUrl(options.url);
  const retainDays =
    options.retainDays === undefined
      ? undefined
      : positiveInteger('retainDays', options.retainDays, 1);
  const d = LEDGER_DEFAULTS;
  return {
    service: options.service,
    maxQueueRows: positiveInteger(
      'maxQueueRows',
      options.maxQueueRows,
      d.maxQueueRows,
    ),
    batchRows: positiveInteger(
      'batchRows',
      options.batchRows,
      location.kind === 'postgres' ? d.postgresBatchRows : d.batchRows,
    ),
    flushIntervalMillis: seconds(
      'flushIntervalSeconds',
      options.flushIntervalSeconds,
      d.flushIntervalSeconds,
    ),
    spillFile: options.spillFile ?? defaultSpillFile(location),
    maxSpillBytes: positiveInteger(
      'maxSpillBytes',
      options.maxSpillBytes,
      d.maxSpillBytes,
    ),
    maxRetryMillis: seconds(
      'maxRetrySeconds',
      options.maxRetrySeconds,
      d.maxRetrySeconds,
    ),
    retainDays,
    meterProvider: options.meterProvider,
    openStore: withRetention(
      options.openStore ?? openerOf(location),
      retainDays,
    ),
  };
}

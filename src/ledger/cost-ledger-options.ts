import type { MeterProvider } from '@opentelemetry/api';
import { LedgerConfigError } from './ledger-config-error.js';
import type { OpenLedgerStore } from './ledger-store.js';
import { parseLedgerUrl } from './ledger-url.js';
import { openSqliteLedgerStore } from './sqlite/sqlite-ledger-store.js';

/** Options of `CostLedger`. */
export interface CostLedgerOptions {
  /**
   * Where the rows go: `sqlite:<path>` (a SQLite file, created with its
   * folder if missing; needs the `libsql` package). Other schemes are a
   * `LedgerConfigError`.
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
   * Rows per write transaction. A write is synchronous: it blocks the
   * event loop for its batch (measured: about 30-60 µs a row into a
   * growing file, so 200 rows take about 6-25 ms); the queue yields
   * between batches. @defaultValue 200
   */
  readonly batchRows?: number | undefined;
  /** How often the queue is written. @defaultValue 1 */
  readonly flushIntervalSeconds?: number | undefined;
  /**
   * Rows the store could not take go here (JSON lines), replayed once it
   * works again. @defaultValue `<database path>.spill.jsonl`
   */
  readonly spillFile?: string | undefined;
  /** Bound on the spill file; past it rows are dropped and counted. @defaultValue 268435456 (256 MiB) */
  readonly maxSpillBytes?: number | undefined;
  /** Longest wait between two attempts on a failing store. @defaultValue 60 */
  readonly maxRetrySeconds?: number | undefined;
  /** Where the dropped-rows counter goes. @defaultValue the global MeterProvider */
  readonly meterProvider?: MeterProvider | undefined;
  /**
   * Opens a store of your own instead of the URL's (the URL still names
   * the spill file's default place). Experimental: the seam the PostgreSQL
   * store will use; tests pass a store that fails.
   */
  readonly openStore?: OpenLedgerStore | undefined;
}

export const LEDGER_DEFAULTS = {
  maxQueueRows: 100_000,
  batchRows: 200,
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

/** Checks the options; a URL or value the ledger cannot use is a `LedgerConfigError`. */
export function resolveLedgerOptions(
  options: CostLedgerOptions,
): ResolvedLedgerOptions {
  const { path } = parseLedgerUrl(options.url);
  const d = LEDGER_DEFAULTS;
  return {
    service: options.service,
    maxQueueRows: positiveInteger(
      'maxQueueRows',
      options.maxQueueRows,
      d.maxQueueRows,
    ),
    batchRows: positiveInteger('batchRows', options.batchRows, d.batchRows),
    flushIntervalMillis: seconds(
      'flushIntervalSeconds',
      options.flushIntervalSeconds,
      d.flushIntervalSeconds,
    ),
    spillFile: options.spillFile ?? `${path}.spill.jsonl`,
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
    meterProvider: options.meterProvider,
    openStore: options.openStore ?? (() => openSqliteLedgerStore(path)),
  };
}

import type { MeterProvider } from '@opentelemetry/api';
import type { OpenLedgerStore } from './ledger-store.js';

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

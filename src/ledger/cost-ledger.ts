import { diag, metrics, type Counter } from '@opentelemetry/api';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { CostRecord, CostSink } from '../core/cost-record.js';
import { ledgerRowOf, type LedgerRow } from './ledger-row.js';
import {
  emptyLedgerStats,
  type LedgerDropReason,
  type LedgerStats,
} from './ledger-stats.js';
import type { LedgerStore, OpenLedgerStore } from './ledger-store.js';
import { LedgerWriter } from './ledger-writer.js';
import {
  checkLedgerQuery,
  type LedgerQuery,
  type LedgerReportRow,
} from './query/ledger-query.js';
import { queryLedger } from './query/query-ledger.js';
import { SpillFile } from './spill-file.js';
import {
  resolveLedgerOptions,
  type CostLedgerOptions,
} from './cost-ledger-options.js';

/** Counter of rows that never reached the ledger, by `reason`. */
export const METRIC_LEDGER_DROPPED = 'otel_genai_cost.ledger.dropped';

/**
 * A `CostSink` that keeps one row per evaluated LLM call (priced or not),
 * keyed by (trace id, span id): a span delivered or replayed again is
 * never counted twice. `record` only enqueues (bounded; overflow counted
 * and logged); a timer writes the queue in batches; `forceFlush` and
 * `shutdown` drain it. See docs/ledger.md.
 *
 * @example
 * new CostSpanProcessor({ sinks: [new CostLedger({ url: 'sqlite:./ledger.db' })] })
 */
export class CostLedger implements CostSink {
  /** What the ledger did so far (live object). */
  readonly stats: LedgerStats = emptyLedgerStats();
  private readonly _service: string | undefined;
  private readonly _maxQueue: number;
  private readonly _batchRows: number;
  private readonly _writer: LedgerWriter;
  private readonly _dropped: Counter;
  private readonly _timer: NodeJS.Timeout;
  private readonly _openStore: OpenLedgerStore;
  private _reader: Promise<LedgerStore> | undefined;
  private _queue: CostRecord[] = [];
  private _flushing: Promise<void> | undefined;
  private _soon = false;
  private _overflowing = false;
  private _closed = false;

  constructor(options: CostLedgerOptions) {
    const o = resolveLedgerOptions(options);
    this._service = o.service;
    this._maxQueue = o.maxQueueRows;
    this._batchRows = o.batchRows;
    this._openStore = o.openStore;
    this._writer = new LedgerWriter({
      open: o.openStore,
      spill: new SpillFile(o.spillFile, o.maxSpillBytes),
      stats: this.stats,
      batchRows: o.batchRows,
      maxRetryMillis: o.maxRetryMillis,
      drop: (reason, rows) => this._drop(reason, rows),
    });
    this._dropped = (o.meterProvider ?? metrics.getMeterProvider())
      .getMeter('otel-genai-cost')
      .createCounter(METRIC_LEDGER_DROPPED, {
        unit: '{row}',
        description:
          'LLM call rows that never reached the cost ledger, by reason (queue_full, spill_full, spill_failed, no_key, bad_time, after_shutdown).',
      });
    this._timer = setInterval(
      () => void this._flush(false),
      o.flushIntervalMillis,
    );
    this._timer.unref();
  }

  /**
   * Opens the store now (the file, its schema, the driver): rejects with
   * the reason when it cannot be opened, e.g. the `libsql` package is
   * missing. Optional: without it the first write opens the store, and a
   * failure is logged and retried while rows spill.
   */
  ready(): Promise<void> {
    return this._writer.open();
  }

  /** Enqueues the call (nothing else happens on the caller's path). */
  record(record: CostRecord): void {
    if (this._closed) return this._drop('after_shutdown', 1);
    if (this._queue.length >= this._maxQueue)
      return this._drop('queue_full', 1);
    this._queue.push(record);
    this.stats.queued = this._queue.length;
    // A batch is ready: written soon, not on this call's path. While a
    // write runs, its end looks at the queue again (one check, not one
    // per call).
    if (this._queue.length >= this._batchRows && this._flushing === undefined) {
      this._flushSoon();
    }
  }

  /** Writes everything queued (trying the store even while backing off). */
  async forceFlush(): Promise<void> {
    // Bounded: records arriving meanwhile are written by the next rounds.
    for (let round = 0; round < 1000; round += 1) {
      if (this._flushing !== undefined) await this._flushing;
      else if (this._queue.length > 0 || round === 0) await this._flush(true);
      else return;
    }
  }

  /**
   * A report over the ledger (see `LedgerQuery`), after writing everything
   * queued. Reads through a connection of its own, opened on first use and
   * closed by `shutdown`. Rejects with a `LedgerQueryError` for a bad query,
   * or with the store's error while it is down (rows spilled meanwhile are
   * not counted until replayed).
   *
   * @example
   * const users = await ledger.query({ by: 'user', since: new Date(Date.now() - 7 * 86_400_000), top: 20 });
   */
  async query(q: LedgerQuery): Promise<LedgerReportRow[]> {
    if (this._closed)
      throw new Error(
        'otel-genai-cost ledger: query after shutdown (use openLedgerReader)',
      );
    checkLedgerQuery(q);
    await this.forceFlush();
    this._reader ??= this._openStore();
    try {
      return await queryLedger(await this._reader, q);
    } catch (error) {
      // A failing store (or one that failed to open) is opened again next time.
      const reader = this._reader;
      this._reader = undefined;
      await reader.then(store => store.close()).catch(() => undefined);
      throw error;
    }
  }

  /** Drains the queue, then closes the store; later records are dropped (counted). */
  async shutdown(): Promise<void> {
    if (this._closed) return;
    clearInterval(this._timer);
    await this.forceFlush();
    this._closed = true;
    this._writer.close();
    const reader = this._reader;
    this._reader = undefined;
    await reader?.then(store => store.close()).catch(() => undefined);
  }

  private _flushSoon(): void {
    if (this._soon || this._closed) return;
    this._soon = true;
    setImmediate(() => {
      this._soon = false;
      void this._flush(false);
    }).unref();
  }

  private _flush(force: boolean): Promise<void> {
    this._flushing ??= this._write(force).finally(() => {
      this._flushing = undefined;
      if (this._queue.length >= this._batchRows) this._flushSoon();
    });
    return this._flushing;
  }

  private async _write(force: boolean): Promise<void> {
    const records = this._queue;
    this._queue = [];
    this.stats.queued = 0;
    this._overflowing = false;
    try {
      // Converted and written a batch at a time: the event loop is free
      // between batches (the writer yields before each but the first).
      for (let i = 0; i < records.length; i += this._batchRows) {
        const rows: LedgerRow[] = [];
        for (const record of records.slice(i, i + this._batchRows)) {
          const row = ledgerRowOf(record, this._service);
          if (typeof row === 'string') this._drop(row, 1);
          else rows.push(row);
        }
        if (i > 0) await nextTurn();
        await this._writer.write(rows, force);
      }
      if (records.length === 0) await this._writer.write([], force);
    } catch (error) {
      diag.error('otel-genai-cost ledger: a write failed unexpectedly', error);
    }
  }

  private _drop(reason: LedgerDropReason, rows: number): void {
    this.stats.dropped[reason] += rows;
    this._dropped.add(rows, { reason });
    if (reason === 'queue_full') {
      if (this._overflowing) return;
      this._overflowing = true;
      diag.warn(
        `otel-genai-cost ledger: the queue is full (${this._maxQueue} rows waiting for a write): calls are dropped and counted (${METRIC_LEDGER_DROPPED}) until it drains`,
      );
    } else if (reason === 'no_key' && this.stats.dropped.no_key === rows) {
      diag.warn(
        'otel-genai-cost ledger: a record without traceId and spanId has no key and is not kept',
      );
    } else if (reason === 'bad_time' && this.stats.dropped.bad_time === rows) {
      diag.warn(
        'otel-genai-cost ledger: a call whose start time is not a number from 1970 to 9999 is not kept',
      );
    } else if (
      reason === 'after_shutdown' &&
      this.stats.dropped.after_shutdown === rows
    ) {
      diag.warn(
        'otel-genai-cost ledger: a call recorded after shutdown is not kept',
      );
    }
  }
}

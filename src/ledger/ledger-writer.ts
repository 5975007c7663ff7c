import { diag } from '@opentelemetry/api';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { LedgerRow } from './ledger-row.js';
import type { LedgerStats, LedgerDropReason } from './ledger-stats.js';
import type { LedgerStore, OpenLedgerStore } from './ledger-store.js';
import type { SpillFile } from './spill-file.js';

const FIRST_RETRY_MILLIS = 1000;

export interface LedgerWriterOptions {
  readonly open: OpenLedgerStore;
  readonly spill: SpillFile;
  readonly stats: LedgerStats;
  readonly batchRows: number;
  readonly maxRetryMillis: number;
  readonly drop: (reason: LedgerDropReason, rows: number) => void;
}

/**
 * Writes rows to the store in batches (one transaction each, the event
 * loop free between them). A failing store (down, locked, disk full, file
 * removed) is closed and tried again after a backoff (1 s, doubling, up to
 * `maxRetryMillis`); meanwhile rows go to the spill file, replayed first on
 * the next write that reaches the store. One warning when an outage
 * starts, one when it ends.
 */
export class LedgerWriter {
  private readonly _o: LedgerWriterOptions;
  private _store: LedgerStore | undefined;
  /** An open in progress: `ready()` and a flush share it (one pool, not two). */
  private _opening: Promise<LedgerStore> | undefined;
  private _retryMillis = 0;
  private _nextAttempt = 0;
  private _failing = false;
  private _closed = false;

  constructor(options: LedgerWriterOptions) {
    this._o = options;
  }

  /** `force`: try the store even while backing off (flush, shutdown). */
  async write(rows: readonly LedgerRow[], force: boolean): Promise<void> {
    let store = await this._usable(force);
    if (store !== undefined && this._o.spill.bytes > 0) {
      store = await this._replay(store);
    }
    for (let i = 0; i < rows.length; i += this._o.batchRows) {
      if (i > 0) await nextTurn();
      const batch = rows.slice(i, i + this._o.batchRows);
      if (store !== undefined && (await this._insert(store, batch))) continue;
      store = undefined;
      this._spill(batch);
    }
  }

  /** Opens the store now; rejects with the reason it cannot be opened. */
  async open(): Promise<void> {
    await this._open();
  }

  /** Final: a store whose open is still under way is closed once open. */
  close(): void {
    this._closed = true;
    this._closeStore();
  }

  private async _usable(force: boolean): Promise<LedgerStore | undefined> {
    if (this._store !== undefined) return this._store;
    if (!force && Date.now() < this._nextAttempt) return undefined;
    try {
      return await this._open();
    } catch (error) {
      this._failed(error);
      return undefined;
    }
  }

  private async _open(): Promise<LedgerStore> {
    if (this._store !== undefined) return this._store;
    this._opening ??= this._o.open().finally(() => {
      this._opening = undefined;
    });
    const store = await this._opening;
    if (this._closed) {
      this._store = store;
      this._closeStore();
      throw new Error('the ledger was shut down while its store opened');
    }
    this._store = store;
    return store;
  }

  private async _replay(store: LedgerStore): Promise<LedgerStore | undefined> {
    let taken;
    try {
      taken = this._o.spill.take();
    } catch (error) {
      diag.error(
        `otel-genai-cost ledger: cannot read the spill file ${this._o.spill.path}`,
        error,
      );
      return store;
    }
    if (taken === undefined) return store;
    const { rows } = taken;
    for (let i = 0; i < rows.length; i += this._o.batchRows) {
      if (i > 0) await nextTurn();
      if (!(await this._insert(store, rows.slice(i, i + this._o.batchRows)))) {
        return undefined; // The replay file stays; read again next time.
      }
    }
    taken.done();
    this._o.stats.replayed += rows.length;
    if (taken.torn > 0) {
      diag.warn(
        `otel-genai-cost ledger: ${taken.torn} line(s) of the spill file did not parse (a write cut short) and were skipped`,
      );
    }
    return store;
  }

  /** One transaction; false (store closed, backoff set) when it failed. */
  private async _insert(
    store: LedgerStore,
    batch: readonly LedgerRow[],
  ): Promise<boolean> {
    const stats = this._o.stats;
    const started = performance.now();
    try {
      const inserted = await store.insert(batch);
      stats.written += inserted;
      stats.duplicates += batch.length - inserted;
    } catch (error) {
      stats.failedWrites += 1;
      this._failed(error);
      return false;
    } finally {
      const took = performance.now() - started;
      stats.writeMillis += took;
      if (took > stats.maxBatchMillis) stats.maxBatchMillis = took;
    }
    if (this._failing) {
      this._failing = false;
      diag.info('otel-genai-cost ledger: the store takes writes again');
    }
    this._retryMillis = 0;
    return true;
  }

  private _spill(rows: readonly LedgerRow[]): void {
    try {
      if (this._o.spill.append(rows)) {
        this._o.stats.spilled += rows.length;
        return;
      }
      this._o.drop('spill_full', rows.length);
    } catch (error) {
      diag.error(
        `otel-genai-cost ledger: cannot append to the spill file ${this._o.spill.path}; ${rows.length} row(s) lost`,
        error,
      );
      this._o.drop('spill_failed', rows.length);
    }
  }

  private _failed(error: unknown): void {
    this._closeStore();
    this._retryMillis = Math.min(
      this._retryMillis === 0 ? FIRST_RETRY_MILLIS : this._retryMillis * 2,
      this._o.maxRetryMillis,
    );
    this._nextAttempt = Date.now() + this._retryMillis;
    if (this._failing) return;
    this._failing = true;
    const reason = error instanceof Error ? error.message : String(error);
    diag.warn(
      `otel-genai-cost ledger: the store failed (${reason}); rows go to ${this._o.spill.path} and are replayed once it works again (next try in ${this._retryMillis / 1000} s, backing off)`,
    );
  }

  private _closeStore(): void {
    const store = this._store;
    this._store = undefined;
    // Closing a broken connection may fail too; it is dropped either way.
    try {
      const closing = store?.close();
      if (closing instanceof Promise) closing.catch(() => undefined);
    } catch {
      // See above.
    }
  }
}

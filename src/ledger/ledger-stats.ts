/** Why a row never reached the ledger (the `reason` of the dropped counter). */
export type LedgerDropReason =
  | 'queue_full'
  | 'spill_full'
  | 'spill_failed'
  | 'no_key'
  | 'bad_time'
  | 'after_shutdown';

/** What a `CostLedger` did so far (for health pages, tests and benchmarks). */
export interface LedgerStats {
  /** Records waiting in memory. */
  queued: number;
  /** Rows new to the store. */
  written: number;
  /** Rows the store already held (redelivered or replayed spans). */
  duplicates: number;
  /** Rows written to the spill file (a failing store). */
  spilled: number;
  /** Spilled rows read back into the store. */
  replayed: number;
  /** Store writes that failed (each retried later). */
  failedWrites: number;
  /** Rows lost, by reason; each also counted in the metric. */
  dropped: Record<LedgerDropReason, number>;
  /** The longest single write transaction (the event loop was blocked that long). */
  maxBatchMillis: number;
  /** Time spent in write transactions, all together. */
  writeMillis: number;
}

export function emptyLedgerStats(): LedgerStats {
  return {
    queued: 0,
    written: 0,
    duplicates: 0,
    spilled: 0,
    replayed: 0,
    failedWrites: 0,
    dropped: {
      queue_full: 0,
      spill_full: 0,
      spill_failed: 0,
      no_key: 0,
      bad_time: 0,
      after_shutdown: 0,
    },
    maxBatchMillis: 0,
    writeMillis: 0,
  };
}

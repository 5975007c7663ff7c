/** Why a recorded call never reached the store. */
export type BudgetDropReason = 'buffer_full' | 'after_shutdown';

/** What a `BudgetGuard` did so far (a live object, for health pages and tests). */
export interface BudgetGuardStats {
  /** Calls the store counted (first time seen). */
  recorded: number;
  /** Calls the store had already counted (redeliveries, replays of calls that had landed). */
  duplicates: number;
  /** Unpriced calls seen (charged `unpricedCallUsd`, by default nothing). */
  unpriced: number;
  /** Records without trace and span id: counted, but a redelivery would count again. */
  keyless: number;
  /** Recorded calls waiting to be sent or answered now (bounded by maxBufferedCalls). */
  queued: number;
  /** Calls held in memory now, waiting for the store to come back. */
  buffered: number;
  /** Buffered calls sent again. */
  replayed: number;
  /** Failed store commands (checks and recorded calls). */
  storeErrors: number;
  /** Checks answered by `onStoreError` instead of the store. */
  checksOnStoreError: number;
  /** Alerts that fired here (each fires in one replica only). */
  alertsFired: number;
  /** Calls lost, by reason (also counted in a metric). */
  dropped: Record<BudgetDropReason, number>;
}

export function emptyBudgetGuardStats(): BudgetGuardStats {
  return {
    recorded: 0,
    duplicates: 0,
    unpriced: 0,
    keyless: 0,
    queued: 0,
    buffered: 0,
    replayed: 0,
    storeErrors: 0,
    checksOnStoreError: 0,
    alertsFired: 0,
    dropped: { buffer_full: 0, after_shutdown: 0 },
  };
}

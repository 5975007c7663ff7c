/**
 * The seam between the guard and where spend is counted. The guard turns
 * budgets, subjects and windows into keys (see `budget-keys.ts`); a store
 * only executes these two operations, atomically each: in one process
 * (`memory`) or in one Lua script on Redis. Amounts are integer
 * micro-dollars; times are ms since the epoch.
 */

/** An increment of one spend counter by the call's micro-dollars. */
export interface SpendIncrement {
  readonly key: string;
  /** The counter expires then (past its window's end). */
  readonly expireAt: number;
}

/**
 * The thresholds of one budget, checked after the increments: one the
 * call crossed (spend before it below, after it at or above) fires unless
 * its alert key is set.
 */
export interface AlertCheck {
  /** The counters whose sum is the budget's spend in its window. */
  readonly sumKeys: readonly string[];
  readonly thresholds: readonly {
    readonly micros: number;
    /** Set once (if absent) when the spend reaches `micros`: the dedupe. */
    readonly alertKey: string;
  }[];
  readonly alertExpireAt: number;
}

/** Everything one priced call does to the store, applied once per key. */
export interface RecordOperation {
  /** Set if absent: a second operation with the same key changes nothing. */
  readonly seenKey: string;
  readonly seenExpireAt: number;
  /** The call's cost, added to each counter of `increments`. */
  readonly micros: number;
  readonly increments: readonly SpendIncrement[];
  readonly alerts: readonly AlertCheck[];
  /** Reservations this call settles: removed from each set. */
  readonly settle: readonly {
    readonly setKey: string;
    readonly member: string;
  }[];
  /** The time the operation was made (reservations older than it expire). */
  readonly now: number;
  /**
   * This operation's own id, kept in the seen-key: when an attempt landed
   * but its answer was lost (a timeout), the next attempt of the same
   * operation is answered as applied, with the thresholds the first one
   * fired (not as a redelivery). A store whose answers cannot be lost
   * (memory) may ignore it.
   */
  readonly operationId?: string;
}

export interface RecordOutcome {
  /**
   * False when the seen-key was already set by another operation (a
   * redelivery); true when this operation was applied, now or by an
   * earlier attempt whose answer was lost (`operationId`).
   */
  readonly applied: boolean;
  /** The thresholds that fire now: alert check and threshold indexes, spend then. */
  readonly fired: readonly {
    readonly check: number;
    readonly threshold: number;
    readonly spent: number;
  }[];
}

/** One budget as a check reads it. */
export interface BudgetRead {
  readonly sumKeys: readonly string[];
  /** The reservation sets that count against it (its subject's). */
  readonly reservationSets: readonly string[];
  readonly limitMicros: number;
}

export interface ReadOperation {
  readonly budgets: readonly BudgetRead[];
  readonly now: number;
  /**
   * Added to every set of `reservationSets` of the budgets, if each budget
   * still has room for it after the spend and the other reservations.
   */
  readonly reserve?: {
    readonly member: string;
    readonly micros: number;
    readonly expireAt: number;
    readonly sets: readonly string[];
  };
}

export interface ReadOutcome {
  /** Per budget: spend and reserved micro-dollars. */
  readonly budgets: readonly {
    readonly spent: number;
    readonly reserved: number;
  }[];
  /** True when `reserve` was asked for and added. */
  readonly reserved: boolean;
}

/** A place spend is counted. Every method may reject (the guard's failure policy). */
export interface BudgetStore {
  record(operation: RecordOperation): Promise<RecordOutcome>;
  read(operation: ReadOperation): Promise<ReadOutcome>;
  close(): Promise<void>;
}

/** A reservation member: `<id>:<micros>` (the amount travels with it). */
export function reservationMember(id: string, micros: number): string {
  return `${id}:${micros}`;
}

/** The micro-dollars a reservation member holds. */
export function reservationMicros(member: string): number {
  const amount = Number(member.slice(member.lastIndexOf(':') + 1));
  return Number.isSafeInteger(amount) && amount > 0 ? amount : 0;
}

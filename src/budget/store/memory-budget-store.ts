import {
  reservationMicros,
  type BudgetStore,
  type ReadOperation,
  type ReadOutcome,
  type RecordOperation,
  type RecordOutcome,
} from './budget-store.js';

/** Bounds of the memory store. */
export interface MemoryBudgetStoreOptions {
  /**
   * Seen keys kept at most (each about 150 bytes); past it the oldest are
   * forgotten first, so a span redelivered after that many newer calls
   * would count again. They also expire at their `seenExpireAt`.
   */
  readonly maxSeenKeys?: number;
}

export const DEFAULT_MAX_SEEN_KEYS = 100_000;

/** Operations between two sweeps of expired counters, alerts and reservations. */
const SWEEP_EVERY = 1024;

/**
 * Spend counted in this process only (one replica): the same operations as
 * the Redis store, on maps. Counters, alert keys and reservations expire
 * at their time (swept every 1024 operations), so old windows leave memory.
 */
export class MemoryBudgetStore implements BudgetStore {
  private readonly counters = new Map<
    string,
    { value: number; expireAt: number }
  >();
  private readonly seen = new Map<string, number>();
  private readonly alerts = new Map<string, number>();
  private readonly reservations = new Map<string, Map<string, number>>();
  private readonly maxSeenKeys: number;
  private operations = 0;

  constructor(options: MemoryBudgetStoreOptions = {}) {
    this.maxSeenKeys = options.maxSeenKeys ?? DEFAULT_MAX_SEEN_KEYS;
  }

  /** Keys held now, per kind (for tests and sizing). */
  get sizes(): {
    counters: number;
    seen: number;
    alerts: number;
    reservationSets: number;
  } {
    return {
      counters: this.counters.size,
      seen: this.seen.size,
      alerts: this.alerts.size,
      reservationSets: this.reservations.size,
    };
  }

  record(operation: RecordOperation): Promise<RecordOutcome> {
    const now = operation.now;
    this.maybeSweep(now);
    const seenUntil = this.seen.get(operation.seenKey);
    if (seenUntil !== undefined && seenUntil > now) {
      return Promise.resolve({ applied: false, fired: [] });
    }
    this.seen.delete(operation.seenKey);
    this.seen.set(operation.seenKey, operation.seenExpireAt);
    while (this.seen.size > this.maxSeenKeys) {
      const oldest = this.seen.keys().next().value as string;
      this.seen.delete(oldest);
    }
    // As the script: a live counter grows (its expiry kept), a new one
    // starts with the call and its window's expiry.
    const micros = operation.micros;
    for (const { key, expireAt } of operation.increments) {
      const counter = this.live(key, now);
      if (counter !== undefined) counter.value += micros;
      else if (expireAt > now) {
        this.counters.set(key, { value: micros, expireAt });
      }
    }
    for (const { setKey, member } of operation.settle) {
      this.reservations.get(setKey)?.delete(member);
    }
    const fired: { check: number; threshold: number; spent: number }[] = [];
    operation.alerts.forEach((check, c) => {
      const spent = this.sum(check.sumKeys, now);
      check.thresholds.forEach((threshold, t) => {
        if (spent < threshold.micros || spent - micros >= threshold.micros)
          return;
        const until = this.alerts.get(threshold.alertKey);
        if (until !== undefined && until > now) return;
        this.alerts.set(threshold.alertKey, check.alertExpireAt);
        fired.push({ check: c, threshold: t, spent });
      });
    });
    return Promise.resolve({ applied: true, fired });
  }

  read(operation: ReadOperation): Promise<ReadOutcome> {
    const now = operation.now;
    this.maybeSweep(now);
    const budgets = operation.budgets.map(budget => ({
      spent: this.sum(budget.sumKeys, now),
      reserved: budget.reservationSets.reduce(
        (total, set) => total + this.reservedIn(set, now),
        0,
      ),
    }));
    const reserve = operation.reserve;
    let reserved = false;
    if (reserve !== undefined) {
      reserved = budgets.every(
        (budget, i) =>
          budget.spent + budget.reserved + reserve.micros <=
          (operation.budgets[i]?.limitMicros ?? 0),
      );
      if (reserved) {
        for (const set of reserve.sets) {
          let members = this.reservations.get(set);
          if (members === undefined) {
            members = new Map();
            this.reservations.set(set, members);
          }
          members.set(reserve.member, reserve.expireAt);
        }
      }
    }
    return Promise.resolve({ budgets, reserved });
  }

  close(): Promise<void> {
    this.counters.clear();
    this.seen.clear();
    this.alerts.clear();
    this.reservations.clear();
    return Promise.resolve();
  }

  private live(
    key: string,
    now: number,
  ): { value: number; expireAt: number } | undefined {
    const counter = this.counters.get(key);
    if (counter === undefined || counter.expireAt > now) return counter;
    this.counters.delete(key);
    return undefined;
  }

  private sum(keys: readonly string[], now: number): number {
    return keys.reduce(
      (total, key) => total + (this.live(key, now)?.value ?? 0),
      0,
    );
  }

  private reservedIn(set: string, now: number): number {
    const members = this.reservations.get(set);
    if (members === undefined) return 0;
    let total = 0;
    for (const [member, expireAt] of members) {
      if (expireAt <= now) members.delete(member);
      else total += reservationMicros(member);
    }
    if (members.size === 0) this.reservations.delete(set);
    return total;
  }

  private maybeSweep(now: number): void {
    if (++this.operations % SWEEP_EVERY !== 0) return;
    for (const [key, counter] of this.counters) {
      if (counter.expireAt <= now) this.counters.delete(key);
    }
    for (const [key, until] of this.seen) {
      if (until <= now) this.seen.delete(key);
    }
    for (const [key, until] of this.alerts) {
      if (until <= now) this.alerts.delete(key);
    }
    for (const set of [...this.reservations.keys()]) this.reservedIn(set, now);
  }
}

import { BudgetKeys, toMicros } from './budget-keys.js';
import type { Budget, BudgetScope } from './budget-types.js';
import type {
  AlertCheck,
  BudgetRead,
  RecordOperation,
  SpendIncrement,
} from './store/budget-store.js';
import {
  HOUR_MS,
  windowAt,
  type WindowSpan,
} from './window/budget-window-span.js';

/** The ids of a subject, per scope (those absent are undefined). */
export type SubjectIds = Readonly<Partial<Record<BudgetScope, string>>>;

/** A budget applied to one subject at one time. */
export interface AppliedBudget {
  readonly budget: Budget;
  readonly scope: BudgetScope;
  readonly id: string;
  readonly tag: string;
  readonly window: WindowSpan;
  readonly limitMicros: number;
  /** The counters whose sum is its spend. */
  readonly sumKeys: readonly string[];
}

export const SCOPES: readonly BudgetScope[] = ['user', 'tenant', 'plan'];

/** A calendar window's counter outlives its end by an hour (late reads, clock skew). */
const GRACE_MS = HOUR_MS;

/**
 * Which budgets apply to a subject and what that means in store keys: the
 * one place that turns budgets into operations (the stores only execute).
 */
export class BudgetPlan {
  readonly keys: BudgetKeys;
  private readonly maxRollingHours: number;
  private readonly windows = new Map<Budget, WindowSpan>();

  constructor(
    private readonly budgets: readonly Budget[],
    private readonly alertAt: readonly number[],
    keyPrefix: string,
  ) {
    this.keys = new BudgetKeys(keyPrefix);
    this.maxRollingHours = Math.max(
      0,
      ...budgets.map(b =>
        typeof b.window === 'object' ? b.window.rollingHours : 0,
      ),
    );
  }

  /**
   * The budgets of the subject's scopes: one with an `id` applies to that
   * id only, one without to every id of its scope. Scopes the subject
   * lacks apply nothing.
   */
  applicable(subject: SubjectIds, at: number): AppliedBudget[] {
    const applied: AppliedBudget[] = [];
    for (const budget of this.budgets) {
      const id = subject[budget.scope];
      if (id === undefined || id === '') continue;
      if (budget.id !== undefined && budget.id !== id) continue;
      const tag = this.keys.tag(budget.scope, id);
      const window = this.windowOf(budget, at);
      applied.push({
        budget,
        scope: budget.scope,
        id,
        tag,
        window,
        limitMicros: toMicros(budget.limitUsd),
        sumKeys:
          window.hours === undefined
            ? [this.keys.spend(tag, window.key)]
            : window.hours.map(hour => this.keys.hour(tag, hour)),
      });
    }
    return applied;
  }

  /**
   * The budget's window at `at`, from a cache while `at` stays in the
   * same window (calendar) or hour (rolling): the time zone arithmetic
   * runs once per window, not per call.
   */
  private windowOf(budget: Budget, at: number): WindowSpan {
    const cached = this.windows.get(budget);
    const from =
      cached === undefined
        ? 0
        : cached.hours === undefined
          ? cached.start
          : cached.end - HOUR_MS;
    if (cached !== undefined && at >= from && at < cached.end) return cached;
    const window = windowAt(budget.window, budget.timezone ?? 'UTC', at);
    this.windows.set(budget, window);
    return window;
  }

  /** The reservation sets of a subject's scopes that have a budget. */
  reservationSets(applied: readonly AppliedBudget[]): string[] {
    return [...new Set(applied.map(a => this.keys.reservations(a.tag)))];
  }

  /** What a call of `micros` does: counters (each once), alert checks. */
  recordOperation(
    applied: readonly AppliedBudget[],
    callKey: string,
    micros: number,
    at: number,
    seenTtlMillis: number,
    settle: RecordOperation['settle'],
  ): RecordOperation {
    const increments = new Map<string, SpendIncrement>();
    const hour = Math.floor(at / HOUR_MS);
    for (const a of applied) {
      if (micros <= 0) break;
      const key =
        a.window.hours === undefined
          ? a.sumKeys[0]
          : this.keys.hour(a.tag, hour);
      const expireAt =
        a.window.hours === undefined
          ? a.window.end + GRACE_MS
          : (hour + 1 + this.maxRollingHours) * HOUR_MS;
      if (key !== undefined) increments.set(key, { key, expireAt });
    }
    const alerts: AlertCheck[] =
      micros <= 0
        ? []
        : applied.map(a => ({
            sumKeys: a.sumKeys,
            alertExpireAt:
              a.window.hours === undefined
                ? a.window.end + GRACE_MS
                : at + a.window.hours.length * HOUR_MS,
            thresholds: this.alertAt.map(threshold => ({
              micros: Math.max(1, Math.round(threshold * a.limitMicros)),
              alertKey: this.keys.alert(
                a.tag,
                a.window.key,
                a.limitMicros,
                threshold,
              ),
            })),
          }));
    return {
      seenKey: this.keys.seen(callKey),
      seenExpireAt: at + seenTtlMillis,
      micros: Math.max(0, micros),
      increments: [...increments.values()],
      alerts,
      settle,
      now: at,
    };
  }

  /** What a check reads per budget. */
  reads(applied: readonly AppliedBudget[]): BudgetRead[] {
    return applied.map(a => ({
      sumKeys: a.sumKeys,
      // Its own subject's reservations only (a reservation sits in the
      // set of each subject of the check).
      reservationSets: [this.keys.reservations(a.tag)],
      limitMicros: a.limitMicros,
    }));
  }
}

/**
 * The budget API shared by the guard, its stores, its alerts and its
 * middleware. Amounts are in USD (the stores count integer micro-dollars).
 */

/** Whose spend a budget limits. */
export type BudgetScope = 'user' | 'tenant' | 'plan';

/**
 * The period a budget counts over: a calendar day, week (from Monday) or
 * month (from the 1st), starting at midnight in the budget's timezone, or
 * the last `rollingHours` whole hours (hourly buckets).
 */
export type BudgetWindow =
  'day' | 'week' | 'month' | { readonly rollingHours: number };

/** One limit. Without `id` it applies to each subject of its scope. */
export interface Budget {
  readonly scope: BudgetScope;
  /** The one user, tenant or plan it limits; absent: each of that scope. */
  readonly id?: string | undefined;
  readonly limitUsd: number;
  readonly window: BudgetWindow;
  /** IANA timezone of a calendar window's midnight (default UTC). */
  readonly timezone?: string | undefined;
}

/** Who a check is for: any of the three, the budgets of the others ignored. */
export interface BudgetSubject {
  readonly userId?: string | undefined;
  readonly tenantId?: string | undefined;
  readonly plan?: string | undefined;
}

/** A budget the subject has spent up to or past its limit. */
export interface ExceededBudget {
  readonly budget: Budget;
  /** The subject's id in the budget's scope. */
  readonly id: string;
  readonly spentUsd: number;
  readonly limitUsd: number;
  readonly resetAt: Date;
}

/** The answer of `BudgetGuard.check`. */
export interface BudgetCheck {
  readonly allowed: boolean;
  /** smallest remaining over the budgets that apply; undefined when none applies */
  readonly remainingUsd: number | undefined;
  /** when the most constraining window resets */
  readonly resetAt: Date | undefined;
  readonly exceeded: readonly ExceededBudget[];
}

/** A threshold of a budget crossed in a window (fired once across replicas). */
export interface BudgetAlert {
  readonly budget: Budget;
  readonly scope: BudgetScope;
  readonly id: string;
  /** The fraction of the limit crossed, e.g. 0.8. */
  readonly threshold: number;
  readonly spentUsd: number;
  readonly limitUsd: number;
  readonly windowStart: Date;
  readonly windowEnd: Date;
}

/** Delivers an alert that the store decided fires now (once per subject, window and threshold across replicas). Never throws, never blocks. */
export type AlertDelivery = (alert: BudgetAlert) => void;

/** Options of one check. */
export interface BudgetCheckOptions {
  /**
   * Holds this much of each applying budget for the call about to run,
   * released when a call of the subject is priced (or after the
   * reservation's time to live).
   */
  readonly reserveUsd?: number | undefined;
}

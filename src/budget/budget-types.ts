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
  /** Whose spend it limits. */
  readonly scope: BudgetScope;
  /** The one user, tenant or plan it limits; absent: each of that scope. */
  readonly id?: string | undefined;
  /** The limit in USD for one window (a positive number). */
  readonly limitUsd: number;
  /** The period the limit counts over. */
  readonly window: BudgetWindow;
  /** IANA timezone of a calendar window's midnight (default UTC). */
  readonly timezone?: string | undefined;
}

/** Who a check is for: any of the three, the budgets of the others ignored. */
export interface BudgetSubject {
  /** The end user, as the pipeline writes it (a pseudonym with `hmacSecret`). */
  readonly userId?: string | undefined;
  /** The tenant (customer account). */
  readonly tenantId?: string | undefined;
  /** The plan. */
  readonly plan?: string | undefined;
}

/** A budget the subject has spent up to or past its limit. */
export interface ExceededBudget {
  /** The budget exceeded. */
  readonly budget: Budget;
  /** The subject's id in the budget's scope. */
  readonly id: string;
  /** Spend in the current window, reservations included. */
  readonly spentUsd: number;
  /** The budget's limit. */
  readonly limitUsd: number;
  /** When the window ends and the budget allows again. */
  readonly resetAt: Date;
}

/** The answer of `BudgetGuard.check`. */
export interface BudgetCheck {
  /** False when any budget that applies is at or past its limit. */
  readonly allowed: boolean;
  /** The smallest room left over the budgets that apply; undefined when none applies. */
  readonly remainingUsd: number | undefined;
  /** When the most constraining window resets (the latest reset of the exceeded ones). */
  readonly resetAt: Date | undefined;
  /** The budgets at or past their limit (empty when allowed). */
  readonly exceeded: readonly ExceededBudget[];
}

/** A threshold of a budget crossed in a window (fired once across replicas). */
export interface BudgetAlert {
  /** The budget whose threshold was crossed. */
  readonly budget: Budget;
  /** The budget's scope. */
  readonly scope: BudgetScope;
  /** The subject's id in that scope. */
  readonly id: string;
  /** The fraction of the limit crossed, e.g. 0.8. */
  readonly threshold: number;
  /** Spend in the window right after the call that crossed it. */
  readonly spentUsd: number;
  /** The budget's limit. */
  readonly limitUsd: number;
  /** The window's first instant. */
  readonly windowStart: Date;
  /** The window's end (its reset). */
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

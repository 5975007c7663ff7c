import type { BudgetCheck, ExceededBudget } from './budget-types.js';

/**
 * `Retry-After` when a refused check names no reset time (e.g. the guard
 * denies because its store is unreachable, `onStoreError: 'deny'`).
 */
export const DEFAULT_RETRY_AFTER_SECONDS = 60;

/**
 * Thrown (AI SDK helper) or answered as HTTP 429 (middleware) when a budget
 * check refuses a call. The message names the scope, the limit and when
 * the window resets, never the subject's id (it may be an e-mail address
 * and messages end up in logs): read it from `check.exceeded[i].id`.
 */
export class BudgetExceededError extends Error {
  override readonly name = 'BudgetExceededError';
  /** HTTP status to answer with (Too Many Requests). */
  readonly status = 429;
  /** The same, under the name Express and `http-errors` read. */
  readonly statusCode = 429;
  /** The refused check. */
  readonly check: BudgetCheck;
  /**
   * Whole seconds until every exceeded window has reset (at least 1): the
   * call would be refused again before then.
   */
  readonly retryAfterSeconds: number;
  /** When that is (undefined when the check named no reset time). */
  readonly resetAt: Date | undefined;

  constructor(check: BudgetCheck, now: number = Date.now()) {
    const resetAt = latestReset(check);
    const retryAfterSeconds =
      resetAt === undefined
        ? DEFAULT_RETRY_AFTER_SECONDS
        : Math.max(1, Math.ceil((resetAt.getTime() - now) / 1000));
    super(messageOf(check.exceeded, resetAt, retryAfterSeconds));
    this.check = check;
    this.resetAt = resetAt;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A call is allowed again only once every exceeded window has reset. */
function latestReset(check: BudgetCheck): Date | undefined {
  let latest: Date | undefined;
  for (const exceeded of check.exceeded) {
    const at = exceeded.resetAt;
    if (!(at instanceof Date) || Number.isNaN(at.getTime())) continue;
    if (latest === undefined || at.getTime() > latest.getTime()) latest = at;
  }
  const fallback = check.resetAt;
  if (latest !== undefined) return latest;
  return fallback instanceof Date && !Number.isNaN(fallback.getTime())
    ? fallback
    : undefined;
}

function windowName(exceeded: ExceededBudget): string {
  const window = exceeded.budget.window;
  return typeof window === 'string'
    ? `per ${window}`
    : `per ${String(window.rollingHours)} rolling hours`;
}

const usd = (value: number): string =>
  Number.isFinite(value) ? `$${value.toFixed(2)}` : String(value);

function messageOf(
  exceeded: readonly ExceededBudget[],
  resetAt: Date | undefined,
  retryAfterSeconds: number,
): string {
  const first = exceeded[0];
  const what =
    first === undefined
      ? 'the budget check refused the call'
      : `the ${first.budget.scope} budget (${usd(first.limitUsd)} ${windowName(first)}) is spent (${usd(first.spentUsd)})` +
        (exceeded.length > 1 ? ` with ${exceeded.length - 1} more` : '');
  const when =
    resetAt === undefined
      ? `retry in ${retryAfterSeconds} s`
      : `it resets at ${resetAt.toISOString()} (in ${retryAfterSeconds} s)`;
  return `Budget exceeded: ${what}; ${when}`;
}

import type { BudgetChecker } from '../../../src/budget/middleware/budget-checker.js';
import type {
  Budget,
  BudgetCheck,
  BudgetCheckOptions,
  BudgetSubject,
} from '../../../src/budget/budget-types.js';

export const ONE_DOLLAR_A_DAY: Budget = {
  scope: 'user',
  limitUsd: 1,
  window: 'day',
};

/** The next UTC midnight after `now` (a daily window's reset in UTC). */
export function nextUtcMidnight(now = Date.now()): Date {
  const d = new Date(now);
  return new Date(
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1),
  );
}

/** A guard double: users in `over` have spent $1.05 of $1 a day. */
export class FakeGuard implements BudgetChecker {
  readonly calls: {
    subject: BudgetSubject;
    options?: BudgetCheckOptions | undefined;
  }[] = [];
  throwing = false;

  constructor(private readonly over: ReadonlySet<string>) {}

  check(
    subject: BudgetSubject,
    options?: BudgetCheckOptions,
  ): Promise<BudgetCheck> {
    this.calls.push({ subject, options });
    if (this.throwing) return Promise.reject(new Error('guard bug'));
    const resetAt = nextUtcMidnight();
    const userId = subject.userId;
    if (userId !== undefined && this.over.has(userId)) {
      return Promise.resolve({
        allowed: false,
        remainingUsd: 0,
        resetAt,
        exceeded: [
          {
            budget: ONE_DOLLAR_A_DAY,
            id: userId,
            spentUsd: 1.05,
            limitUsd: 1,
            resetAt,
          },
        ],
      });
    }
    return Promise.resolve({
      allowed: true,
      remainingUsd: 0.65,
      resetAt,
      exceeded: [],
    });
  }
}

import { diag } from '@opentelemetry/api';
import { getAttribution } from '../../attribution/attribution-context.js';
import { BudgetExceededError } from '../budget-exceeded-error.js';
import type {
  BudgetCheck,
  BudgetCheckOptions,
  BudgetSubject,
} from '../budget-types.js';

/**
 * What the middleware needs of a guard: `BudgetGuard`, or anything with
 * the same `check` (a test double, a guard behind your own cache).
 */
export interface BudgetChecker {
  check(
    subject: BudgetSubject,
    options?: BudgetCheckOptions,
  ): Promise<BudgetCheck>;
}

/**
 * Who a call is for, as a resolver returns it: `undefined` and empty ids
 * are skipped, so `req => ({ userId: req.user?.id })` is fine.
 */
export interface BudgetSubjectInput {
  readonly userId?: string | undefined;
  readonly tenantId?: string | undefined;
  readonly plan?: string | undefined;
}

/** The subject to check for `input`, undefined when it names nobody. */
export function subjectFrom(
  input: BudgetSubjectInput | null | undefined,
): BudgetSubject | undefined {
  if (input === null || input === undefined || typeof input !== 'object')
    return undefined;
  return subjectOf(input.userId, input.tenantId, input.plan);
}

/**
 * The subject of the attribution in effect (`attributionMiddleware`,
 * `withAttribution`): its `userId`, `tenantId` and `plan` tags, or
 * undefined when it has none of them.
 */
export function attributionSubject(): BudgetSubject | undefined {
  const tags = getAttribution();
  if (tags === undefined) return undefined;
  return subjectOf(tags['userId'], tags['tenantId'], tags['plan']);
}

/** A subject with the ids given (empty strings skipped), undefined when none is. */
export function subjectOf(
  userId: string | undefined,
  tenantId: string | undefined,
  plan: string | undefined,
): BudgetSubject | undefined {
  const subject: { userId?: string; tenantId?: string; plan?: string } = {};
  if (typeof userId === 'string' && userId !== '') subject.userId = userId;
  if (typeof tenantId === 'string' && tenantId !== '')
    subject.tenantId = tenantId;
  if (typeof plan === 'string' && plan !== '') subject.plan = plan;
  return Object.keys(subject).length === 0 ? undefined : subject;
}

let warnedCheckFailed = false;

/**
 * The one rule both middlewares follow: no subject, nothing to check; a
 * refused check is a `BudgetExceededError`; a check that throws (the guard
 * itself answers store outages by its `onStoreError` policy, so this is a
 * bug or a bad subject) lets the call through, with one `diag` warning.
 */
export async function budgetRefusal(
  guard: BudgetChecker,
  input: BudgetSubjectInput | null | undefined,
  reserveUsd: number | undefined,
): Promise<BudgetExceededError | undefined> {
  const subject = subjectFrom(input);
  if (subject === undefined) return undefined;
  let check: BudgetCheck;
  try {
    check = await guard.check(
      subject,
      reserveUsd === undefined ? undefined : { reserveUsd },
    );
  } catch (error) {
    if (!warnedCheckFailed) {
      warnedCheckFailed = true;
      diag.warn(
        'otel-genai-cost: a budget check threw; letting the call through (warned once)',
        error,
      );
    }
    return undefined;
  }
  return check.allowed ? undefined : new BudgetExceededError(check);
}

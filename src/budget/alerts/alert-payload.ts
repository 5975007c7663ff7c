import { createHash } from 'node:crypto';
import type { Budget, BudgetAlert, BudgetWindow } from '../budget-types.js';

/** The `type` of every budget alert event. */
export const BUDGET_ALERT_EVENT_TYPE = 'budget.threshold_crossed';

/** The JSON body POSTed to a budget alert webhook. */
export interface BudgetAlertEvent {
  /**
   * The same for every delivery of one alert (retries, and a second replica
   * should one ever fire it too): keep the ids you processed and skip
   * repeats. 32 hex digits, derived from the budget, subject, window and
   * threshold (it does not reveal the subject's id).
   */
  readonly id: string;
  readonly type: 'budget.threshold_crossed';
  /** When this replica fired it (ISO 8601). */
  readonly createdAt: string;
  readonly scope: Budget['scope'];
  /** The user, tenant or plan id the alert is about. */
  readonly subjectId: string;
  /** The fraction of the limit crossed, e.g. 0.8. */
  readonly threshold: number;
  readonly spentUsd: number;
  readonly limitUsd: number;
  readonly windowStart: string;
  readonly windowEnd: string;
  /** The budget as configured (`id` absent when it applies to each subject). */
  readonly budget: {
    readonly scope: Budget['scope'];
    readonly id?: string;
    readonly limitUsd: number;
    readonly window: BudgetWindow;
    readonly timezone: string;
  };
}

/** The window as a word: `day`, `week`, `month` or `rolling` (a metric label). */
export function windowKind(window: BudgetWindow): string {
  return typeof window === 'string' ? window : 'rolling';
}

const windowKey = (window: BudgetWindow): string =>
  typeof window === 'string' ? window : `rolling:${window.rollingHours}`;

const iso = (date: Date): string =>
  Number.isNaN(date.getTime()) ? String(date) : date.toISOString();

/** The alert's event id: one per budget, subject, window and threshold. */
export function alertEventId(alert: BudgetAlert): string {
  const budget = alert.budget;
  const key = JSON.stringify([
    budget.scope,
    budget.id ?? null,
    windowKey(budget.window),
    budget.timezone ?? 'UTC',
    budget.limitUsd,
    alert.id,
    iso(alert.windowStart),
    alert.threshold,
  ]);
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

/** The event for `alert` (fired at `nowMillis`). */
export function alertEvent(
  alert: BudgetAlert,
  nowMillis: number,
): BudgetAlertEvent {
  const budget = alert.budget;
  return {
    id: alertEventId(alert),
    type: BUDGET_ALERT_EVENT_TYPE,
    createdAt: new Date(nowMillis).toISOString(),
    scope: alert.scope,
    subjectId: alert.id,
    threshold: alert.threshold,
    spentUsd: alert.spentUsd,
    limitUsd: alert.limitUsd,
    windowStart: iso(alert.windowStart),
    windowEnd: iso(alert.windowEnd),
    budget: {
      scope: budget.scope,
      ...(budget.id === undefined ? {} : { id: budget.id }),
      limitUsd: budget.limitUsd,
      window: budget.window,
      timezone: budget.timezone ?? 'UTC',
    },
  };
}

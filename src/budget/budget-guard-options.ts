import type { MeterProvider } from '@opentelemetry/api';
import { BUDGET_SETTINGS } from '../config/budget-settings.js';
import { processEnv, type Env } from '../config/env.js';
import { resolveSettings } from '../config/resolve-settings.js';
import type { BudgetWebhookOptions } from './alerts/webhook-options.js';
import { BudgetConfigError } from './budget-config-error.js';
import type { Budget, BudgetAlert } from './budget-types.js';
import { MAX_ROLLING_HOURS } from './window/budget-window-span.js';
import { isTimeZone } from './window/zoned-date.js';

/** Options of `BudgetGuard`; see docs/budgets.md. */
export interface BudgetGuardOptions {
  /**
   * `'memory'` (this process only) or a Redis URL (`redis://host:port`)
   * every replica shares; needs the optional `ioredis` package.
   * @defaultValue `OTEL_GENAI_COST_BUDGET_STORE`, else `'memory'`
   */
  readonly store?: string | undefined;
  /** The limits. Without `id` a budget applies to each subject of its scope. */
  readonly budgets: readonly Budget[];
  /** Fractions of each limit that fire an alert. @defaultValue [0.5, 0.8, 1] */
  readonly alertAt?: readonly number[] | undefined;
  /** Called once per fired alert (across replicas); never awaited. */
  readonly onAlert?: ((alert: BudgetAlert) => unknown) | undefined;
  /** POST each fired alert as HMAC-signed JSON. */
  readonly webhook?: BudgetWebhookOptions | undefined;
  /** What `check` answers while the store fails. @defaultValue 'allow' */
  readonly onStoreError?: 'allow' | 'deny' | undefined;
  /** Longest wait for one store command. @defaultValue 0.5 */
  readonly storeTimeoutSeconds?: number | undefined;
  /** Recorded calls held while the store is unreachable. @defaultValue 100000 */
  readonly maxBufferedCalls?: number | undefined;
  /** Memory store: seen (trace, span) keys kept. @defaultValue 100000 */
  readonly maxSeenKeys?: number | undefined;
  /** How long a counted call is remembered (redeliveries). @defaultValue 172800 */
  readonly seenKeyTtlSeconds?: number | undefined;
  /** An unsettled reservation is released after this long. @defaultValue 300 */
  readonly reservationTtlSeconds?: number | undefined;
  /** Charged for an unpriced call. @defaultValue 0 */
  readonly unpricedCallUsd?: number | undefined;
  /** Redis key prefix. @defaultValue 'ogc:' */
  readonly keyPrefix?: string | undefined;
  /** Where the guard's counters and the alert counter go. @defaultValue the global MeterProvider */
  readonly meterProvider?: MeterProvider | undefined;
  /** The time (ms since the epoch) windows are computed at. For tests. @defaultValue Date.now */
  readonly clock?: (() => number) | undefined;
  /** Environment read for the settings' variables. @defaultValue process.env */
  readonly env?: Env | undefined;
}

/** Every option checked, defaults filled in. */
export interface ResolvedBudgetGuardOptions {
  readonly store: string;
  readonly budgets: readonly Budget[];
  readonly alertAt: readonly number[];
  readonly onStoreError: 'allow' | 'deny';
  readonly storeTimeoutMillis: number;
  readonly maxBufferedCalls: number;
  readonly maxSeenKeys: number;
  readonly seenKeyTtlMillis: number;
  readonly reservationTtlMillis: number;
  readonly unpricedCallUsd: number;
  readonly keyPrefix: string;
  readonly clock: () => number;
}

const SCOPES = new Set(['user', 'tenant', 'plan']);

/** A budget as given, checked; a bad one is a `BudgetConfigError` naming it. */
export function checkBudget(budget: Budget, index: number): Budget {
  const name = `budgets[${index}]`;
  const fail = (what: string): never => {
    throw new BudgetConfigError(`BudgetGuard: ${name}: ${what}`);
  };
  if (typeof budget !== 'object' || budget === null) fail('expected an object');
  if (!SCOPES.has(budget.scope)) fail('scope must be user, tenant or plan');
  if (
    budget.id !== undefined &&
    (typeof budget.id !== 'string' || budget.id === '')
  ) {
    fail('id must be a non-empty string when given');
  }
  if (
    typeof budget.limitUsd !== 'number' ||
    !Number.isFinite(budget.limitUsd) ||
    budget.limitUsd <= 0 ||
    budget.limitUsd > 1e9
  ) {
    fail('limitUsd must be above 0 and at most 1e9');
  }
  const window = budget.window;
  if (typeof window === 'object' && window !== null) {
    const n = window.rollingHours;
    if (!Number.isSafeInteger(n) || n < 1 || n > MAX_ROLLING_HOURS) {
      fail(
        `rollingHours must be a whole number from 1 to ${MAX_ROLLING_HOURS}`,
      );
    }
    if (budget.timezone !== undefined)
      fail('a rolling window takes no timezone');
  } else if (window !== 'day' && window !== 'week' && window !== 'month') {
    fail("window must be 'day', 'week', 'month' or { rollingHours: n }");
  }
  if (budget.timezone !== undefined && !isTimeZone(budget.timezone)) {
    fail(
      `unknown timezone ${JSON.stringify(String(budget.timezone).slice(0, 60))}`,
    );
  }
  return budget;
}

/** Checks the options (a `BudgetConfigError` names what is wrong). */
export function resolveBudgetGuardOptions(
  options: BudgetGuardOptions,
): ResolvedBudgetGuardOptions {
  if (!Array.isArray(options.budgets)) {
    throw new BudgetConfigError('BudgetGuard: budgets must be a list');
  }
  const v = resolveSettings(BUDGET_SETTINGS, {
    options,
    env: options.env ?? processEnv(),
    onInvalid: {
      kind: 'fail',
      error: message => new BudgetConfigError(`BudgetGuard: ${message}`),
    },
    shell: 'budget',
  });
  const seconds = (s: number | undefined, fallback: number): number =>
    Math.round((s ?? fallback) * 1000);
  return {
    store: v.store ?? 'memory',
    budgets: options.budgets.map(checkBudget),
    alertAt: v.alertAt ?? [0.5, 0.8, 1],
    onStoreError: v.onStoreError ?? 'allow',
    storeTimeoutMillis: seconds(v.storeTimeoutSeconds, 0.5),
    maxBufferedCalls: v.maxBufferedCalls ?? 100_000,
    maxSeenKeys: v.maxSeenKeys ?? 100_000,
    seenKeyTtlMillis: seconds(v.seenKeyTtlSeconds, 172_800),
    reservationTtlMillis: seconds(v.reservationTtlSeconds, 300),
    unpricedCallUsd: v.unpricedCallUsd ?? 0,
    keyPrefix: v.keyPrefix ?? 'ogc:',
    clock: options.clock ?? Date.now,
  };
}

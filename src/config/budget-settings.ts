import type { Setting } from './setting.js';
import { SettingError } from './setting.js';
import {
  checkNonEmptyString,
  choiceOf,
  integerIn,
  isDurationSeconds,
  shown,
} from './setting-values.js';

/** The settings of `BudgetGuard` (the budgets themselves are checked by the guard). */
export interface BudgetSettingValues {
  readonly store: string;
  readonly onStoreError: 'allow' | 'deny';
  readonly alertAt: readonly number[];
  readonly storeTimeoutSeconds: number;
  readonly maxBufferedCalls: number;
  readonly maxSeenKeys: number;
  readonly seenKeyTtlSeconds: number;
  readonly reservationTtlSeconds: number;
  readonly unpricedCallUsd: number;
  readonly keyPrefix: string;
}

type Row = Setting<BudgetSettingValues>;

/** `memory`, or a `redis://`/`rediss://` URL (a secret: never repeated). */
function checkStore(value: unknown): string {
  const store = checkNonEmptyString(value);
  if (store === 'memory' || /^rediss?:\/\//i.test(store)) return store;
  throw new SettingError('expected memory or a redis:// or rediss:// URL');
}

function checkThresholds(value: unknown): number[] {
  if (
    Array.isArray(value) &&
    value.length <= 100 &&
    value.every(t => typeof t === 'number' && t > 0 && t <= 100)
  ) {
    return [...new Set(value as number[])].sort((a, b) => a - b);
  }
  throw new SettingError(
    `expected at most 100 fractions of the limit above 0 (1 is the limit), got ${shown(value)}`,
  );
}

function durationSeconds(max: number): {
  check: (value: unknown) => number;
  parse: (raw: string) => number;
} {
  const check = (value: unknown): number => {
    if (isDurationSeconds(value, false) && value <= max) return value;
    throw new SettingError(
      `expected seconds above 0 and at most ${max}, got ${shown(value)}`,
    );
  };
  return { check, parse: raw => check(Number(raw.trim())) };
}

function checkUsd(value: unknown): number {
  if (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= 0 &&
    value <= 1000
  ) {
    return value;
  }
  throw new SettingError(`expected USD from 0 to 1000, got ${shown(value)}`);
}

const SHELLS = ['budget'] as const;

/** The rows of `new BudgetGuard({...})`. */
export const BUDGET_SETTINGS: readonly Row[] = [
  {
    key: 'store',
    env: 'OTEL_GENAI_COST_BUDGET_STORE',
    valueName: 'memory|url',
    type: 'string',
    defaultText: 'memory',
    defaultValue: 'memory',
    description:
      'where spend is counted: memory (this process only) or a redis:// URL shared by every replica (needs the ioredis package)',
    shells: [...SHELLS],
    secret: true,
    parse: checkStore,
    check: checkStore,
  },
  {
    key: 'onStoreError',
    env: 'OTEL_GENAI_COST_BUDGET_ON_STORE_ERROR',
    valueName: 'allow|deny',
    type: 'string',
    defaultText: 'allow',
    defaultValue: 'allow',
    description:
      'what check answers while the store is unreachable or slower than storeTimeoutSeconds (one warning per outage, counted)',
    shells: [...SHELLS],
    ...choiceOf(['allow', 'deny'] as const),
  },
  {
    key: 'alertAt',
    env: undefined,
    valueName: 'fractions',
    type: 'number[]',
    defaultText: '[0.5, 0.8, 1]',
    defaultValue: [0.5, 0.8, 1],
    description:
      'fractions of each limit that fire an alert, once per subject, budget and window across replicas',
    shells: [...SHELLS],
    check: checkThresholds,
  },
  {
    key: 'storeTimeoutSeconds',
    env: 'OTEL_GENAI_COST_BUDGET_STORE_TIMEOUT_SECONDS',
    valueName: 'seconds',
    type: 'number',
    defaultText: '0.5',
    defaultValue: 0.5,
    description:
      'longest wait for one Redis command (a check or a recorded call) before it counts as a store error',
    shells: [...SHELLS],
    ...durationSeconds(60),
  },
  {
    key: 'maxBufferedCalls',
    env: 'OTEL_GENAI_COST_BUDGET_MAX_BUFFERED_CALLS',
    valueName: 'count',
    type: 'number',
    defaultText: '100000',
    defaultValue: 100_000,
    description:
      'recorded calls held in memory while the store is unreachable (about 1 KB each), replayed once it is back; more are dropped and counted',
    shells: [...SHELLS],
    ...integerIn(1, 10_000_000),
  },
  {
    key: 'maxSeenKeys',
    env: undefined,
    valueName: 'count',
    type: 'number',
    defaultText: '100000',
    defaultValue: 100_000,
    description:
      'memory store: (trace id, span id) keys remembered to count a redelivered call once (about 150 bytes each); the oldest go first',
    shells: [...SHELLS],
    ...integerIn(1, 10_000_000),
  },
  {
    key: 'seenKeyTtlSeconds',
    env: undefined,
    valueName: 'seconds',
    type: 'number',
    defaultText: '172800 (2 days)',
    defaultValue: 172_800,
    description:
      'how long a counted call is remembered: a redelivery or a replay within it is not counted again',
    shells: [...SHELLS],
    ...durationSeconds(2_000_000),
  },
  {
    key: 'reservationTtlSeconds',
    env: undefined,
    valueName: 'seconds',
    type: 'number',
    defaultText: '300',
    defaultValue: 300,
    description:
      'a reservation (check with reserveUsd) no priced call settled is released after this long',
    shells: [...SHELLS],
    ...durationSeconds(86_400),
  },
  {
    key: 'unpricedCallUsd',
    env: undefined,
    valueName: 'usd',
    type: 'number',
    defaultText: '0',
    defaultValue: 0,
    description:
      'charged for a call without a price (unknown model, missing usage); 0 counts none (every unpriced call is counted in a metric and warned about once)',
    shells: [...SHELLS],
    check: checkUsd,
  },
  {
    key: 'keyPrefix',
    env: undefined,
    valueName: 'text',
    type: 'string',
    defaultText: 'ogc:',
    defaultValue: 'ogc:',
    description:
      'Redis store: prefix of every key (several budgets sets on one Redis)',
    shells: [...SHELLS],
    check: checkNonEmptyString,
  },
];

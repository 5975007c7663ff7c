import type { CostSink } from '../core/cost-record.js';
import type { PriceOverride } from '../core/price/price-override.js';
import {
  EMITTERS_SETTING,
  type EmittersSettingValues,
} from './emitters-settings.js';
import type { Env } from './env.js';
import {
  LEDGER_RETAIN_DAYS_SETTING,
  LEDGER_SETTING,
  type LedgerSettingValues,
} from './ledger-settings.js';
import {
  PRICE_DATA_SETTINGS,
  type PriceDataSettingValues,
} from './price-data-settings.js';
import { SettingError, type Setting } from './setting.js';
import {
  checkBoolean,
  checkNonEmptyString,
  integerIn,
  isDurationSeconds,
  MAX_DURATION_SECONDS,
  parseBoolean,
  shown,
} from './setting-values.js';

/** The settings of `CostSpanProcessor` and `CostEnrichingSpanExporter`. */
export interface ProcessorSettingValues
  extends PriceDataSettingValues, EmittersSettingValues, LedgerSettingValues {
  readonly overrides: readonly PriceOverride[];
  readonly priceOverridesFile: string;
  readonly maxTrackedSpans: number;
  readonly sinks: readonly CostSink[];
  readonly metrics: boolean | object;
  readonly identityWindowSeconds: number;
  readonly env: Env;
}

type Row = Setting<ProcessorSettingValues>;

/** The one price overrides file setting, shared by every shell. */
export const PRICE_OVERRIDES_FILE_SETTING: Setting<
  { readonly priceOverridesFile: string },
  'priceOverridesFile'
> = {
  key: 'priceOverridesFile',
  env: 'OTEL_GENAI_COST_PRICE_OVERRIDES_FILE',
  deprecatedEnv: [
    'OTEL_GENAI_COST_PRICES_FILE',
    'OTEL_GENAI_COST_GATEWAY_PRICES',
  ],
  deprecatedEnvShells: { OTEL_GENAI_COST_GATEWAY_PRICES: ['gateway'] },
  deprecatedOptions: [{ key: 'prices' }],
  flag: '--price-overrides-file',
  deprecatedFlags: ['--prices'],
  valueName: 'file',
  type: 'string',
  defaultText: undefined,
  description:
    'price overrides file (JSON or YAML), merged after the overrides given in code',
  shells: ['processor', 'exporter', 'gateway', 'cli'],
  parse: checkNonEmptyString,
  check: checkNonEmptyString,
};

const trackedSpans = integerIn(1, Number.MAX_SAFE_INTEGER);

/** Whole or fractional seconds, more than 0, within Node's timer range. */
function checkDuration(value: unknown): number {
  if (isDurationSeconds(value, false)) return value;
  throw new SettingError(
    `expected seconds, more than 0 and at most ${MAX_DURATION_SECONDS}, got ${shown(value)}`,
  );
}

function parseDuration(raw: string): number {
  const text = raw.trim();
  return checkDuration(/^\d+(?:\.\d+)?$/.test(text) ? Number(text) : text);
}

function checkMetrics(value: unknown): boolean | object {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return value;
  }
  return checkBoolean(value);
}

export const PROCESSOR_SETTINGS: readonly Row[] = [
  {
    key: 'overrides',
    env: undefined,
    valueName: 'list',
    type: 'PriceOverride[]',
    defaultText: '[]',
    defaultValue: [],
    description:
      'your own prices (USD per million tokens); they win over the bundled table',
    shells: ['processor', 'exporter', 'gateway'],
  },
  PRICE_OVERRIDES_FILE_SETTING as Row,
  ...(PRICE_DATA_SETTINGS as readonly Row[]),
  {
    key: 'metrics',
    env: 'OTEL_GENAI_COST_METRICS',
    valueName: 'boolean',
    type: 'boolean | CostMetricsOptions',
    defaultText: 'true',
    defaultValue: true,
    description:
      'cost counters on the global MeterProvider (a no-op until the app registers one); an object configures CostMetrics; not added when sinks already hold a CostMetrics',
    shells: ['processor', 'exporter'],
    parse: parseBoolean,
    check: checkMetrics,
  },
  {
    key: 'sinks',
    env: undefined,
    valueName: 'list',
    type: 'CostSink[]',
    defaultText: '[]',
    defaultValue: [],
    description:
      'outputs fed with every evaluated call ({ call, cost, identity }); one that throws is logged and skipped',
    shells: ['processor', 'exporter', 'gateway'],
  },
  {
    key: 'maxTrackedSpans',
    env: 'OTEL_GENAI_COST_MAX_TRACKED_SPANS',
    valueName: 'count',
    type: 'number',
    defaultText: '100000',
    defaultValue: 100_000,
    description: 'spans held at most for exactly-once selection',
    shells: ['processor', 'exporter'],
    ...trackedSpans,
  },
  EMITTERS_SETTING as Row,
  LEDGER_SETTING as Row,
  LEDGER_RETAIN_DAYS_SETTING as Row,
  {
    key: 'identityWindowSeconds',
    env: 'OTEL_GENAI_COST_IDENTITY_WINDOW_SECONDS',
    deprecatedOptions: [
      {
        key: 'identityWindowMillis',
        convert: value => (typeof value === 'number' ? value / 1000 : value),
      },
    ],
    valueName: 'seconds',
    type: 'number',
    defaultText: '300',
    defaultValue: 300,
    description:
      'exporter wrapper only: an exported span stays available as an ancestor at least this long (up to twice)',
    shells: ['exporter'],
    parse: parseDuration,
    check: checkDuration,
  },
  {
    key: 'env',
    env: undefined,
    valueName: 'object',
    type: 'Record<string, string | undefined>',
    defaultText: 'process.env',
    description: 'the environment to read (for tests)',
    shells: ['processor', 'exporter', 'metrics', 'prometheus', 'gateway'],
  },
];

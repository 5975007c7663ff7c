import { KNOWN_PROVIDER_NAMES } from '../core/normalize/normalize-provider.js';
import type { Setting } from './setting.js';
import { integerIn, listOf } from './setting-values.js';

/** The label options of `CostMetrics` (and of the gateway's `--metrics`). */
export interface LabelPolicySettingValues {
  readonly tenants: readonly string[];
  readonly tenantBuckets: number;
  readonly tenantTopK: number;
  readonly plans: readonly string[];
  readonly models: readonly string[];
  readonly providers: readonly string[];
  readonly maxLabelSets: number;
}

type Row = Setting<LabelPolicySettingValues>;

export const DEFAULT_MAX_LABEL_SETS = 300;
/** The most hash buckets `tenantBuckets` may ask for. */
export const MAX_TENANT_BUCKETS = 1000;

/** Label values the policy itself produces; never accepted from an allow-list. */
const RESERVED = /^(?:none|other|unpriced|bucket-\d+)$/;

const allowList = listOf(
  item => !RESERVED.test(item),
  'allowed (none, other, unpriced and bucket-<n> are reserved label values)',
);
const SHELLS = ['metrics', 'processor', 'exporter', 'gateway'] as const;

export const LABEL_POLICY_SETTINGS: readonly Row[] = [
  {
    key: 'tenants',
    env: 'OTEL_GENAI_COST_METRICS_TENANTS',
    valueName: 'list',
    type: 'string[]',
    defaultText: 'none',
    defaultValue: [],
    description:
      'tenants that keep their own tenant label value (exact ids); every other tenant is other, or a hash bucket with tenantBuckets',
    shells: SHELLS,
    ...allowList,
  },
  {
    key: 'tenantBuckets',
    env: 'OTEL_GENAI_COST_METRICS_TENANT_BUCKETS',
    valueName: 'count',
    type: `integer 0-${MAX_TENANT_BUCKETS}`,
    defaultText: '0 (off)',
    defaultValue: 0,
    description:
      'spread the other tenants over this many stable FNV-1a hash buckets (bucket-00 ...) instead of one other',
    shells: SHELLS,
    ...integerIn(0, MAX_TENANT_BUCKETS),
  },
  {
    key: 'tenantTopK',
    env: 'OTEL_GENAI_COST_METRICS_TENANT_TOP_K',
    valueName: 'count',
    type: 'integer >= 0',
    defaultText: '0 (off)',
    defaultValue: 0,
    description:
      'also name the first K distinct tenants this process sees (arrival order decides: replicas disagree)',
    shells: SHELLS,
    ...integerIn(0, Number.MAX_SAFE_INTEGER),
  },
  {
    key: 'plans',
    env: 'OTEL_GENAI_COST_METRICS_PLANS',
    valueName: 'list',
    type: 'string[]',
    defaultText: 'none',
    defaultValue: [],
    description:
      'plans (tiers) that keep their own plan label value; others are other',
    shells: SHELLS,
    ...allowList,
  },
  {
    key: 'models',
    env: 'OTEL_GENAI_COST_METRICS_MODELS',
    valueName: 'list',
    type: 'string[] (case-insensitive)',
    defaultText: 'unset',
    description:
      'models that keep their own model label value; unset: models priced by the price table or an override keep their id',
    shells: SHELLS,
    ...allowList,
  },
  {
    key: 'providers',
    env: 'OTEL_GENAI_COST_METRICS_PROVIDERS',
    valueName: 'list',
    type: 'string[]',
    defaultText: 'the GenAI provider names normalizeProvider knows',
    defaultValue: KNOWN_PROVIDER_NAMES,
    description:
      'provider names that keep their own label value; others are other',
    shells: SHELLS,
    ...allowList,
  },
  {
    key: 'maxLabelSets',
    env: 'OTEL_GENAI_COST_METRICS_MAX_LABEL_SETS',
    valueName: 'count',
    type: 'integer >= 1',
    defaultText: String(DEFAULT_MAX_LABEL_SETS),
    defaultValue: DEFAULT_MAX_LABEL_SETS,
    description:
      'distinct (provider, model, plan, tenant) label sets per process at most, the all-other overflow set included; never evicted',
    shells: SHELLS,
    ...integerIn(1, Number.MAX_SAFE_INTEGER),
  },
];

/** `CostMetrics` options only code can give, for the docs' table. */
export const COST_METRICS_CODE_SETTINGS: readonly Setting<{
  readonly meterProvider: object;
  readonly labelPolicy: object;
}>[] = [
  {
    key: 'meterProvider',
    env: undefined,
    valueName: 'object',
    type: 'MeterProvider',
    defaultText: 'the global one',
    description:
      'where the counters live; the global one is looked up again until one is registered',
    shells: ['metrics'],
  },
  {
    key: 'labelPolicy',
    env: undefined,
    valueName: 'object',
    type: 'LabelPolicy',
    defaultText: 'built from the options below',
    description: 'a policy to share; overrides the label options',
    shells: ['metrics'],
  },
];

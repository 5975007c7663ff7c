import { diag } from '@opentelemetry/api';
import {
  envList,
  envPositiveInt,
  processEnv,
  type Env,
} from '../config/env.js';
import { KNOWN_PROVIDER_NAMES } from '../core/normalize/normalize-provider.js';

export interface LabelPolicyOptions {
  /**
   * Tenants that keep their own `tenant` label value (exact ids). Every
   * other tenant becomes `other`, or a hash bucket with `tenantBuckets`.
   * @defaultValue env `OTEL_GENAI_COST_METRICS_TENANTS` (comma-separated), else none
   */
  readonly tenants?: readonly string[];
  /**
   * Spread tenants that are not in `tenants` over this many stable FNV-1a
   * hash buckets (`bucket-00` ... ) instead of one `other`. 0 turns it off.
   * @defaultValue env `OTEL_GENAI_COST_METRICS_TENANT_BUCKETS`, else 0
   */
  readonly tenantBuckets?: number;
  /**
   * Also name the first K distinct tenants seen by this process. Caveat:
   * arrival order decides who gets in, so replicas disagree and a tenant
   * first seen after the K slots are taken stays unnamed until restart.
   * @defaultValue env `OTEL_GENAI_COST_METRICS_TENANT_TOP_K`, else 0
   */
  readonly tenantTopK?: number;
  /**
   * Plans (tiers) that keep their own `plan` label value; others are `other`.
   * @defaultValue env `OTEL_GENAI_COST_METRICS_PLANS` (comma-separated), else none
   */
  readonly plans?: readonly string[];
  /**
   * Models that keep their own model label value (lower-case ids); other
   * priced models are `other`. When unset, models priced by the price table
   * or an override keep their id and provider-reported costs are `other`.
   * @defaultValue env `OTEL_GENAI_COST_METRICS_MODELS` (comma-separated), else unset
   */
  readonly models?: readonly string[];
  /**
   * Provider names that keep their own label value; others are `other`.
   * @defaultValue env `OTEL_GENAI_COST_METRICS_PROVIDERS`, else the GenAI provider names `normalizeProvider` knows
   */
  readonly providers?: readonly string[];
  /**
   * Hard cap on distinct (provider, model, plan, tenant) label sets per
   * process, the all-`other` overflow set included. Never evicted.
   * @defaultValue env `OTEL_GENAI_COST_METRICS_MAX_LABEL_SETS`, else 300
   */
  readonly maxLabelSets?: number;
  /** Environment to read; defaults to `process.env`. For tests. */
  readonly env?: Env;
}

export interface ResolvedLabelPolicyOptions {
  readonly tenants: ReadonlySet<string>;
  readonly tenantBuckets: number;
  readonly tenantTopK: number;
  readonly plans: ReadonlySet<string>;
  /** `undefined`: every model the price table or an override priced. */
  readonly models: ReadonlySet<string> | undefined;
  readonly providers: ReadonlySet<string>;
  readonly maxLabelSets: number;
}

export const DEFAULT_MAX_LABEL_SETS = 300;
const MAX_BUCKETS = 1000;

/** Label values the policy itself produces; never accepted from an allow-list. */
export const NONE = 'none';
export const OTHER = 'other';
export const UNPRICED = 'unpriced';
const RESERVED = /^(?:none|other|unpriced|bucket-\d+)$/;

export function resolveLabelPolicyOptions(
  options: LabelPolicyOptions,
): ResolvedLabelPolicyOptions {
  const env = options.env ?? processEnv();
  const list = (name: string): string[] | undefined => envList(env, name);
  const models = options.models ?? list('OTEL_GENAI_COST_METRICS_MODELS');
  return {
    tenants: allowList(
      'tenants',
      options.tenants ?? list('OTEL_GENAI_COST_METRICS_TENANTS') ?? [],
    ),
    tenantBuckets: count(
      'tenantBuckets',
      options.tenantBuckets ??
        envPositiveInt(env, 'OTEL_GENAI_COST_METRICS_TENANT_BUCKETS'),
      0,
      MAX_BUCKETS,
    ),
    tenantTopK: count(
      'tenantTopK',
      options.tenantTopK ??
        envPositiveInt(env, 'OTEL_GENAI_COST_METRICS_TENANT_TOP_K'),
      0,
      Number.MAX_SAFE_INTEGER,
    ),
    plans: allowList(
      'plans',
      options.plans ?? list('OTEL_GENAI_COST_METRICS_PLANS') ?? [],
    ),
    models:
      models === undefined
        ? undefined
        : allowList(
            'models',
            models.map(model => model.toLowerCase()),
          ),
    providers: allowList(
      'providers',
      options.providers ??
        list('OTEL_GENAI_COST_METRICS_PROVIDERS') ??
        KNOWN_PROVIDER_NAMES,
    ),
    maxLabelSets: count(
      'maxLabelSets',
      options.maxLabelSets ??
        envPositiveInt(env, 'OTEL_GENAI_COST_METRICS_MAX_LABEL_SETS'),
      DEFAULT_MAX_LABEL_SETS,
      Number.MAX_SAFE_INTEGER,
      1,
    ),
  };
}

function allowList(name: string, values: readonly string[]): Set<string> {
  const set = new Set<string>();
  for (const value of values) {
    if (value === '') continue;
    if (RESERVED.test(value)) {
      diag.warn(
        `otel-genai-cost: metrics ${name} allow-list: ignoring reserved value "${value}"`,
      );
      continue;
    }
    set.add(value);
  }
  return set;
}

function count(
  name: string,
  value: number | undefined,
  fallback: number,
  max: number,
  min = 0,
): number {
  if (value === undefined) return fallback;
  if (Number.isInteger(value) && value >= min && value <= max) return value;
  diag.warn(
    `otel-genai-cost: metrics option ${name}=${value} is not an integer in [${min}, ${max}]; using ${fallback}`,
  );
  return fallback;
}

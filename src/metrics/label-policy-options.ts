import { processEnv, type Env } from '../config/env.js';
import {
  DEFAULT_MAX_LABEL_SETS,
  LABEL_POLICY_SETTINGS,
  type LabelPolicySettingValues,
} from '../config/label-policy-settings.js';
import {
  resolveSettings,
  WARN_AND_DEFAULT,
  type InvalidPolicy,
} from '../config/resolve-settings.js';

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
   * @defaultValue env `OTEL_GENAI_COST_METRICS_PROVIDERS` (comma-separated), else the GenAI provider names `normalizeProvider` knows
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

export { DEFAULT_MAX_LABEL_SETS };

/** Label values the policy itself produces; never accepted from an allow-list. */
export const NONE = 'none';
export const OTHER = 'other';
export const UNPRICED = 'unpriced';

/**
 * `option ?? env ?? default` for every row of `LABEL_POLICY_SETTINGS`. An
 * allow-list with reserved values keeps the others; any other bad value
 * gets one warning and the default (or, with a failing `onInvalid`, stops).
 */
export function resolveLabelPolicyOptions(
  options: LabelPolicyOptions,
  onInvalid: InvalidPolicy = WARN_AND_DEFAULT,
): ResolvedLabelPolicyOptions {
  const values = resolveSettings(LABEL_POLICY_SETTINGS, {
    options,
    env: options.env ?? processEnv(),
    onInvalid,
  }) as Omit<LabelPolicySettingValues, 'models'> &
    Partial<LabelPolicySettingValues>;
  return {
    tenants: new Set(values.tenants),
    tenantBuckets: values.tenantBuckets,
    tenantTopK: values.tenantTopK,
    plans: new Set(values.plans),
    models:
      values.models === undefined
        ? undefined
        : new Set(values.models.map(model => model.toLowerCase())),
    providers: new Set(values.providers),
    maxLabelSets: values.maxLabelSets,
  };
}

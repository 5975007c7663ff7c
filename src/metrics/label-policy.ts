import type { CostRecord } from '../core/cost-record.js';
import type { CostResult } from '../core/price/cost-result.js';
import { cleanModelId } from '../core/price/clean-model-id.js';
import { BoundedAdmission } from './bounded-admission.js';
import { fnv1a32 } from './fnv1a.js';
import {
  NONE,
  OTHER,
  UNPRICED,
  resolveLabelPolicyOptions,
  type LabelPolicyOptions,
  type ResolvedLabelPolicyOptions,
} from './label-policy-options.js';

/** The bounded labels every cost metric carries. */
export interface CostLabels {
  readonly provider: string;
  readonly model: string;
  readonly plan: string;
  readonly tenant: string;
}

export type LabelName = keyof CostLabels;

/** A label set being written (`decideLabelsInto`). */
export type MutableCostLabels = { -readonly [K in LabelName]: string };

/** Bits of `decideLabelsInto`: which labels lost their value. */
export const LOST_PROVIDER = 1;
export const LOST_MODEL = 2;
export const LOST_PLAN = 4;
export const LOST_TENANT = 8;

/** Labels for one call, and which of them lost their real value. */
export interface LabelDecision {
  readonly labels: CostLabels;
  readonly overflowed: readonly LabelName[];
}

/**
 * Maps a call's provider, model, plan and tenant to metric label values from
 * a bounded vocabulary fixed when the policy is built, so every replica with
 * the same configuration gives a call the same labels:
 *
 * - provider: a known GenAI provider name, else `other`; absent is `none`;
 * - model: the priced model id (or an allow-listed one), else `other`;
 *   unpriced calls are `unpriced`;
 * - plan: an allow-listed plan, else `other`; absent is `none`;
 * - tenant: an allow-listed tenant, else (optionally) one of the first K
 *   tenants seen, else a stable FNV-1a hash bucket `bucket-NN` when
 *   `tenantBuckets` is set, else `other`; absent is `none`.
 *
 * Pure, except for the opt-in first-seen `tenantTopK`. User ids are never
 * read.
 */
export class LabelPolicy {
  readonly options: ResolvedLabelPolicyOptions;
  private readonly _topK: BoundedAdmission | undefined;
  private readonly _bucketWidth: number;

  constructor(options: LabelPolicyOptions = {}) {
    this.options = resolveLabelPolicyOptions(options);
    this._topK =
      this.options.tenantTopK > 0
        ? new BoundedAdmission(this.options.tenantTopK)
        : undefined;
    this._bucketWidth = String(
      Math.max(this.options.tenantBuckets - 1, 0),
    ).length;
  }

  decide(record: CostRecord): LabelDecision {
    const provider = this.provider(record.call.provider);
    const model = this.model(record.call.model, record.cost);
    const plan = this.plan(record.identity.plan);
    const tenant = this.tenant(record.identity.tenantId);
    // Nothing lost (the common case): one shared empty list.
    let overflowed: LabelName[] | undefined;
    if (provider.lost) (overflowed ??= []).push('provider');
    if (model.lost) (overflowed ??= []).push('model');
    if (plan.lost) (overflowed ??= []).push('plan');
    if (tenant.lost) (overflowed ??= []).push('tenant');
    return {
      labels: {
        provider: provider.value,
        model: model.value,
        plan: plan.value,
        tenant: tenant.value,
      },
      overflowed: overflowed ?? NOTHING_LOST,
    };
  }

  provider(provider: string | undefined): LabelValue {
    const value = providerKept(this.options, provider);
    return value === undefined ? LOST : kept(value);
  }

  model(model: string | undefined, cost: CostResult): LabelValue {
    const value = modelKept(this.options, model, cost);
    return value === undefined ? LOST : kept(value);
  }

  plan(plan: string | undefined): LabelValue {
    const value = planKept(this.options, plan);
    return value === undefined ? LOST : kept(value);
  }

  tenant(tenantId: string | undefined): LabelValue {
    const value = tenantKept(this.options, this._topK, tenantId);
    if (value !== undefined) return kept(value);
    return { value: tenantLost(this, tenantId as string), lost: true };
  }

  /** `bucket-NN`, zero-padded to the width of the largest bucket number. */
  bucketOf(tenantId: string): string {
    const index = fnv1a32(tenantId) % this.options.tenantBuckets;
    return `bucket-${String(index).padStart(this._bucketWidth, '0')}`;
  }
}

export interface LabelValue {
  readonly value: string;
  /** True when the real value was replaced (`other`, a hash bucket). */
  readonly lost: boolean;
}

const LOST: LabelValue = Object.freeze({ value: OTHER, lost: true });
const NOTHING_LOST: readonly LabelName[] = Object.freeze([]);

function kept(value: string): LabelValue {
  return { value, lost: false };
}

function modelKey(model: string | undefined): string | undefined {
  const key = model === undefined ? '' : cleanModelId(model).toLowerCase();
  return key === '' ? undefined : key;
}

/**
 * The price table's canonical model id, when the cost result carries one
 * (so `gpt-4o-2024-08-06` and `gpt-4o` share a label).
 */
function pricedModelId(cost: CostResult): string | undefined {
  if (!cost.priced || cost.source === 'provider') return undefined;
  return cost.modelId === '' ? undefined : cost.modelId.toLowerCase();
}

/** The provider's label value when kept, undefined when lost (`other`). */
function providerKept(
  options: ResolvedLabelPolicyOptions,
  provider: string | undefined,
): string | undefined {
  if (provider === undefined) return NONE;
  return options.providers.has(provider) ? provider : undefined;
}

function modelKept(
  options: ResolvedLabelPolicyOptions,
  model: string | undefined,
  cost: CostResult,
): string | undefined {
  if (!cost.priced) return UNPRICED;
  const id = pricedModelId(cost) ?? modelKey(model);
  const allowed = options.models;
  if (allowed !== undefined) {
    return id !== undefined && allowed.has(id) ? id : undefined;
  }
  // Default vocabulary: what the price table or an override priced.
  if (cost.source === 'provider') return undefined;
  return id;
}

function planKept(
  options: ResolvedLabelPolicyOptions,
  plan: string | undefined,
): string | undefined {
  if (plan === undefined) return NONE;
  return options.plans.has(plan) ? plan : undefined;
}

/** Allow-listed or first seen (`tenantTopK`); undefined when lost. */
function tenantKept(
  options: ResolvedLabelPolicyOptions,
  topK: BoundedAdmission | undefined,
  tenantId: string | undefined,
): string | undefined {
  if (tenantId === undefined) return NONE;
  if (options.tenants.has(tenantId)) return tenantId;
  if (topK?.admit(tenantId) === true) return tenantId;
  return undefined;
}

/** What a tenant that lost its value is labelled: a bucket, or `other`. */
function tenantLost(policy: LabelPolicy, tenantId: string): string {
  return policy.options.tenantBuckets === 0 ? OTHER : policy.bucketOf(tenantId);
}

/**
 * `policy.decide(record)` written into `into` (the metrics sink's one
 * scratch object: no object per call); returns the labels that lost their
 * value as bits (`LOST_PROVIDER`, `LOST_MODEL`, `LOST_PLAN`, `LOST_TENANT`).
 * The same rules as `decide` (the functions above); a subclass that
 * overrides `decide` is not asked (the caller checks).
 */
export function decideLabelsInto(
  policy: LabelPolicy,
  record: CostRecord,
  into: MutableCostLabels,
): number {
  const options = policy.options;
  let lost = 0;
  const provider = providerKept(options, record.call.provider);
  if (provider === undefined) lost |= LOST_PROVIDER;
  into.provider = provider ?? OTHER;
  const model = modelKept(options, record.call.model, record.cost);
  if (model === undefined) lost |= LOST_MODEL;
  into.model = model ?? OTHER;
  const plan = planKept(options, record.identity.plan);
  if (plan === undefined) lost |= LOST_PLAN;
  into.plan = plan ?? OTHER;
  const tenantId = record.identity.tenantId;
  const topK = (policy as unknown as { _topK: BoundedAdmission | undefined })
    ._topK;
  const tenant = tenantKept(options, topK, tenantId);
  if (tenant === undefined) lost |= LOST_TENANT;
  into.tenant = tenant ?? tenantLost(policy, tenantId as string);
  return lost;
}

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
    if (provider === undefined) return kept(NONE);
    return this.options.providers.has(provider) ? kept(provider) : LOST;
  }

  model(model: string | undefined, cost: CostResult): LabelValue {
    if (!cost.priced) return kept(UNPRICED);
    const id = pricedModelId(cost) ?? modelKey(model);
    const allowed = this.options.models;
    if (allowed !== undefined) {
      return id !== undefined && allowed.has(id) ? kept(id) : LOST;
    }
    // Default vocabulary: what the price table or an override priced.
    if (cost.source === 'provider' || id === undefined) return LOST;
    return kept(id);
  }

  plan(plan: string | undefined): LabelValue {
    if (plan === undefined) return kept(NONE);
    return this.options.plans.has(plan) ? kept(plan) : LOST;
  }

  tenant(tenantId: string | undefined): LabelValue {
    if (tenantId === undefined) return kept(NONE);
    if (this.options.tenants.has(tenantId)) return kept(tenantId);
    if (this._topK?.admit(tenantId) === true) return kept(tenantId);
    const buckets = this.options.tenantBuckets;
    if (buckets === 0) return LOST;
    return { value: this.bucketOf(tenantId), lost: true };
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

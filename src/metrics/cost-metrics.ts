import { diag, metrics, type MeterProvider } from '@opentelemetry/api';
import type { CostRecord, CostSink } from '../core/cost-record.js';
import {
  UNPRICED_REASONS,
  type CostResult,
  type UnpricedReason,
} from '../core/price/cost-result.js';
import { BoundedAdmission } from './bounded-admission.js';
import { OTHER, type LabelPolicyOptions } from './label-policy-options.js';
import {
  decideLabelsInto,
  LabelPolicy,
  LOST_MODEL,
  LOST_PLAN,
  LOST_PROVIDER,
  LOST_TENANT,
  type CostLabels,
  type MutableCostLabels,
} from './label-policy.js';
import { createInstruments, labelSetKey } from './cost-instruments.js';
import { LabelSetKeys } from './label-set-keys.js';
import { CostTotals, type LabelSetTotals } from './cost-totals.js';
import { LastLabelSet } from './last-label-set.js';
import { TOKEN_TYPES } from './metric-names.js';

export interface CostMetricsOptions extends LabelPolicyOptions {
  /**
   * Where the counters live.
   * @defaultValue the global MeterProvider, looked up again until one is registered
   */
  readonly meterProvider?: MeterProvider;
  /** A policy to share (for example with a test); overrides the label options. */
  readonly labelPolicy?: LabelPolicy;
}

/**
 * A label set to create at zero before traffic arrives, so that Prometheus
 * `increase()`/`rate()` see a zero baseline instead of losing each series'
 * first increment. Raw values: the label policy maps them.
 */
export interface SeriesSeed {
  readonly provider?: string;
  readonly model?: string;
  readonly plan?: string;
  readonly tenantId?: string;
  /** Seeds the unpriced series (model `unpriced`) for this reason instead. */
  readonly unpricedReason?: UnpricedReason;
}

/** Upper bound on exported series per metric, for this configuration. */
export interface SeriesBound {
  readonly cost: number;
  readonly calls: number;
  readonly tokens: number;
  readonly unpricedCalls: number;
  readonly labelOverflow: number;
}

const OVERFLOW_LABELS: CostLabels = Object.freeze({
  provider: OTHER,
  model: OTHER,
  plan: OTHER,
  tenant: OTHER,
});
/** Stands for "priced by the table" when seeding series. */
const TABLE_PRICED: CostResult = Object.freeze({
  priced: true,
  source: 'price_table',
  totalUsd: 0,
  inputUsd: 0,
  outputUsd: 0,
  cacheReadUsd: 0,
  cacheWriteUsd: 0,
  modelId: '', // '': label the seed's own model
  priceVersion: 'seed',
});

/**
 * A `CostSink` that records every evaluated LLM call on OpenTelemetry
 * counters (cost in USD, tokens by type, calls, unpriced calls by reason)
 * with labels bounded by a `LabelPolicy` plus a hard, never-evicting cap on
 * label sets, so the series count holds over time even with cumulative
 * temporality. Overflowed values are real label values (`other`,
 * `bucket-NN`), so sums across labels stay exact.
 */
export class CostMetrics implements CostSink {
  readonly policy: LabelPolicy;
  private readonly _labelSets: BoundedAdmission;
  private readonly _fixedProvider: MeterProvider | undefined;
  private readonly _totals = new CostTotals();
  /** The last call's label set, for the next call with the same inputs. */
  private readonly _last = new LastLabelSet<LabelSetTotals>();
  private readonly _keys: LabelSetKeys;
  private _provider: MeterProvider | undefined;
  private _unregister: (() => void) | undefined;
  private _warnedRefused = false;
  /** The label set of the call being recorded (`decideLabelsInto`). */
  private readonly _labels: MutableCostLabels = {
    provider: '',
    model: '',
    plan: '',
    tenant: '',
  };
  /** The policy decides by its own rules (a subclass overrides none of them). */
  private readonly _ownDecide: boolean;

  constructor(options: CostMetricsOptions = {}) {
    this.policy = options.labelPolicy ?? new LabelPolicy(options);
    // One slot stays free for the all-`other` overflow set.
    this._labelSets = new BoundedAdmission(
      this.policy.options.maxLabelSets - 1,
    );
    this._fixedProvider = options.meterProvider;
    const policy = this.policy;
    const own = LabelPolicy.prototype;
    this._ownDecide =
      policy.decide === own.decide &&
      policy.provider === own.provider &&
      policy.model === own.model &&
      policy.plan === own.plan &&
      policy.tenant === own.tenant;
    this._keys = new LabelSetKeys(this.policy.options.maxLabelSets);
  }

  get seriesBound(): SeriesBound {
    const sets = this.policy.options.maxLabelSets;
    return {
      cost: sets,
      calls: sets,
      tokens: sets * TOKEN_TYPES.length,
      unpricedCalls: sets * UNPRICED_REASONS.length,
      labelOverflow: 5,
    };
  }

  /**
   * Creates the series of each seed at zero (cost, calls, input and output
   * tokens; unpriced calls for an `unpricedReason` seed). Seeds take label
   * sets from `maxLabelSets` like traffic does.
   */
  initialize(seeds: Iterable<SeriesSeed>): void {
    try {
      this._ensureInstruments();
      for (const seed of seeds) {
        const cost: CostResult =
          seed.unpricedReason === undefined
            ? TABLE_PRICED
            : { priced: false, reason: seed.unpricedReason };
        const labels = {
          provider: this.policy.provider(seed.provider).value,
          model: this.policy.model(seed.model, cost).value,
          plan: this.policy.plan(seed.plan).value,
          tenant: this.policy.tenant(seed.tenantId).value,
        };
        const key = labelSetKey(labels);
        if (!this._labelSets.admit(key)) continue;
        this._totals.seed(key, labels, cost);
      }
    } catch (error) {
      diag.error('otel-genai-cost: failed to initialize cost metrics', error);
    }
  }

  record(record: CostRecord): void {
    try {
      this._record(record);
    } catch (error) {
      diag.error('otel-genai-cost: failed to record cost metrics', error);
    }
  }

  private _record(record: CostRecord): void {
    this._ensureInstruments();
    let labels: CostLabels;
    let lost = 0;
    if (this._ownDecide) {
      const last = this._last.of(record);
      if (last !== undefined) {
        this._addTo(last, record);
        return;
      }
      labels = this._labels;
      lost = decideLabelsInto(this.policy, record, this._labels);
      if (lost !== 0) {
        if ((lost & LOST_PROVIDER) !== 0) this._totals.overflow('provider');
        if ((lost & LOST_MODEL) !== 0) this._totals.overflow('model');
        if ((lost & LOST_PLAN) !== 0) this._totals.overflow('plan');
        if ((lost & LOST_TENANT) !== 0) this._totals.overflow('tenant');
      }
    } else {
      const decision = this.policy.decide(record);
      labels = decision.labels;
      for (const name of decision.overflowed) this._totals.overflow(name);
    }
    let key = this._keys.keyOf(labels);
    const admitted = this._labelSets.admit(key);
    if (!admitted) {
      labels = OVERFLOW_LABELS;
      key = labelSetKey(labels);
      this._totals.overflow('label_set');
    }
    const totals = this._totals.setOf(key, labels);
    if (this._ownDecide && lost === 0 && admitted) {
      this._last.keep(record, totals);
    }
    this._addTo(totals, record);
  }

  private _addTo(totals: LabelSetTotals, record: CostRecord): void {
    if (!this._totals.addTo(totals, record.call.usage, record.cost)) {
      this._warnRefused();
    }
  }

  private _warnRefused(): void {
    if (this._warnedRefused) return;
    this._warnedRefused = true;
    diag.warn(
      'otel-genai-cost: cost metrics refused a non-finite, negative or absurd cost or token count ' +
        '(the call is counted, the value is not); further refusals are not logged',
    );
  }

  /** Registers the observable counters on the current MeterProvider. */
  private _ensureInstruments(): void {
    const provider = this._fixedProvider ?? metrics.getMeterProvider();
    if (this._unregister !== undefined && provider === this._provider) return;
    this._unregister?.();
    // A new provider starts from zero, as fresh synchronous counters would.
    this._totals.clear();
    this._last.clear();
    this._provider = provider;
    this._unregister = createInstruments(provider, (result, instruments) =>
      this._totals.observe(result, instruments),
    ).unregister;
  }
}

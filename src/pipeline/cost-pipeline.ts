import {
  CostEngine,
  type Evaluation,
  type IdentityHint,
} from '../core/cost-engine.js';
import type { CostRecord } from '../core/cost-record.js';
import {
  closeIdentityKeyScan,
  openIdentityKeyScan,
} from '../core/identity/identity-key-scan.js';
import { IdentityPolicy } from '../core/identity/identity-policy.js';
import type { ScrubBudget } from '../core/identity/scrub-budget.js';
import { createPricer } from '../core/price/pricer.js';
import { SwappablePricer } from '../core/price/swappable-pricer.js';
import {
  classifyPlainAttributes,
  classifySpan,
  type SpanClass,
} from '../core/select/classify-span.js';
import type { SpanAttributes, SpanLike } from '../core/span-like.js';
import {
  costSpanUpdate,
  type CostSpanUpdateOptions,
} from '../outputs/cost-span-update.js';
import { UnpricedWarnings } from '../outputs/unpriced-warnings.js';
import { EmailRedactionWarning } from './email-redaction-warning.js';
import { StackedInstrumentationWarning } from './stacked-instrumentation-warning.js';
import {
  DEFAULT_PIPELINE_CONFIG,
  type PipelineConfig,
} from './pipeline-config.js';
import { SinkFanout } from './sink-fanout.js';
import type { SpanOutcome } from './span-outcome.js';
import { UnpricedModels } from './unpriced-models.js';

const NOTHING: SpanOutcome = {
  update: undefined,
  record: undefined,
  evaluation: undefined,
};

/**
 * The one evaluation pipeline every shell adapts to (processor, exporter
 * wrapper, `recordLlmCall` through the processor, gateway):
 * normalize → select → price → identity → span update → warnings → sinks.
 * SDK-free: it reads a `SpanLike` and returns what to write; the shell
 * writes it and decides when to count (`record`).
 *
 * - `select` classifies a span once and says whether it needs any work;
 * - `evaluate` runs select, normalize, price and identity on one engine
 *   (the pipeline's own, or one from `createEngine`), then `outcomeOf`;
 * - `outcomeOf` turns a decision into the span update and the record, and
 *   gives the unpriced and e-mail warnings (once per key per pipeline);
 * - `record` is the one sink step.
 */
export class CostPipeline {
  /** Exactly-once bookkeeping of the in-process shells. */
  readonly engine: CostEngine;
  readonly policy: IdentityPolicy;
  /**
   * Prices every call of every engine of this pipeline; the shell that
   * refreshes the price data at run time swaps its data.
   */
  readonly pricer: SwappablePricer;
  /**
   * The calls counted unpriced, by (reason, provider, model), bounded
   * (the gateway lists them on `/healthz`). Experimental.
   */
  readonly unpricedModels = new UnpricedModels();
  private readonly _sinks: SinkFanout;
  private readonly _updateOptions: CostSpanUpdateOptions;
  private readonly _unpriced = new UnpricedWarnings();
  private readonly _email = new EmailRedactionWarning();
  /** Which layer of stacked instrumentations to trust (`EmittersOption`). */
  readonly emitters: PipelineConfig['emitters'];
  private readonly _stackedWarning: StackedInstrumentationWarning;
  /** Stacked instrumentations seen (scope names): the one-time warning. */
  readonly onStacked: (scopes: readonly string[]) => void;

  constructor(config: PipelineConfig) {
    this.policy = new IdentityPolicy({
      ...config.identity.policy,
      rewriteAllSources: config.rewriteAllSources === true,
      onEmailRedacted: this._email.warn,
    });
    this.pricer = new SwappablePricer(
      createPricer({ overrides: config.overrides }),
    );
    this.emitters = config.emitters;
    this._stackedWarning = new StackedInstrumentationWarning(config.emitters);
    this.onStacked = this._stackedWarning.warn;
    // The in-process engine also matches stacked layers across traces (it
    // is told when spans start); a held call no partner takes is counted.
    this.engine = new CostEngine({
      pricer: this.pricer,
      identityPolicy: this.policy,
      maxTrackedSpans: config.maxTrackedSpans,
      emitters: config.emitters,
      stacked: { onRelease: record => this.record(record) },
      onStacked: this._stackedWarning.warn,
    });
    this._sinks = new SinkFanout(config.sinks);
    this._updateOptions = {
      policy: this.policy,
      aliases: config.identity.aliases,
    };
  }

  /**
   * A new engine (its own exactly-once memory) on this pipeline's pricer and
   * identity rules: the gateway keeps one per trace.
   */
  createEngine(maxTrackedSpans: number): CostEngine {
    return new CostEngine({
      pricer: this.pricer,
      identityPolicy: this.policy,
      maxTrackedSpans,
      emitters: this.emitters,
      onStacked: this._stackedWarning.warn,
    });
  }

  /**
   * The span's class, or undefined when an ended span needs no work at all:
   * not an LLM span, no LLM call below it to pass on, nothing to rewrite.
   * Lets a shell skip building a span view for the ~95 % of spans that are
   * not LLM calls; pass the class on to `evaluate` (classified once).
   * `startRemembered: false` says the shell knows the engine was never told
   * of this span's start (`CostEngine.start`): only a mark left by a call
   * below it is looked up then, and `attributes` must be a plain object
   * (own enumerable keys, as an SDK span holds them; see
   * `classifyPlainAttributes`, which `attributeCount` is passed to).
   */
  select(
    attributes: SpanAttributes,
    spanId: string,
    engine: CostEngine = this.engine,
    startRemembered = true,
    attributeCount?: number,
  ): SpanClass | undefined {
    // A span remembered at start is usually an LLM span with many
    // attributes (V8 then keeps them in a dictionary, where one pass over
    // the keys costs more than the marker reads): read its markers directly.
    const spanClass = startRemembered
      ? classifySpan(attributes)
      : classifyPlainAttributes(attributes, attributeCount);
    if (
      spanClass.role === 'other' &&
      !this.policy.pseudonymizes &&
      !(startRemembered ? engine.needsEnd(spanId) : engine.isCovered(spanId))
    ) {
      return undefined;
    }
    return spanClass;
  }

  /** Evaluates one ended span: the update to write and the call to count. */
  evaluate(
    span: SpanLike,
    hint: IdentityHint | undefined,
    spanClass: SpanClass = classifySpan(span.attributes),
    engine: CostEngine = this.engine,
  ): SpanOutcome {
    // The engine reads the span's identity, the update scrubs it: one pass
    // over its keys for both (the attributes do not change in between).
    openIdentityKeyScan(span.attributes, attributeCountHint(span));
    try {
      return this.outcomeOf(
        span.attributes,
        spanClass,
        engine.evaluateClassified(span, spanClass, hint),
      );
    } finally {
      closeIdentityKeyScan();
    }
  }

  /**
   * The span update and record of a decision already taken (the gateway
   * repeats remembered decisions), with the unpriced warning. The privacy
   * rewrites spend `budget`: the gateway passes one per request (the same
   * it gave the engine in the identity hint); without one, the span gets
   * its own, so in process one span's identity work is bounded too.
   */
  outcomeOf(
    attributes: SpanAttributes,
    spanClass: SpanClass,
    evaluation: Evaluation | undefined,
    budget?: ScrubBudget | undefined,
  ): SpanOutcome {
    const update = costSpanUpdate(
      attributes,
      spanClass.role !== 'other',
      evaluation,
      this._updateOptions,
      budget,
    );
    if (evaluation?.kind !== 'call') {
      return update === undefined && evaluation === undefined
        ? NOTHING
        : { update, record: undefined, evaluation };
    }
    const { call, cost, identity, traceId, spanId } = evaluation;
    if (!cost.priced) this._unpriced.warn(call, cost.reason);
    return {
      update,
      record: { call, cost, identity, traceId, spanId },
      evaluation,
    };
  }

  /** The one sink step: counts a call in every sink, each isolated. */
  record(record: CostRecord): void {
    const { call, cost } = record;
    if (!cost.priced) {
      this.unpricedModels.note(cost.reason, call.provider, call.model);
    }
    this._sinks.record(record);
  }

  forceFlush(): Promise<void> {
    return this._sinks.forceFlush();
  }

  /** Forgets the engine's bookkeeping and shuts the sinks down. */
  shutdown(): Promise<void> {
    // Calls held for a stacked partner that never ended are counted.
    this.engine.releaseHeld();
    this.engine.clear();
    return this._sinks.shutdown();
  }
}

/**
 * The attribute count a span view knows (`SdkSpanView.attributeCount`: a
 * plain attribute object whose keys the SDK counted), else undefined.
 */
function attributeCountHint(span: SpanLike): number | undefined {
  const count = (span as { readonly attributeCount?: unknown }).attributeCount;
  return typeof count === 'number' ? count : undefined;
}

/** Builds the pipeline from one resolved configuration. */
export function createCostPipeline(
  config: PipelineConfig = DEFAULT_PIPELINE_CONFIG,
): CostPipeline {
  return new CostPipeline(config);
}

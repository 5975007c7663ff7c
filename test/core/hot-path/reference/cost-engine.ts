/**
 * Reference copy of src/core/cost-engine.ts at 390c6d2, before `_skip` read
 * the cost markers through module-local constants
 * (cost-marker-constants.property.test.ts). Do not optimize.
 */
import type { Identity } from '../../../../src/core/identity.js';
import { IdentityPolicy } from '../../../../src/core/identity/identity-policy.js';
import { readSpanIdentity } from '../../../../src/core/identity/read-span-identity.js';
import type { ScrubBudget } from '../../../../src/core/identity/scrub-budget.js';
import type { AttributionTags } from '../../../../src/core/identity/tag-key.js';
import type { LlmCall } from '../../../../src/core/llm-call.js';
import { normalizeSpan } from '../../../../src/core/normalize/normalize-span.js';
import type { CostResult } from '../../../../src/core/price/cost-result.js';
import {
  priceSpanCall,
  type Pricer,
} from '../../../../src/core/price/pricer.js';
import type { CostRecord } from '../../../../src/core/cost-record.js';
import {
  classifySpan,
  type SpanClass,
} from '../../../../src/core/select/classify-span.js';
import { CoverageTracker } from '../../../../src/core/select/coverage-tracker.js';
import {
  coveredContribution,
  exceedsCovered,
  remainderUsage,
} from '../../../../src/core/select/covered-usage.js';
import { DuplicateCalls } from '../../../../src/core/select/duplicate-calls.js';
import {
  emitterLayer,
  LAYER_RANK,
  remembersFromStart,
} from '../../../../src/core/select/emitter-layer.js';
import {
  resolveEmitters,
  type EmittersOption,
} from '../../../../src/core/select/emitters.js';
import { OpenLlmSpans } from '../../../../src/core/select/open-llm-spans.js';
import {
  betterInformed,
  sameCall,
} from '../../../../src/core/select/same-call.js';
import { StackedCalls } from '../../../../src/core/select/stacked-calls.js';
import type { SpanLike } from '../../../../src/core/span-like.js';
import {
  ATTR_COST_SKIPPED,
  ATTR_COST_SOURCE,
} from '../../../../src/semconv.js';

export type SkipReason =
  | 'covered_by_descendant'
  | 'duplicate_response'
  | 'already_priced'
  | 'duplicate_of_stacked_instrumentation';

/** What the engine decided about one LLM call span. */
export type Evaluation =
  | {
      readonly kind: 'call';
      readonly call: LlmCall;
      readonly cost: CostResult;
      /** Who the call is billed to; `source: 'none'` when nobody. */
      readonly identity: Identity;
      /** The span that recorded the call (the key `CostRecord` carries). */
      readonly traceId?: string | undefined;
      readonly spanId?: string | undefined;
    }
  | { readonly kind: 'skipped'; readonly reason: SkipReason };

/**
 * Identity known from outside the span's own attributes. The span's
 * attributes are always read; these layers are merged around them
 * (explicit > own attributes > ancestors, per key).
 */
export interface IdentityHint {
  /** Explicit attribution (`withAttribution`, middleware, baggage). */
  readonly explicit?: AttributionTags | undefined;
  /** `manual` for `recordLlmCall` tags. @defaultValue 'context' */
  readonly explicitSource?: 'context' | 'manual' | undefined;
  /**
   * Tags of the span's ancestors, nearest first. A function, so spans that
   * turn out not to be LLM calls never pay for walking the ancestry.
   */
  readonly ancestors?: (() => AttributionTags | undefined) | undefined;
  /** Bounds the JSON bags read from the span (the gateway's, per request). */
  readonly budget?: ScrubBudget | undefined;
}

export interface CostEngineOptions {
  readonly pricer: Pricer;
  /** Bound on exactly-once bookkeeping entries. */
  readonly maxTrackedSpans?: number;
  /** Allow-list and privacy rules for identity. @defaultValue new IdentityPolicy() */
  readonly identityPolicy?: IdentityPolicy;
  /**
   * Which layer of stacked instrumentations to trust (`EmittersOption`).
   * The scope list applies in every engine; the layer modes match spans
   * across traces only in an engine told when spans start (`start`, the
   * span processor): give `stacked` for that.
   * @defaultValue 'auto'
   */
  readonly emitters?: EmittersOption | undefined;
  /**
   * In-process matching of stacked layers (`StackedCalls`); needs `start`.
   * Undefined: no cross-trace matching in this engine.
   */
  readonly stacked?: StackedEngineOptions | undefined;
  /**
   * Stacked layers seen: two scope names recording one call, or one scope
   * left out by the `emitters` scope list (for the one-time warning).
   */
  readonly onStacked?: ((scopes: readonly string[]) => void) | undefined;
}

export interface StackedEngineOptions {
  /** A held call no partner took (counted on its own). */
  readonly onRelease: (record: CostRecord) => void;
  /** Open layered spans remembered at most. @defaultValue 10000 */
  readonly maxOpenSpans?: number | undefined;
}

type CallEvaluation = Extract<Evaluation, { kind: 'call' }>;

const COVERED: Evaluation = {
  kind: 'skipped',
  reason: 'covered_by_descendant',
};
const DUPLICATE: Evaluation = { kind: 'skipped', reason: 'duplicate_response' };
const ALREADY_PRICED: Evaluation = {
  kind: 'skipped',
  reason: 'already_priced',
};
const STACKED: Evaluation = {
  kind: 'skipped',
  reason: 'duplicate_of_stacked_instrumentation',
};

/**
 * The data path shared by every shell (span processor, exporter wrapper,
 * gateway): select the span, normalize it, price it. Feed it spans in the
 * order they end; it returns `undefined` for spans that are not LLM calls.
 */
export class CostEngine {
  readonly pricer: Pricer;
  readonly identityPolicy: IdentityPolicy;
  private readonly _coverage: CoverageTracker;
  private readonly _duplicates: DuplicateCalls;
  private readonly _openLlm: OpenLlmSpans<LlmCall>;
  private readonly _stacked: StackedCalls<CallEvaluation> | undefined;
  private readonly _scopes: ReadonlySet<string> | undefined;
  private readonly _onStacked: CostEngineOptions['onStacked'];

  constructor(options: CostEngineOptions) {
    this.pricer = options.pricer;
    this.identityPolicy = options.identityPolicy ?? new IdentityPolicy();
    this._coverage = new CoverageTracker(options.maxTrackedSpans);
    this._duplicates = new DuplicateCalls();
    // Spans in flight: the same bound as the stacked layers' open spans.
    this._openLlm = new OpenLlmSpans(
      options.stacked?.maxOpenSpans ??
        Math.min(options.maxTrackedSpans ?? 10_000, 10_000),
    );
    const { preference, scopes } = resolveEmitters(options.emitters);
    this._scopes = scopes;
    const stacked = options.stacked;
    this._stacked =
      stacked === undefined || preference === undefined
        ? undefined
        : new StackedCalls<CallEvaluation>({
            preference,
            maxOpenSpans: stacked.maxOpenSpans,
            onRelease: ({ call, cost, identity, traceId, spanId }) =>
              stacked.onRelease({ call, cost, identity, traceId, spanId }),
            onStacked: options.onStacked,
          });
    this._onStacked = options.onStacked;
  }

  /** Whether an LLM call below `spanId` marked it (see CoverageTracker). */
  isCovered(spanId: string): boolean {
    return this._coverage.has(spanId);
  }

  /**
   * Whether the end of `spanId` must be evaluated even if it is not an LLM
   * span: a call below it marked it, or its start was remembered.
   */
  needsEnd(spanId: string): boolean {
    return (
      this._coverage.has(spanId) ||
      this._openLlm.isOpen(spanId) ||
      (this._stacked?.isOpen(spanId) ?? false)
    );
  }

  /**
   * Whether the start of `spanId` is remembered and not yet released (what
   * `forget` would release); false at once while nothing is remembered.
   */
  remembersStart(spanId: string): boolean {
    return (
      this._openLlm.isOpen(spanId) || (this._stacked?.isOpen(spanId) ?? false)
    );
  }

  /** Entries held for exactly-once selection (for tests and benchmarks). */
  get trackedEntries(): number {
    return (
      this._coverage.size +
      this._duplicates.size +
      this._openLlm.size +
      (this._stacked?.size ?? 0)
    );
  }

  /**
   * Whether `start` has anything to do for spans that are not inference
   * spans when they start (layered scopes are remembered only with
   * cross-layer matching on).
   */
  get watchesStarts(): boolean {
    return this._stacked !== undefined;
  }

  /**
   * A span started (in process: the span processor's `onStart`, with the
   * attributes it has so far). Inference spans are remembered by parent,
   * so a parent that ends before its child call is known covered; spans of
   * a known instrumentation layer are remembered for cross-layer matching.
   */
  start(span: SpanLike, spanClass: SpanClass): void {
    // A layered span may get its marker attributes only at its end
    // (OpenInference's `Anthropic Messages` starts with none).
    const layer = emitterLayer(span.scopeName);
    const remembered =
      spanClass.role === 'inference' || remembersFromStart(span.scopeName);
    if (!remembered) return;
    this._openLlm.start(span.spanId, localParent(span));
    if (this._stacked !== undefined && layer !== undefined) {
      this._stacked.start(span, layer);
    }
  }

  /**
   * Prices one ended span and resolves who it is billed to. With one
   * argument the identity comes from the span's own attributes only.
   */
  evaluate(
    span: SpanLike,
    identityHint?: IdentityHint,
  ): Evaluation | undefined {
    return this.evaluateClassified(
      span,
      classifySpan(span.attributes),
      identityHint,
    );
  }

  /**
   * `evaluate` for a shell that already classified the span (to decide
   * something else from the class), so no span is classified twice.
   */
  evaluateClassified(
    span: SpanLike,
    spanClass: SpanClass,
    identityHint?: IdentityHint,
  ): Evaluation | undefined {
    const parent = localParent(span);
    const below = this._coverage.take(span.spanId);
    if (spanClass.role !== 'inference' || spanClass.family === undefined) {
      if (below !== undefined) this._markUp(parent, below);
      this._openLlm.forget(span.spanId);
      if (this._stacked?.isOpen(span.spanId) === true) {
        this._stacked.forget(span.spanId, endMillis(span));
      }
      return undefined;
    }
    const open = this._openLlm.end(span.spanId);
    const call = normalizeSpan(span, spanClass.family);
    this._markUp(parent, coveredContribution(call.usage, below));
    const skip = this._skip(span, call, below, open.descendantOpen);
    if (skip !== undefined) {
      this._stacked?.forget(span.spanId, endMillis(span));
      return skip;
    }
    let priced = call;
    if (below !== undefined && call.usage !== undefined) {
      // An agent or chain total over calls not all recorded: the tokens
      // beyond its descendants' are priced here, theirs are not again.
      priced = { ...call, usage: remainderUsage(call.usage, below) };
    } else if (open.ancestorHeld !== undefined) {
      priced = withAncestor(call, open.ancestorHeld);
    }
    const evaluation = this._price(span, priced, identityHint);
    return this._stacked === undefined
      ? evaluation
      : this._matchLayers(span, evaluation, identityHint);
  }

  /**
   * A span ended without being evaluated (an SDK without `onEnding`): its
   * start is forgotten. Nothing is priced or counted.
   */
  forget(spanId: string, endTimeMillis: number): void {
    this._openLlm.forget(spanId);
    this._stacked?.forget(spanId, endTimeMillis);
  }

  /**
   * Counts the calls held for a partner that has not ended (through
   * `stacked.onRelease`): call before forgetting everything at shutdown.
   */
  releaseHeld(): void {
    this._stacked?.releaseAll();
  }

  clear(): void {
    this._coverage.clear();
    this._duplicates.clear();
    this._openLlm.clear();
    this._stacked?.clear();
  }

  /** Why an inference span is not priced, or undefined. */
  private _skip(
    span: SpanLike,
    call: LlmCall,
    below: ReturnType<CoverageTracker['take']>,
    descendantOpen: boolean,
  ): Evaluation | undefined {
    if (descendantOpen) {
      // Ended before an inference span below it: that one will record the
      // call; this call is kept for it in case it ends without usage.
      this._openLlm.hold(span.spanId, call);
      return COVERED;
    }
    if (
      below !== undefined &&
      (call.usage === undefined || !exceedsCovered(call.usage, below))
    ) {
      return COVERED;
    }
    // Evaluated upstream (this library's processor, exporter wrapper or
    // gateway): priced, unpriced or skipped there. Never again here.
    if (
      span.attributes[ATTR_COST_SOURCE] !== undefined ||
      span.attributes[ATTR_COST_SKIPPED] !== undefined
    ) {
      return ALREADY_PRICED;
    }
    if (
      call.responseId !== undefined &&
      this._duplicates.isDuplicate(
        span.traceId,
        call.responseId,
        span.scopeName,
      )
    ) {
      return DUPLICATE;
    }
    if (this._scopes !== undefined && !this._scopes.has(span.scopeName)) {
      this._onStacked?.([span.scopeName]);
      return STACKED;
    }
    return undefined;
  }

  /** Cross-layer matching (in process); see `StackedCalls`. */
  private _matchLayers(
    span: SpanLike,
    evaluation: CallEvaluation,
    identityHint: IdentityHint | undefined,
  ): Evaluation {
    const layer = emitterLayer(span.scopeName);
    const stacked = this._stacked;
    if (layer === undefined || stacked === undefined) return evaluation;
    const outcome = stacked.end(
      span,
      layer,
      endMillis(span),
      evaluation.call,
      evaluation,
    );
    if (outcome.kind === 'duplicate') return STACKED;
    if (outcome.call === evaluation.call && outcome.partner === undefined) {
      return evaluation;
    }
    const partner = outcome.partner;
    let priced =
      outcome.call === evaluation.call
        ? evaluation
        : this._price(span, outcome.call, identityHint);
    if (!priced.cost.priced && partner !== undefined) {
      priced = this._pricedFromEither(
        span,
        priced,
        evaluation,
        partner,
        identityHint,
      );
    }
    // Billed to the inner layer's identity when it has one: a client
    // instrumentation or provider SDK starts its span inside the caller's
    // call, in the caller's context, while a framework's callbacks may run
    // in another request's (LangChain.js runs them in one background queue
    // by default, so under concurrency its span starts in the context of
    // whichever request drained the queue). Else the one either resolved.
    if (partner === undefined || partner.identity.source === 'none') {
      return priced;
    }
    const partnerInner =
      outcome.partnerLayer !== undefined &&
      LAYER_RANK[outcome.partnerLayer] < LAYER_RANK[layer];
    return priced.identity.source === 'none' || partnerInner
      ? { ...priced, identity: partner.identity }
      : priced;
  }

  /**
   * The chosen record of a pair is unpriced (say its model id is one the
   * table does not know) while the other's is priced: the chosen usage with
   * the other's provider and model, else the other record.
   */
  private _pricedFromEither(
    span: SpanLike,
    chosen: CallEvaluation,
    own: CallEvaluation,
    partner: CallEvaluation,
    identityHint: IdentityHint | undefined,
  ): CallEvaluation {
    const other = chosen.call === partner.call ? own : partner;
    if (!other.cost.priced) return chosen;
    const merged = this._price(
      span,
      {
        ...chosen.call,
        provider: other.call.provider,
        model: other.call.model,
      },
      identityHint,
    );
    return merged.cost.priced
      ? merged
      : this._price(span, other.call, identityHint);
  }

  private _price(
    span: SpanLike,
    call: LlmCall,
    identityHint: IdentityHint | undefined,
  ): CallEvaluation {
    const cost = priceSpanCall(this.pricer, {
      provider: call.provider,
      model: call.model,
      usage: call.usage,
      invalidUsage: (call.invalidUsage?.length ?? 0) > 0,
      reportedCostUsd: call.reportedCostUsd,
      timestamp: call.startTimeMillis,
    });
    const identity = this.identityPolicy.resolve({
      explicit: identityHint?.explicit,
      explicitSource: identityHint?.explicitSource,
      own: readSpanIdentity(span.attributes, identityHint?.budget),
      ancestors: identityHint?.ancestors?.(),
    });
    const { traceId, spanId } = span;
    return { kind: 'call', call, cost, identity, traceId, spanId };
  }

  /** Passes what was recorded below a span on to its parent. */
  private _markUp(
    parent: string | undefined,
    usage: Parameters<CoverageTracker['mark']>[1],
  ): void {
    // A parent that already ended (before this child) would keep the mark
    // forever; it passed its own on when it ended.
    if (this._openLlm.endedFirst(parent)) return;
    this._coverage.mark(parent, usage);
  }
}

/**
 * A remote parent never ends in this process: marking it would hold an
 * entry per request until the bound (maxTrackedSpans) drops it.
 */
function localParent(span: SpanLike): string | undefined {
  return span.parentIsRemote === true ? undefined : span.parentSpanId;
}

function endMillis(span: SpanLike): number {
  return span.endTimeMillis ?? span.startTimeMillis;
}

/**
 * A call below an ancestor that ended first and was skipped for it: the
 * ancestor's record when this one has no usage, the better-informed of the
 * two when they agree, else this one's.
 */
function withAncestor(call: LlmCall, ancestor: LlmCall): LlmCall {
  if (call.usage === undefined) {
    return ancestor.usage === undefined ? call : ancestor;
  }
  return sameCall(call, ancestor) ? betterInformed(call, ancestor) : call;
}

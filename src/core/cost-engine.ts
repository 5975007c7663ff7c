import type { Identity } from './identity.js';
import { IdentityPolicy } from './identity/identity-policy.js';
import { readSpanIdentity } from './identity/read-span-identity.js';
import type { ScrubBudget } from './identity/scrub-budget.js';
import type { AttributionTags } from './identity/tag-key.js';
import type { LlmCall } from './llm-call.js';
import { normalizeSpan } from './normalize/normalize-span.js';
import type { CostResult } from './price/cost-result.js';
import { priceSpanCall, type Pricer } from './price/pricer.js';
import { classifySpan, type SpanClass } from './select/classify-span.js';
import { CoverageTracker } from './select/coverage-tracker.js';
import { DuplicateCalls } from './select/duplicate-calls.js';
import type { SpanLike } from './span-like.js';
import { ATTR_COST_SKIPPED, ATTR_COST_SOURCE } from '../semconv.js';

export type SkipReason =
  'covered_by_descendant' | 'duplicate_response' | 'already_priced';

/** What the engine decided about one LLM call span. */
export type Evaluation =
  | {
      readonly kind: 'call';
      readonly call: LlmCall;
      readonly cost: CostResult;
      /** Who the call is billed to; `source: 'none'` when nobody. */
      readonly identity: Identity;
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
}

const COVERED: Evaluation = {
  kind: 'skipped',
  reason: 'covered_by_descendant',
};
const DUPLICATE: Evaluation = { kind: 'skipped', reason: 'duplicate_response' };
const ALREADY_PRICED: Evaluation = {
  kind: 'skipped',
  reason: 'already_priced',
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

  constructor(options: CostEngineOptions) {
    this.pricer = options.pricer;
    this.identityPolicy = options.identityPolicy ?? new IdentityPolicy();
    this._coverage = new CoverageTracker(options.maxTrackedSpans);
    this._duplicates = new DuplicateCalls();
  }

  /** Whether an LLM call below `spanId` marked it (see CoverageTracker). */
  isCovered(spanId: string): boolean {
    return this._coverage.has(spanId);
  }

  /** Entries held for exactly-once selection (for tests and benchmarks). */
  get trackedEntries(): number {
    return this._coverage.size + this._duplicates.size;
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
    // A remote parent never ends in this process: marking it would hold an
    // entry per request until the bound (maxTrackedSpans) drops it.
    const parent = span.parentIsRemote === true ? undefined : span.parentSpanId;
    const covered = this._coverage.take(span.spanId, parent);
    if (spanClass.role !== 'inference' || spanClass.family === undefined) {
      return undefined;
    }
    this._coverage.mark(parent);
    if (covered) return COVERED;
    // Evaluated upstream (this library's processor, exporter wrapper or
    // gateway): priced, unpriced or skipped there. Never again here.
    if (
      span.attributes[ATTR_COST_SOURCE] !== undefined ||
      span.attributes[ATTR_COST_SKIPPED] !== undefined
    ) {
      return ALREADY_PRICED;
    }
    const call = normalizeSpan(span, spanClass.family);
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
    return { kind: 'call', call, cost, identity };
  }

  clear(): void {
    this._coverage.clear();
    this._duplicates.clear();
  }
}

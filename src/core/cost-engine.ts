import type { LlmCall } from './llm-call.js';
import { normalizeSpan } from './normalize/normalize-span.js';
import type { CostResult } from './price/cost-result.js';
import type { Pricer } from './price/pricer.js';
import { classifySpan } from './select/classify-span.js';
import { CoverageTracker } from './select/coverage-tracker.js';
import { DuplicateCalls } from './select/duplicate-calls.js';
import type { SpanLike } from './span-like.js';
import { ATTR_COST_SOURCE } from '../semconv.js';

export type SkipReason =
  'covered_by_descendant' | 'duplicate_response' | 'already_priced';

/** What the engine decided about one LLM call span. */
export type Evaluation =
  | { readonly kind: 'call'; readonly call: LlmCall; readonly cost: CostResult }
  | { readonly kind: 'skipped'; readonly reason: SkipReason };

export interface CostEngineOptions {
  readonly pricer: Pricer;
  /** Bound on exactly-once bookkeeping entries. */
  readonly maxTrackedSpans?: number;
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
  private readonly _coverage: CoverageTracker;
  private readonly _duplicates: DuplicateCalls;

  constructor(options: CostEngineOptions) {
    this.pricer = options.pricer;
    this._coverage = new CoverageTracker(options.maxTrackedSpans);
    this._duplicates = new DuplicateCalls();
  }

  /** Entries held for exactly-once selection (for tests and benchmarks). */
  get trackedEntries(): number {
    return this._coverage.size + this._duplicates.size;
  }

  evaluate(span: SpanLike): Evaluation | undefined {
    const covered = this._coverage.take(span.spanId, span.parentSpanId);
    const spanClass = classifySpan(span.attributes);
    if (spanClass.role !== 'inference' || spanClass.family === undefined) {
      return undefined;
    }
    this._coverage.mark(span.parentSpanId);
    if (covered) return COVERED;
    if (span.attributes[ATTR_COST_SOURCE] !== undefined) return ALREADY_PRICED;
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
    const cost = this.pricer.price({
      provider: call.provider,
      model: call.model,
      usage: call.usage,
      reportedCostUsd: call.reportedCostUsd,
      timestamp: call.startTimeMillis,
    });
    return { kind: 'call', call, cost };
  }

  clear(): void {
    this._coverage.clear();
    this._duplicates.clear();
  }
}

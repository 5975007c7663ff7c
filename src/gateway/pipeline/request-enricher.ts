import { diag } from '@opentelemetry/api';
import type { Evaluation, IdentityHint } from '../../core/cost-engine.js';
import type { CostRecord } from '../../core/cost-record.js';
import {
  BUDGET_SPENT_VALUE,
  ScrubBudget,
  type ScrubBudgetLimits,
} from '../../core/identity/scrub-budget.js';
import {
  classifySpan,
  type SpanClass,
} from '../../core/select/classify-span.js';
import { emitterLayer } from '../../core/select/emitter-layer.js';
import { resolveEmitters } from '../../core/select/emitters.js';
import { StackedWindow } from '../../core/select/stacked-window.js';
import type { CostPipeline } from '../../pipeline/cost-pipeline.js';
import type { ScannedRequest } from '../otlp/scanned-request.js';
import { BatchAncestry } from './batch-ancestry.js';
import { splitBatch, type BatchSpan } from './batch-spans.js';
import { SpanDecider } from './span-decider.js';
import { TraceWindow, type RememberedSpan } from './trace-window.js';

/** One LLM call evaluated in a request, to be counted once forwarded. */
export interface EvaluatedCall {
  readonly traceId: string;
  readonly spanId: string;
  readonly record: CostRecord;
  /** Its remembered span (counted once); undefined when not remembered. */
  readonly remembered: RememberedSpan | undefined;
}

/** A layered call of a request, decided with the others once all are read. */
interface Deferred {
  readonly span: BatchSpan;
  readonly spanClass: SpanClass;
  readonly evaluation: Extract<Evaluation, { kind: 'call' }>;
  readonly remembered: RememberedSpan | undefined;
}

/** What a request's spans produced so far. */
interface Outcomes {
  readonly calls: EvaluatedCall[];
  readonly unpriced: Map<string, number>;
  readonly budget: ScrubBudget;
}

const STACKED: Extract<Evaluation, { kind: 'skipped' }> = {
  kind: 'skipped',
  reason: 'duplicate_of_stacked_instrumentation',
};

/** Calls remembered at most for stacked matching across requests. */
export const MAX_STACKED_CALLS = 50_000;

export interface EnrichResult {
  /** Spans left in the request (to forward). */
  readonly spans: number;
  /**
   * Spans removed (reported as `rejected_spans`): invalid ids,
   * `duplicateSpans` and `deprecatedSpans`.
   */
  readonly rejectedSpans: number;
  /** Spans removed for reusing the trace and span id of a different span. */
  readonly duplicateSpans: number;
  /** Spans removed from `ResourceSpans` field 1000 (`ScannedRequest.droppedSpans`). */
  readonly deprecatedSpans: number;
  readonly calls: readonly EvaluatedCall[];
  /** Unpriced calls by `reason provider/model`, for the warning message. */
  readonly unpriced: ReadonlyMap<string, number>;
  /**
   * The identity budget limit the request reached (`values` or `chars`):
   * identity attributes past it were replaced by a redacted marker.
   */
  readonly identityBudgetSpent: keyof ScrubBudgetLimits | undefined;
}

export interface RequestEnricherOptions {
  /**
   * The evaluation pipeline (pricer, identity rules, span update, warnings,
   * sinks): per-trace engines come from it, calls are counted through it.
   */
  readonly pipeline: CostPipeline;
  /** Exactly-once and dedup window per trace. */
  readonly traceWindowMillis: number;
  readonly maxTraces: number;
  /** LLM spans remembered across traces. @defaultValue DEFAULT_MAX_LLM_SPANS */
  readonly maxLlmSpans?: number | undefined;
  /** LLM spans remembered per trace. @defaultValue MAX_SPANS_PER_TRACE */
  readonly maxSpansPerTrace?: number | undefined;
  /** Identity work one request may do. @defaultValue DEFAULT_SCRUB_BUDGET */
  readonly identityBudget?: Partial<ScrubBudgetLimits> | undefined;
}

/**
 * The gateway's adapter over the evaluation pipeline: prices the LLM spans
 * of one scanned request with the same `CostPipeline` as the span
 * processor, and leaves the attributes to write on each span.
 * Exactly-once across requests: spans are taken in end-time order, each
 * trace that had an LLM call keeps its own engine (coverage marks, response
 * ids) and the decision taken for each of its LLM spans for the trace
 * window, so a span delivered again gets the same decision, while a
 * different span reusing a remembered trace and span id is rejected
 * (`SpanDecider`); identity may come from ancestors in the same request
 * (`BatchAncestry`). Nothing is counted here: `commit` returns the calls to
 * count once the request was forwarded, each remembered span at most once,
 * so a redelivered batch is forwarded again with the same attributes but
 * not counted twice.
 *
 * Identity work is bounded per request: one `ScrubBudget` (pseudonyms
 * computed, JSON bag characters parsed) is made for each request and
 * passed to every read and rewrite of its identity attributes (the
 * engine's hint, the ancestry, the span update); past it, identity
 * attributes that need work are replaced by a redacted marker, with one
 * warning for the request.
 */
export class RequestEnricher {
  private readonly _window: TraceWindow;
  private readonly _decider: SpanDecider;
  private readonly _pipeline: CostPipeline;
  private readonly _budget: Partial<ScrubBudgetLimits>;
  private readonly _stacked: StackedWindow | undefined;

  constructor(options: RequestEnricherOptions) {
    this._pipeline = options.pipeline;
    const { preference } = resolveEmitters(options.pipeline.emitters);
    this._stacked =
      preference === undefined
        ? undefined
        : new StackedWindow({
            windowMillis: options.traceWindowMillis,
            maxEntries: Math.min(
              options.maxLlmSpans ?? MAX_STACKED_CALLS,
              MAX_STACKED_CALLS,
            ),
            preference,
            onStacked: options.pipeline.onStacked,
          });
    this._budget = options.identityBudget ?? {};
    this._window = new TraceWindow({
      pipeline: options.pipeline,
      windowMillis: options.traceWindowMillis,
      maxTraces: options.maxTraces,
      maxLlmSpans: options.maxLlmSpans,
      maxSpansPerTrace: options.maxSpansPerTrace,
    });
    this._decider = new SpanDecider(this._window, options.pipeline);
  }

  /**
   * Traces remembered, LLM spans remembered across them, and traces evicted
   * before their window ended (either cap reached).
   */
  get traces(): {
    readonly tracked: number;
    readonly llmSpans: number;
    readonly evictedEarly: number;
  } {
    return {
      tracked: this._window.size,
      llmSpans: this._window.llmSpans,
      evictedEarly: this._window.evictedEarly,
    };
  }

  /** The trace memory itself (for tests and benchmarks). */
  get traceWindow(): TraceWindow {
    return this._window;
  }

  /** Sets the attribute updates on the request's spans; see `writeExportTraceRequest`. */
  enrich(request: ScannedRequest, nowMillis: number): EnrichResult {
    this._window.sweep(nowMillis);
    const { spans, rejected } = splitBatch(request);
    const budget = new ScrubBudget(this._budget);
    const ancestry = new BatchAncestry(budget);
    // One hint for the request, for the span being decided (the engine
    // reads it only while evaluating that span): no closure per span.
    let current: BatchSpan | undefined;
    const hint: IdentityHint = {
      ancestors: () =>
        current === undefined ? undefined : ancestry.ancestorTags(current),
      budget,
    };
    const out: Outcomes = { calls: [], unpriced: new Map(), budget };
    let duplicates = 0;
    let deferred: Deferred[] | undefined;
    for (const span of spans) {
      // Classified once; the class goes to the decider and the span update.
      const spanClass = classifySpan(span.attributes);
      const { trace } = span;
      let state = trace.state;
      // Asked once per trace and request: once touched, the trace is seen
      // now, and it stays so until the window forgets it (evicted for
      // room by another trace of the request).
      if (!trace.asked || (state !== undefined && state.forgotten)) {
        state = this._window.touch(span.traceId, nowMillis);
        trace.asked = true;
      }
      if (state === undefined && spanClass.role === 'inference') {
        state = this._window.add(span.traceId, nowMillis);
      }
      trace.state = state;
      if (state === undefined) {
        this._finish(out, span, spanClass, undefined, undefined);
        continue;
      }
      current = span;
      const decision = this._decider.decide(state, span, spanClass, hint);
      if (decision.kind === 'conflict') {
        span.scanned.rejected = true;
        duplicates += 1;
        continue;
      }
      const { evaluation, remembered } = decision;
      if (
        this._stacked !== undefined &&
        decision.fresh &&
        evaluation?.kind === 'call' &&
        emitterLayer(span.scopeName) !== undefined
      ) {
        // Decided with the other layered calls of the request, below.
        (deferred ??= []).push({ span, spanClass, evaluation, remembered });
        continue;
      }
      this._finish(out, span, spanClass, evaluation, remembered);
    }
    if (deferred !== undefined && this._stacked !== undefined) {
      const verdicts = this._stacked.decideBatch(
        deferred.map(({ span, evaluation }) => ({
          scopeName: span.scopeName,
          startMillis: span.startTimeMillis,
          endMillis: endMillisOf(span),
          call: evaluation.call,
          priced: evaluation.cost.priced,
        })),
        nowMillis,
      );
      deferred.forEach(({ span, spanClass, evaluation, remembered }, i) => {
        if (verdicts[i] !== 'duplicate') {
          this._finish(out, span, spanClass, evaluation, remembered);
          return;
        }
        // Remembered as skipped, so a redelivery repeats the skip.
        if (remembered !== undefined) remembered.decision = STACKED;
        this._finish(out, span, spanClass, STACKED, remembered);
      });
    }
    if (budget.spent !== undefined) warnBudgetSpent(budget.spent);
    return {
      spans: spans.length - duplicates,
      rejectedSpans: rejected + duplicates + request.droppedSpans,
      duplicateSpans: duplicates,
      deprecatedSpans: request.droppedSpans,
      calls: out.calls,
      unpriced: out.unpriced,
      identityBudgetSpent: budget.spent,
    };
  }

  /** Leaves the span's update on it and keeps its call, if any. */
  private _finish(
    out: Outcomes,
    span: BatchSpan,
    spanClass: SpanClass,
    evaluation: Evaluation | undefined,
    remembered: RememberedSpan | undefined,
  ): void {
    const { update, record } = this._pipeline.outcomeOf(
      span.attributes,
      spanClass,
      evaluation,
      out.budget,
    );
    span.scanned.update = update;
    if (record === undefined) return;
    out.calls.push({
      traceId: span.traceId,
      spanId: span.spanId,
      record,
      remembered,
    });
    const { call, cost } = record;
    if (!cost.priced) {
      const key = `${cost.reason} ${call.provider ?? '?'}/${call.model ?? '?'}`;
      out.unpriced.set(key, (out.unpriced.get(key) ?? 0) + 1);
    }
  }

  /**
   * Counts the calls not counted yet in the sinks, through the pipeline's
   * sink step, and marks them counted (call once the next hop accepted the
   * request); returns them. A call whose span is not remembered (trace over
   * its bounds) is counted each time.
   */
  commit(calls: readonly EvaluatedCall[]): CostRecord[] {
    const fresh: CostRecord[] = [];
    for (const { record, remembered } of calls) {
      if (remembered !== undefined) {
        if (remembered.counted) continue;
        remembered.counted = true;
      }
      this._pipeline.record(record);
      fresh.push(record);
    }
    return fresh;
  }

  /** Layered calls remembered for stacked matching across requests. */
  get stackedCalls(): number {
    return this._stacked?.size ?? 0;
  }

  clear(): void {
    this._window.clear();
    this._stacked?.clear();
  }
}

/** End time in epoch milliseconds (from the unsigned nanoseconds). */
function endMillisOf(span: BatchSpan): number {
  const { high, low } = span.endTime;
  return ((high >>> 0) * 4294967296 + (low >>> 0)) / 1e6;
}

function warnBudgetSpent(limit: keyof ScrubBudgetLimits): void {
  const what =
    limit === 'values'
      ? 'pseudonyms to compute'
      : limit === 'chars'
        ? 'characters of JSON metadata to parse'
        : 'JSON metadata values to parse';
  diag.warn(
    `otel-genai-cost gateway: a request had more identity work than one request may do (${what}); ` +
      `the identity attributes past the budget were replaced by ${BUDGET_SPENT_VALUE}`,
  );
}

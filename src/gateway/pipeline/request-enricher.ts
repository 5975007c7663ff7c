import type { Evaluation } from '../../core/cost-engine.js';
import type { CostRecord } from '../../core/cost-record.js';
import { classifySpan } from '../../core/select/classify-span.js';
import type { CostPipeline } from '../../pipeline/cost-pipeline.js';
import type { ScannedRequest } from '../otlp/scanned-request.js';
import { BatchAncestry } from './batch-ancestry.js';
import { splitBatch } from './batch-spans.js';
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
 */
export class RequestEnricher {
  private readonly _window: TraceWindow;
  private readonly _decider: SpanDecider;
  private readonly _pipeline: CostPipeline;

  constructor(options: RequestEnricherOptions) {
    this._pipeline = options.pipeline;
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
    const ancestry = new BatchAncestry(spans);
    const calls: EvaluatedCall[] = [];
    const unpriced = new Map<string, number>();
    let duplicates = 0;
    for (const batchSpan of spans) {
      const { scanned, view, attributes } = batchSpan;
      // Classified once; the class goes to the decider and the span update.
      const spanClass = classifySpan(attributes);
      const { role } = spanClass;
      let state = this._window.touch(view.traceId, nowMillis);
      if (state === undefined && role === 'inference') {
        state = this._window.create(view.traceId, nowMillis);
      }
      let evaluation: Evaluation | undefined;
      let remembered: RememberedSpan | undefined;
      if (state !== undefined) {
        const decision = this._decider.decide(state, batchSpan, spanClass, {
          ancestors: () => ancestry.ancestorTags(batchSpan),
        });
        if (decision.kind === 'conflict') {
          scanned.rejected = true;
          duplicates += 1;
          continue;
        }
        ({ evaluation, remembered } = decision);
      }
      const { update, record } = this._pipeline.outcomeOf(
        attributes,
        spanClass,
        evaluation,
      );
      scanned.update = update;
      if (record === undefined) continue;
      calls.push({
        traceId: view.traceId,
        spanId: view.spanId,
        record,
        remembered,
      });
      const { call, cost } = record;
      if (!cost.priced) {
        const key = `${cost.reason} ${call.provider ?? '?'}/${call.model ?? '?'}`;
        unpriced.set(key, (unpriced.get(key) ?? 0) + 1);
      }
    }
    return {
      spans: spans.length - duplicates,
      rejectedSpans: rejected + duplicates + request.droppedSpans,
      duplicateSpans: duplicates,
      deprecatedSpans: request.droppedSpans,
      calls,
      unpriced,
    };
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

  clear(): void {
    this._window.clear();
  }
}

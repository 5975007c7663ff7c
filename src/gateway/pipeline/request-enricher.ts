import type { Evaluation } from '../../core/cost-engine.js';
import type { CostRecord } from '../../core/cost-record.js';
import type { IdentityPolicy } from '../../core/identity/identity-policy.js';
import type { Pricer } from '../../core/price/pricer.js';
import { classifySpan } from '../../core/select/classify-span.js';
import type { BackendAlias } from '../../outputs/open-inference-cost-aliases.js';
import { UnpricedWarnings } from '../../outputs/unpriced-warnings.js';
import type { ScannedRequest } from '../otlp/scanned-request.js';
import { BatchAncestry } from './batch-ancestry.js';
import { splitBatch } from './batch-spans.js';
import { costSpanUpdate } from '../../outputs/cost-span-update.js';
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
   * Spans removed (reported as `rejected_spans`): invalid ids, and
   * `duplicateSpans`.
   */
  readonly rejectedSpans: number;
  /** Spans removed for reusing the trace and span id of a different span. */
  readonly duplicateSpans: number;
  readonly calls: readonly EvaluatedCall[];
  /** Unpriced calls by `reason provider/model`, for the warning message. */
  readonly unpriced: ReadonlyMap<string, number>;
}

export interface RequestEnricherOptions {
  readonly pricer: Pricer;
  readonly identityPolicy: IdentityPolicy;
  readonly aliases: ReadonlySet<BackendAlias>;
  /** Exactly-once and dedup window per trace. */
  readonly traceWindowMillis: number;
  readonly maxTraces: number;
  /** LLM spans remembered across traces. @defaultValue DEFAULT_MAX_LLM_SPANS */
  readonly maxLlmSpans?: number | undefined;
  /** LLM spans remembered per trace. @defaultValue MAX_SPANS_PER_TRACE */
  readonly maxSpansPerTrace?: number | undefined;
}

/**
 * Prices the LLM spans of one scanned request, with the same core as the
 * span processor, and leaves the attributes to write on each span.
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
  private readonly _policy: IdentityPolicy;
  private readonly _aliases: ReadonlySet<BackendAlias>;
  private readonly _warnings = new UnpricedWarnings();

  constructor(options: RequestEnricherOptions) {
    this._window = new TraceWindow({
      pricer: options.pricer,
      identityPolicy: options.identityPolicy,
      windowMillis: options.traceWindowMillis,
      maxTraces: options.maxTraces,
      maxLlmSpans: options.maxLlmSpans,
      maxSpansPerTrace: options.maxSpansPerTrace,
    });
    this._decider = new SpanDecider(
      this._window,
      options.pricer,
      options.identityPolicy,
    );
    this._policy = options.identityPolicy;
    this._aliases = options.aliases;
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
      scanned.update = costSpanUpdate(
        attributes,
        role !== 'other',
        evaluation,
        {
          policy: this._policy,
          aliases: this._aliases,
        },
      );
      if (evaluation?.kind !== 'call') continue;
      const { call, cost, identity } = evaluation;
      calls.push({
        traceId: view.traceId,
        spanId: view.spanId,
        record: { call, cost, identity },
        remembered,
      });
      if (!cost.priced) {
        this._warnings.warn(call, cost.reason);
        const key = `${cost.reason} ${call.provider ?? '?'}/${call.model ?? '?'}`;
        unpriced.set(key, (unpriced.get(key) ?? 0) + 1);
      }
    }
    return {
      spans: spans.length - duplicates,
      rejectedSpans: rejected + duplicates,
      duplicateSpans: duplicates,
      calls,
      unpriced,
    };
  }

  /**
   * The calls not counted yet, marked as counted (call after forwarding).
   * A call whose span is not remembered (trace over its bounds) is counted
   * each time.
   */
  commit(calls: readonly EvaluatedCall[]): CostRecord[] {
    const fresh: CostRecord[] = [];
    for (const { record, remembered } of calls) {
      if (remembered !== undefined) {
        if (remembered.counted) continue;
        remembered.counted = true;
      }
      fresh.push(record);
    }
    return fresh;
  }

  clear(): void {
    this._window.clear();
  }
}

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
import {
  MAX_SPANS_PER_TRACE,
  TraceWindow,
  type TraceState,
} from './trace-window.js';

/** One LLM call evaluated in a request, to be counted once forwarded. */
export interface EvaluatedCall {
  readonly traceId: string;
  readonly spanId: string;
  readonly record: CostRecord;
}

export interface EnrichResult {
  /** Spans left in the request (to forward). */
  readonly spans: number;
  /** Spans removed for invalid ids (reported as `rejected_spans`). */
  readonly rejectedSpans: number;
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
}

/**
 * Prices the LLM spans of one scanned request, with the same core as the
 * span processor, and leaves the attributes to write on each span. Exactly-once across requests: spans are taken in
 * end-time order and each trace that had an LLM call keeps its own engine
 * (coverage marks, response ids) and the decision taken for each of its
 * LLM spans for the trace window, so a span delivered again gets the same
 * decision; identity may come from ancestors in the same request
 * (`BatchAncestry`). Nothing is counted here: `commit` returns the calls to
 * count once the request was forwarded, each (trace, span) at most once per
 * window, so a redelivered batch is forwarded again with the same
 * attributes but not counted twice.
 */
export class RequestEnricher {
  private readonly _window: TraceWindow;
  private readonly _policy: IdentityPolicy;
  private readonly _aliases: ReadonlySet<BackendAlias>;
  private readonly _warnings = new UnpricedWarnings();

  constructor(options: RequestEnricherOptions) {
    this._window = new TraceWindow({
      pricer: options.pricer,
      identityPolicy: options.identityPolicy,
      windowMillis: options.traceWindowMillis,
      maxTraces: options.maxTraces,
    });
    this._policy = options.identityPolicy;
    this._aliases = options.aliases;
  }

  /** Traces remembered, and those evicted before their window ended. */
  get traces(): { readonly tracked: number; readonly evictedEarly: number } {
    return {
      tracked: this._window.size,
      evictedEarly: this._window.evictedEarly,
    };
  }

  /** Sets the attribute updates on the request's spans; see `writeExportTraceRequest`. */
  enrich(request: ScannedRequest, nowMillis: number): EnrichResult {
    this._window.sweep(nowMillis);
    const { spans, rejected } = splitBatch(request);
    const ancestry = new BatchAncestry(spans);
    const calls: EvaluatedCall[] = [];
    const unpriced = new Map<string, number>();
    for (const batchSpan of spans) {
      const { scanned, view, attributes } = batchSpan;
      let state = this._window.touch(view.traceId, nowMillis);
      if (
        state === undefined &&
        classifySpan(attributes).role === 'inference'
      ) {
        state = this._window.create(view.traceId, nowMillis);
      }
      const evaluation =
        state === undefined
          ? undefined
          : decide(state, view.spanId, () =>
              state.engine.evaluate(view, {
                ancestors: () => ancestry.ancestorTags(batchSpan),
              }),
            );
      scanned.update = costSpanUpdate(
        attributes,
        classifySpan(attributes).role !== 'other',
        evaluation,
        { policy: this._policy, aliases: this._aliases },
      );
      if (evaluation?.kind !== 'call') continue;
      const { call, cost, identity } = evaluation;
      calls.push({
        traceId: view.traceId,
        spanId: view.spanId,
        record: { call, cost, identity },
      });
      if (!cost.priced) {
        this._warnings.warn(call, cost.reason);
        const key = `${cost.reason} ${call.provider ?? '?'}/${call.model ?? '?'}`;
        unpriced.set(key, (unpriced.get(key) ?? 0) + 1);
      }
    }
    return { spans: spans.length, rejectedSpans: rejected, calls, unpriced };
  }

  /** The calls not counted yet, marked as counted (call after forwarding). */
  commit(calls: readonly EvaluatedCall[]): CostRecord[] {
    const fresh: CostRecord[] = [];
    for (const { traceId, spanId, record } of calls) {
      const state = this._window.peek(traceId);
      if (state !== undefined) {
        if (state.counted?.has(spanId) === true) continue;
        (state.counted ??= new Set()).add(spanId);
      }
      fresh.push(record);
    }
    return fresh;
  }

  clear(): void {
    this._window.clear();
  }
}

/** The span's earlier decision in this trace, else a new one (remembered). */
function decide(
  state: TraceState,
  spanId: string,
  evaluate: () => Evaluation | undefined,
): Evaluation | undefined {
  const earlier = state.decisions.get(spanId);
  if (earlier !== undefined) return earlier;
  const evaluation = evaluate();
  if (evaluation !== undefined && state.decisions.size < MAX_SPANS_PER_TRACE) {
    state.decisions.set(spanId, evaluation);
  }
  return evaluation;
}

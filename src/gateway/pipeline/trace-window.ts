import type { CostEngine, Evaluation } from '../../core/cost-engine.js';
import type { CostPipeline } from '../../pipeline/cost-pipeline.js';

/** A skip the engine decided (its shared constants: no memory per span). */
export type SkipEvaluation = Extract<Evaluation, { kind: 'skipped' }>;

/**
 * What the gateway remembers about one LLM span: the fingerprint of its
 * bytes (to tell the same span delivered again from another span reusing
 * its ids), the decision, and whether its call was counted. A priced call
 * is remembered as `'call'` only: delivered again (the same bytes), it is
 * priced again from them, which gives the same cost, so the whole call and
 * its cost are not kept.
 */
export interface RememberedSpan {
  readonly fingerprint: number;
  /** Set once; a stacked duplicate found in the same request replaces it. */
  decision: SkipEvaluation | 'call';
  /** The call was counted in the sinks (set once forwarded). */
  counted: boolean;
}

/** What the gateway remembers about one trace that had an LLM call. */
export interface TraceState {
  /** Exactly-once bookkeeping (coverage marks, response ids) of this trace. */
  readonly engine: CostEngine;
  /** The trace's LLM spans by span id (a covered parent stays covered). */
  readonly spans: Map<string, RememberedSpan>;
  /**
   * LLM spans the trace's engine evaluated, at most `maxSpansPerTrace`:
   * its remembered spans, coverage marks and response ids grow with them.
   */
  llmSpans: number;
  lastSeenMillis: number;
}

export interface TraceWindowOptions {
  /** Where each trace's engine comes from (its pricer and identity rules). */
  readonly pipeline: Pick<CostPipeline, 'createEngine'>;
  /** How long a trace is remembered after its last span. */
  readonly windowMillis: number;
  /** Hard cap on remembered traces; the least recently seen go first. */
  readonly maxTraces: number;
  /**
   * Hard cap on LLM spans remembered across all traces; the least recently
   * seen traces go first. At least `maxSpansPerTrace`.
   * @defaultValue DEFAULT_MAX_LLM_SPANS
   */
  readonly maxLlmSpans?: number | undefined;
  /** @defaultValue MAX_SPANS_PER_TRACE */
  readonly maxSpansPerTrace?: number | undefined;
}

/** Bound on the LLM spans remembered for one trace. */
export const MAX_SPANS_PER_TRACE = 10_000;
/** Default bound on the LLM spans remembered across all traces. */
export const DEFAULT_MAX_LLM_SPANS = 250_000;

/**
 * Per-trace memory for exactly-once pricing across requests: one
 * `CostEngine` per trace that had an LLM call, kept for `windowMillis`
 * after the trace's last span arrived. Bounded twice, least recently seen
 * traces evicted first: at most `maxTraces` traces and `maxLlmSpans` LLM
 * spans in all (so memory is at most about a fixed size per trace plus one
 * per LLM span, whatever the spans per trace). `evictedEarly` counts
 * evictions before the window ended, each a chance of double counting.
 * Time is passed in.
 */
export class TraceWindow {
  private readonly _traces = new Map<string, TraceState>();
  private readonly _options: TraceWindowOptions;
  private readonly _maxLlmSpans: number;
  private readonly _maxSpansPerTrace: number;
  private _llmSpans = 0;
  private _evictedEarly = 0;

  constructor(options: TraceWindowOptions) {
    this._options = options;
    this._maxSpansPerTrace = options.maxSpansPerTrace ?? MAX_SPANS_PER_TRACE;
    this._maxLlmSpans = options.maxLlmSpans ?? DEFAULT_MAX_LLM_SPANS;
    if (!(this._maxLlmSpans >= this._maxSpansPerTrace)) {
      throw new RangeError(
        `maxLlmSpans (${this._maxLlmSpans}) must be at least the LLM spans remembered per trace (${this._maxSpansPerTrace})`,
      );
    }
  }

  /** Traces remembered. */
  get size(): number {
    return this._traces.size;
  }

  /** LLM spans remembered, all traces together. */
  get llmSpans(): number {
    return this._llmSpans;
  }

  get evictedEarly(): number {
    return this._evictedEarly;
  }

  /** The trace's state, marked as seen now; undefined when not remembered. */
  touch(traceId: string, nowMillis: number): TraceState | undefined {
    const state = this._traces.get(traceId);
    if (state === undefined) return undefined;
    if (nowMillis - state.lastSeenMillis > this._options.windowMillis) {
      this._forget(traceId, state);
      return undefined;
    }
    if (state.lastSeenMillis !== nowMillis) {
      // Re-insert: the map stays ordered from least to most recently seen.
      this._traces.delete(traceId);
      state.lastSeenMillis = nowMillis;
      this._traces.set(traceId, state);
    }
    return state;
  }

  /** The trace's state without marking it seen. */
  peek(traceId: string): TraceState | undefined {
    return this._traces.get(traceId);
  }

  create(traceId: string, nowMillis: number): TraceState {
    if (this._traces.size >= this._options.maxTraces) {
      this._evictOldest(undefined);
    }
    const state: TraceState = {
      engine: this._options.pipeline.createEngine(this._maxSpansPerTrace),
      spans: new Map(),
      llmSpans: 0,
      lastSeenMillis: nowMillis,
    };
    this._traces.set(traceId, state);
    return state;
  }

  /**
   * Accounts one more LLM span evaluated by the trace's engine, evicting
   * the least recently seen other traces while the total is over
   * `maxLlmSpans`. False when the trace holds its bound already: the span's
   * decision is then not remembered.
   */
  addLlmSpan(state: TraceState): boolean {
    if (state.llmSpans >= this._maxSpansPerTrace) return false;
    state.llmSpans += 1;
    this._llmSpans += 1;
    while (this._llmSpans > this._maxLlmSpans) {
      if (!this._evictOldest(state)) break;
    }
    return true;
  }

  /** Forgets traces not seen within the window. */
  sweep(nowMillis: number): void {
    const cutoff = nowMillis - this._options.windowMillis;
    for (const [traceId, state] of this._traces) {
      if (state.lastSeenMillis >= cutoff) break;
      this._forget(traceId, state);
    }
  }

  clear(): void {
    this._traces.clear();
    this._llmSpans = 0;
  }

  /** Evicts the least recently seen trace other than `keep`. */
  private _evictOldest(keep: TraceState | undefined): boolean {
    for (const [traceId, state] of this._traces) {
      if (state === keep) continue;
      this._forget(traceId, state);
      this._evictedEarly += 1;
      return true;
    }
    return false;
  }

  private _forget(traceId: string, state: TraceState): void {
    this._traces.delete(traceId);
    this._llmSpans -= state.llmSpans;
  }
}

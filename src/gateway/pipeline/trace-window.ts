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

/**
 * A trace's remembered LLM spans by span id, answering as a
 * `Map<string, RememberedSpan>` does for `get`, `set` and `size`: the
 * first two inline (a trace mostly has one or two LLM spans), the others
 * in a `Map` made for the third. A trace made no `Map` then: one object
 * of six fields where a `Map` and its table took about four times the
 * memory, allocated for each new trace and kept (old generation) for the
 * trace window.
 */
export class RememberedSpans {
  private _id0: string | undefined = undefined;
  private _span0: RememberedSpan | undefined = undefined;
  private _id1: string | undefined = undefined;
  private _span1: RememberedSpan | undefined = undefined;
  private _more: Map<string, RememberedSpan> | undefined = undefined;
  private _size = 0;

  get size(): number {
    return this._size;
  }

  get(spanId: string): RememberedSpan | undefined {
    if (spanId === this._id0) return this._span0;
    if (spanId === this._id1) return this._span1;
    return this._more?.get(spanId);
  }

  set(spanId: string, span: RememberedSpan): void {
    if (spanId === this._id0) this._span0 = span;
    else if (spanId === this._id1) this._span1 = span;
    else if (this._size === 0) {
      this._id0 = spanId;
      this._span0 = span;
      this._size = 1;
    } else if (this._size === 1) {
      this._id1 = spanId;
      this._span1 = span;
      this._size = 2;
    } else {
      const more = (this._more ??= new Map());
      const before = more.size;
      more.set(spanId, span);
      this._size += more.size - before;
    }
  }
}

/** What the gateway remembers about one trace that had an LLM call. */
export interface TraceState {
  /** Exactly-once bookkeeping (coverage marks, response ids) of this trace. */
  readonly engine: CostEngine;
  /** The trace's LLM spans by span id (a covered parent stays covered). */
  readonly spans: RememberedSpans;
  /**
   * LLM spans the trace's engine evaluated, at most `maxSpansPerTrace`:
   * its remembered spans, coverage marks and response ids grow with them.
   */
  llmSpans: number;
  lastSeenMillis: number;
  /**
   * The window let it go (swept, evicted or replaced): a caller that kept
   * it must ask the window again (`touch`).
   */
  readonly forgotten: boolean;
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

/** Engines of forgotten traces kept for new ones (creating one costs ~1 µs). */
const MAX_SPARE_ENGINES = 256;
/**
 * Only the engine of a trace with at most this many LLM spans is kept for
 * reuse: an engine's response-id tables keep the size they grew to when
 * cleared, so a reused big engine would hold ~250 KB for a one-call trace
 * (beyond the bound in LLM spans).
 */
const MAX_REUSED_LLM_SPANS = 64;

/** A remembered trace, linked in the window's least-recently-seen order. */
class TraceEntry implements TraceState {
  readonly engine: CostEngine;
  readonly spans = new RememberedSpans();
  llmSpans = 0;
  lastSeenMillis: number;
  forgotten = false;
  readonly traceId: string;
  /** The next less recently seen trace (towards the oldest). */
  older: TraceEntry | undefined = undefined;
  /** The next more recently seen trace (towards the newest). */
  newer: TraceEntry | undefined = undefined;

  constructor(traceId: string, engine: CostEngine, nowMillis: number) {
    this.traceId = traceId;
    this.engine = engine;
    this.lastSeenMillis = nowMillis;
  }
}

/**
 * Per-trace memory for exactly-once pricing across requests: one
 * `CostEngine` per trace that had an LLM call, kept for `windowMillis`
 * after the trace's last span arrived. Bounded twice, least recently seen
 * traces evicted first: at most `maxTraces` traces and `maxLlmSpans` LLM
 * spans in all (so memory is at most about a fixed size per trace plus one
 * per LLM span, whatever the spans per trace). `evictedEarly` counts
 * evictions before the window ended, each a chance of double counting.
 * Time is passed in.
 *
 * The traces are linked from the least to the most recently seen, so
 * marking one seen, sweeping and evicting are O(1) per trace: a `Map`
 * kept in that order (delete and set again on each touch) would make
 * every eviction walk the holes its deletions left, microseconds each
 * once the window is full.
 */
export class TraceWindow {
  private readonly _traces = new Map<string, TraceEntry>();
  private readonly _options: TraceWindowOptions;
  private readonly _maxLlmSpans: number;
  private readonly _maxSpansPerTrace: number;
  /** The least recently seen trace. */
  private _oldest: TraceEntry | undefined = undefined;
  /** The most recently seen trace. */
  private _newest: TraceEntry | undefined = undefined;
  private _llmSpans = 0;
  private _evictedEarly = 0;
  /** Engines of forgotten traces, cleared when taken again. */
  private readonly _spareEngines: CostEngine[] = [];

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
    const entry = this._traces.get(traceId);
    if (entry === undefined) return undefined;
    if (nowMillis - entry.lastSeenMillis > this._options.windowMillis) {
      this._forget(entry);
      return undefined;
    }
    if (entry.lastSeenMillis !== nowMillis) {
      entry.lastSeenMillis = nowMillis;
      if (entry !== this._newest) {
        this._unlink(entry);
        this._append(entry);
      }
    }
    return entry;
  }

  /** The trace's state without marking it seen. */
  peek(traceId: string): TraceState | undefined {
    return this._traces.get(traceId);
  }

  create(traceId: string, nowMillis: number): TraceState {
    if (this._traces.size >= this._options.maxTraces) {
      this._evictOldest(undefined);
    }
    const previous = this._traces.get(traceId);
    if (previous !== undefined) this._forget(previous);
    return this._insert(traceId, nowMillis);
  }

  /**
   * `create` for a trace the window does not hold: `touch` answered
   * undefined for it and nothing created it since (the request enricher
   * asks once per trace and request). One look-up fewer in the map of up
   * to `maxTraces` traces (each a few cache misses, ~0.2 µs once full).
   */
  add(traceId: string, nowMillis: number): TraceState {
    if (this._traces.size >= this._options.maxTraces) {
      this._evictOldest(undefined);
    }
    return this._insert(traceId, nowMillis);
  }

  /** Remembers a trace the map does not hold, as the most recently seen. */
  private _insert(traceId: string, nowMillis: number): TraceState {
    const spare = this._spareEngines.pop();
    spare?.clear();
    const entry = new TraceEntry(
      traceId,
      spare ?? this._options.pipeline.createEngine(this._maxSpansPerTrace),
      nowMillis,
    );
    this._traces.set(traceId, entry);
    this._append(entry);
    return entry;
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
    let entry = this._oldest;
    while (entry !== undefined && entry.lastSeenMillis < cutoff) {
      const newer = entry.newer;
      this._forget(entry);
      entry = newer;
    }
  }

  clear(): void {
    this._traces.clear();
    this._spareEngines.length = 0;
    this._oldest = undefined;
    this._newest = undefined;
    this._llmSpans = 0;
  }

  /** Evicts the least recently seen trace other than `keep`. */
  private _evictOldest(keep: TraceState | undefined): boolean {
    let entry = this._oldest;
    if (entry !== undefined && entry === keep) entry = entry.newer;
    if (entry === undefined) return false;
    this._forget(entry);
    this._evictedEarly += 1;
    return true;
  }

  private _forget(entry: TraceEntry): void {
    entry.forgotten = true;
    this._traces.delete(entry.traceId);
    this._unlink(entry);
    this._llmSpans -= entry.llmSpans;
    if (
      this._spareEngines.length < MAX_SPARE_ENGINES &&
      entry.llmSpans <= MAX_REUSED_LLM_SPANS
    ) {
      this._spareEngines.push(entry.engine);
    }
  }

  /** Links `entry` as the most recently seen trace. */
  private _append(entry: TraceEntry): void {
    entry.older = this._newest;
    entry.newer = undefined;
    if (this._newest === undefined) this._oldest = entry;
    else this._newest.newer = entry;
    this._newest = entry;
  }

  private _unlink(entry: TraceEntry): void {
    const { older, newer } = entry;
    if (older === undefined) this._oldest = newer;
    else older.newer = newer;
    if (newer === undefined) this._newest = older;
    else newer.older = older;
    entry.older = undefined;
    entry.newer = undefined;
  }
}

import { CostEngine, type Evaluation } from '../../core/cost-engine.js';
import type { IdentityPolicy } from '../../core/identity/identity-policy.js';
import type { Pricer } from '../../core/price/pricer.js';

/** What the gateway remembers about one trace that had an LLM call. */
export interface TraceState {
  /** Exactly-once bookkeeping (coverage marks, response ids) of this trace. */
  readonly engine: CostEngine;
  /**
   * What was decided for each LLM span of this trace, so a redelivered span
   * gets the same decision (a covered parent stays covered even though the
   * child's mark was used up the first time).
   */
  readonly decisions: Map<string, Evaluation>;
  /** Spans of this trace whose call was already counted in the sinks. */
  counted: Set<string> | undefined;
  lastSeenMillis: number;
}

export interface TraceWindowOptions {
  readonly pricer: Pricer;
  readonly identityPolicy: IdentityPolicy;
  /** How long a trace is remembered after its last span. */
  readonly windowMillis: number;
  /** Hard cap on remembered traces; the least recently seen go first. */
  readonly maxTraces: number;
}

/** Bound on exactly-once entries of one trace. */
export const MAX_SPANS_PER_TRACE = 10_000;

/**
 * Per-trace memory for exactly-once pricing across requests: one
 * `CostEngine` per trace that had an LLM call, kept for `windowMillis`
 * after the trace's last span arrived, and at most `maxTraces` traces (least
 * recently seen evicted first; `evictedEarly` counts evictions before the
 * window ended, each a chance of double counting). Time is passed in.
 */
export class TraceWindow {
  private readonly _traces = new Map<string, TraceState>();
  private readonly _options: TraceWindowOptions;
  private _evictedEarly = 0;

  constructor(options: TraceWindowOptions) {
    this._options = options;
  }

  get size(): number {
    return this._traces.size;
  }

  get evictedEarly(): number {
    return this._evictedEarly;
  }

  /** The trace's state, marked as seen now; undefined when not remembered. */
  touch(traceId: string, nowMillis: number): TraceState | undefined {
    const state = this._traces.get(traceId);
    if (state === undefined) return undefined;
    if (nowMillis - state.lastSeenMillis > this._options.windowMillis) {
      this._traces.delete(traceId);
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
      const oldest = this._traces.keys().next().value;
      if (oldest !== undefined) {
        this._traces.delete(oldest);
        this._evictedEarly += 1;
      }
    }
    const state: TraceState = {
      engine: new CostEngine({
        pricer: this._options.pricer,
        identityPolicy: this._options.identityPolicy,
        maxTrackedSpans: MAX_SPANS_PER_TRACE,
      }),
      decisions: new Map(),
      counted: undefined,
      lastSeenMillis: nowMillis,
    };
    this._traces.set(traceId, state);
    return state;
  }

  /** Forgets traces not seen within the window. */
  sweep(nowMillis: number): void {
    const cutoff = nowMillis - this._options.windowMillis;
    for (const [traceId, state] of this._traces) {
      if (state.lastSeenMillis >= cutoff) break;
      this._traces.delete(traceId);
    }
  }

  clear(): void {
    this._traces.clear();
  }
}

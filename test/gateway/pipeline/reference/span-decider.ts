/**
 * Reference copy (test only) of src/gateway/pipeline or src/gateway/span as of
 * 4fbaa2d, before the third performance pass: the enricher's property test
 * (enricher-reference-parity.test.ts) compares the current one with it.
 */
import type {
  CostEngine,
  Evaluation,
  IdentityHint,
} from '../../../../src/core/cost-engine.js';
import type { CostPipeline } from '../../../../src/pipeline/cost-pipeline.js';
import type { SpanClass } from '../../../../src/core/select/classify-span.js';
import type { BatchSpan } from './batch-spans.js';
import { spanFingerprint } from './span-fingerprint.js';
import type {
  RememberedSpan,
  TraceState,
  TraceWindow,
} from './trace-window.js';

/** What to do with one span of a remembered trace. */
export type SpanDecision =
  | {
      readonly kind: 'evaluated';
      /** Undefined: not an LLM call. */
      readonly evaluation: Evaluation | undefined;
      /** Where its call is marked counted; undefined when not remembered. */
      readonly remembered: RememberedSpan | undefined;
      /**
       * Decided now for the first time (not a redelivery repeating a
       * remembered decision): the only decisions stacked matching may
       * still change (`RememberedSpan.decision` is updated with them).
       */
      readonly fresh: boolean;
    }
  /**
   * Another span with the same trace and span id was remembered, and this
   * one is neither the same bytes nor evaluated upstream: a different span
   * (span ids are unique in a trace), rejected rather than given the first
   * one's decision.
   */
  | { readonly kind: 'conflict' };

/**
 * Decides each span of a remembered trace exactly once, whatever request it
 * arrives in:
 * - a span id not remembered yet is evaluated by the trace's engine
 *   (coverage, response ids), and its decision remembered with the
 *   fingerprint of its bytes (within the trace window's bounds);
 * - the same bytes again (a redelivery) get the same decision: a skip is
 *   repeated, a call is priced again from its bytes by a scratch engine
 *   with no memory (same cost; identity from the request it arrives in) and
 *   marked with the same `RememberedSpan`, so it is counted once;
 * - other bytes under a remembered id are a conflict, unless the engine
 *   says the span was evaluated upstream (an enriched copy of the span,
 *   with `gen_ai.cost.source`): it then passes through as that skip.
 * Spans evaluated upstream are never remembered: they are not our decision.
 */
export class SpanDecider {
  private readonly _window: TraceWindow;
  private readonly _scratch: CostEngine;

  constructor(
    window: TraceWindow,
    pipeline: Pick<CostPipeline, 'createEngine'>,
  ) {
    this._window = window;
    this._scratch = pipeline.createEngine(8);
  }

  decide(
    state: TraceState,
    span: BatchSpan,
    spanClass: SpanClass,
    hint: IdentityHint,
  ): SpanDecision {
    const remembered = state.spans.get(span.spanId);
    if (remembered === undefined) {
      let evaluation = state.engine.evaluateClassified(span, spanClass, hint);
      if (evaluation === undefined) return NOT_A_CALL;
      // Its parent, an LLM call priced in an earlier request, ended before
      // it: an instrumentation that ends its span before the call it wraps
      // (within one request `splitBatch` puts the child first instead).
      // The first priced wins.
      if (
        evaluation.kind === 'call' &&
        span.parentSpanId !== undefined &&
        state.spans.get(span.parentSpanId)?.decision === 'call'
      ) {
        evaluation = STACKED;
      }
      const room = this._window.addLlmSpan(state);
      if (!room || isEvaluatedUpstream(evaluation)) {
        return {
          kind: 'evaluated',
          evaluation,
          remembered: undefined,
          fresh: true,
        };
      }
      const entry: RememberedSpan = {
        fingerprint: spanFingerprint(span.scanned.bytes),
        decision: evaluation.kind === 'call' ? 'call' : evaluation,
        counted: false,
      };
      state.spans.set(span.spanId, entry);
      return { kind: 'evaluated', evaluation, remembered: entry, fresh: true };
    }
    const same = spanFingerprint(span.scanned.bytes) === remembered.fingerprint;
    if (same && remembered.decision !== 'call') {
      return {
        kind: 'evaluated',
        evaluation: remembered.decision,
        remembered,
        fresh: false,
      };
    }
    // The engine alone knows "evaluated upstream" and how to price: a
    // scratch engine with no memory answers for this one span.
    this._scratch.clear();
    const evaluation = this._scratch.evaluateClassified(span, spanClass, hint);
    if (same)
      return { kind: 'evaluated', evaluation, remembered, fresh: false };
    if (evaluation !== undefined && isEvaluatedUpstream(evaluation)) {
      return {
        kind: 'evaluated',
        evaluation,
        remembered: undefined,
        fresh: false,
      };
    }
    return { kind: 'conflict' };
  }
}

/** A span that is not an LLM call, decided now (one shared decision). */
const NOT_A_CALL: SpanDecision = {
  kind: 'evaluated',
  evaluation: undefined,
  remembered: undefined,
  fresh: true,
};

const STACKED: Evaluation = {
  kind: 'skipped',
  reason: 'duplicate_of_stacked_instrumentation',
};

function isEvaluatedUpstream(evaluation: Evaluation): boolean {
  return (
    evaluation.kind === 'skipped' && evaluation.reason === 'already_priced'
  );
}

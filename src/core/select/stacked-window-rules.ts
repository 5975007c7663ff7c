import type { LlmCall } from '../llm-call.js';
import { normalizeSpan } from '../normalize/normalize-span.js';
import type { SpanLike } from '../span-like.js';
import { classifySpan } from './classify-span.js';
import { LAYER_RANK, type EmitterLayer } from './emitter-layer.js';
import { sameModel, usageDistance } from './same-call.js';

/**
 * Two layers recording one call start it within a few milliseconds of each
 * other (a framework callback, then the client; or the SDK's span, then the
 * patched method's). Starts further apart than this slack, and than the
 * shorter of the two spans, are two calls.
 */
export const START_SLACK_MILLIS = 1_000;

/**
 * Times of spans in different traces are not on one clock: the SDK anchors
 * each trace's clock to `Date.now()` (whole milliseconds) when its root
 * starts, so two layers' spans of one call can disagree by about a
 * millisecond (a client span recorded ending 0.2-0.4 ms after the framework
 * span it ended before). Order checks across layers allow this much.
 */
export const CLOCK_SLACK_MILLIS = 2;

export interface TimedSpan {
  readonly startMillis: number;
  readonly endMillis: number;
}

/** Whether a span starting at `otherStart` may record the call of a span that started at `start` and ran `durationMillis`. */
export function startsTogether(
  otherStart: number,
  start: number,
  durationMillis: number,
): boolean {
  return (
    Math.abs(otherStart - start) <= Math.max(START_SLACK_MILLIS, durationMillis)
  );
}

/** The longest span matched as a call across layers (a day). */
const MAX_CALL_MILLIS = 86_400_000;

/**
 * Whether a span's times can be a provider call: it ends after it starts,
 * within a day. Others (hostile or broken clocks: 1970 to 2100, an end
 * before the start) are never matched across layers.
 */
export function plausibleCallTimes(span: TimedSpan): boolean {
  const duration = span.endMillis - span.startMillis;
  return duration >= 0 && duration <= MAX_CALL_MILLIS;
}

/** Two ended spans that ran at the same time and started together. */
export function overlapsAsOneCall(a: TimedSpan, b: TimedSpan): boolean {
  return (
    a.startMillis <= b.endMillis + CLOCK_SLACK_MILLIS &&
    b.startMillis <= a.endMillis + CLOCK_SLACK_MILLIS &&
    startsTogether(
      a.startMillis,
      b.startMillis,
      Math.min(a.endMillis - a.startMillis, b.endMillis - b.startMillis),
    )
  );
}

/** An ended span and the layer that wrote it. */
export interface LayeredSpan extends TimedSpan {
  readonly layer: EmitterLayer;
}

/**
 * Whether two ended spans of different layers ran as one call: they started
 * together (`overlapsAsOneCall`), or the outer layer's span ran from before
 * the inner one started until after it ended. A framework's LLM span can
 * start long before its client call: LangChain.js retries a failed call
 * inside one LLM span, after a backoff of a second or more, and a slow
 * prompt or rate limiter runs before the request.
 */
export function ranAsOneCall(a: LayeredSpan, b: LayeredSpan): boolean {
  if (overlapsAsOneCall(a, b)) return true;
  const rankA = LAYER_RANK[a.layer];
  const rankB = LAYER_RANK[b.layer];
  if (rankA === rankB) return false;
  const [outer, inner] = rankA > rankB ? [a, b] : [b, a];
  return (
    outer.startMillis <= inner.startMillis + CLOCK_SLACK_MILLIS &&
    inner.endMillis <= outer.endMillis + CLOCK_SLACK_MILLIS
  );
}

/**
 * Whether an open span of `openLayer` that started at `openStart` may be
 * the partner of an ended span of `layer` (`ranAsOneCall` once it ends):
 * it started together with it, or it is an outer layer that started before
 * it (and, open, ends after it).
 */
export function mayWrapOrStartTogether(
  openLayer: EmitterLayer,
  openStart: number,
  layer: EmitterLayer,
  start: number,
  durationMillis: number,
): boolean {
  return (
    startsTogether(openStart, start, durationMillis) ||
    (LAYER_RANK[openLayer] > LAYER_RANK[layer] &&
      openStart <= start + CLOCK_SLACK_MILLIS)
  );
}

/**
 * Whether a span still open may turn out to be `call`: not a wrapper, and
 * the provider and model it carries so far (frameworks set them at the end)
 * do not differ.
 */
export function mayBeSameCall(open: SpanLike, call: LlmCall): boolean {
  const spanClass = classifySpan(open.attributes);
  if (spanClass.role === 'wrapper') return false;
  if (spanClass.family === undefined) return true;
  const sofar = normalizeSpan(open, spanClass.family);
  return (
    (sofar.provider === undefined ||
      call.provider === undefined ||
      sofar.provider === call.provider) &&
    sameModel(sofar.model, call.model)
  );
}

/** An ended record of a call, with its times. */
export interface TimedCall extends TimedSpan {
  readonly call: LlmCall;
}

/** Milliseconds one token of usage distance weighs against start and end gaps. */
const TOKEN_WEIGHT_MILLIS = 1e6;
/** A record without usage is taken last (its partner may have usage). */
const NO_USAGE_PENALTY = 1e15;

/**
 * How far apart two records that may be one call are; among the candidates,
 * the partner is the closest. The closest token counts first (two users'
 * calls of one prompt, made at once, differ by a few tokens: pairing them
 * crosswise would bill each user the other's usage), then the closest start
 * and end times. A record without usage comes last.
 */
export function pairingGap(a: TimedCall, b: TimedCall): number {
  if (a.call.usage === undefined || b.call.usage === undefined) {
    return (
      NO_USAGE_PENALTY +
      Math.abs(a.startMillis - b.startMillis) +
      Math.abs(a.endMillis - b.endMillis)
    );
  }
  return (
    usageDistance(a.call.usage, b.call.usage) * TOKEN_WEIGHT_MILLIS +
    Math.abs(a.startMillis - b.startMillis) +
    Math.abs(a.endMillis - b.endMillis)
  );
}

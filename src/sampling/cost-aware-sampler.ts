import {
  SamplingDecision,
  TraceFlags,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Sampler,
  type SamplingResult,
  type SpanKind,
} from '@opentelemetry/api';
import { classifyAtStart } from '../core/select/classify-at-start.js';
import type { SpanAttributes } from '../core/span-like.js';

const NO_ATTRIBUTES: Attributes = Object.freeze({});

export interface CostAwareSamplerOptions {
  /**
   * Also record (never export) every span started below a recorded span
   * that is not sampled, i.e. below the LLM spans this sampler keeps, so
   * the LLM part of a dropped trace reaches the processor whole: an LLM
   * span that only turns out to be one when it ends (no marker attribute
   * at start, a name no rule knows) is counted when it runs below a caught
   * LLM span, and a non-LLM span between two layers of one call (a
   * framework's model span, an app's retry span, the client span) still
   * links them, so the call is counted once. Costs one recorded span per
   * span below (an agent's tools included), each dropped when it ends.
   * @defaultValue true
   */
  readonly recordDescendants?: boolean | undefined;
}

/**
 * A sampler that lets `CostSpanProcessor` see every LLM call while your
 * exporters see only the sampled traces. It asks the sampler it wraps;
 * where that sampler drops (`NOT_RECORD`) a span that is an LLM call or an
 * LLM wrapper when it starts (judged by `classifyAtStart`: the marker
 * attributes given to the tracer, else the span name), or a span below
 * one of those (`recordDescendants`), it returns `RECORD` instead: the
 * span is built, priced, attributed and counted by the metrics and every
 * sink, but it is not sampled, so `BatchSpanProcessor` and
 * `SimpleSpanProcessor` never export it, and its context propagates as not
 * sampled. Every other decision, and the wrapped sampler's attributes and
 * trace state, pass through unchanged.
 *
 * Wrap the whole sampler, ParentBased included: children of a dropped span
 * are dropped by ParentBased (`localParentNotSampled`), and this sampler
 * then records the LLM ones among them.
 *
 * Cost: a recorded-but-dropped span is a full SDK span in memory until it
 * ends (processors run; exporters skip it, so it is garbage at its end).
 *
 * @example
 * const sdk = new NodeSDK({
 *   sampler: new CostAwareSampler(
 *     new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0.01) }),
 *   ),
 *   spanProcessors: [new CostSpanProcessor(), new BatchSpanProcessor(exporter)],
 * });
 */
export class CostAwareSampler implements Sampler {
  private readonly _sampler: Sampler;
  private readonly _recordDescendants: boolean;

  /** @param sampler - the sampler that decides what is exported. */
  constructor(sampler: Sampler, options: CostAwareSamplerOptions = {}) {
    this._sampler = sampler;
    this._recordDescendants = options.recordDescendants ?? true;
  }

  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    const result = this._sampler.shouldSample(
      context,
      traceId,
      spanName,
      spanKind,
      attributes,
      links,
    );
    if (
      result.decision !== SamplingDecision.NOT_RECORD ||
      !this._records(context, spanName, attributes)
    ) {
      return result;
    }
    return { ...result, decision: SamplingDecision.RECORD };
  }

  toString(): string {
    return `CostAware{${this._sampler.toString()}}`;
  }

  private _records(
    context: Context,
    spanName: string,
    attributes: Attributes | undefined,
  ): boolean {
    const spanAttributes = (attributes ?? NO_ATTRIBUTES) as SpanAttributes;
    if (classifyAtStart(spanName, spanAttributes) !== 'other') return true;
    if (!this._recordDescendants) return false;
    const parent = trace.getSpan(context);
    return (
      parent !== undefined &&
      parent.isRecording() &&
      (parent.spanContext().traceFlags & TraceFlags.SAMPLED) === 0
    );
  }
}

import {
  SamplingDecision,
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

/**
 * A sampler that lets `CostSpanProcessor` see every LLM call while your
 * exporters see only the sampled traces. It asks the sampler it wraps;
 * where that sampler drops (`NOT_RECORD`) a span that is an LLM call or an
 * LLM wrapper when it starts (judged by `classifyAtStart`: the marker
 * attributes given to the tracer, else the span name), it returns `RECORD`
 * instead: the span is built, priced, attributed and counted by the metrics
 * and every sink, but it is not sampled, so `BatchSpanProcessor` and
 * `SimpleSpanProcessor` never export it, and its context propagates as not
 * sampled. Every other decision, and the wrapped sampler's attributes and
 * trace state, pass through unchanged.
 *
 * Wrap the whole sampler, ParentBased included: children of a dropped span
 * are dropped by ParentBased (`localParentNotSampled`), and this sampler
 * then records the LLM ones among them.
 *
 * Cost: a recorded-but-dropped span is a full SDK span in memory until it
 * ends (processors run; exporters skip it).
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

  /** @param sampler - the sampler that decides what is exported. */
  constructor(sampler: Sampler) {
    this._sampler = sampler;
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
      classifyAtStart(
        spanName,
        (attributes ?? NO_ATTRIBUTES) as SpanAttributes,
      ) === 'other'
    ) {
      return result;
    }
    return { ...result, decision: SamplingDecision.RECORD };
  }

  toString(): string {
    return `CostAware{${this._sampler.toString()}}`;
  }
}

import type { SdkReadableSpan as ReadableSpan } from './sdk-types.js';
import type { SpanAttributes, SpanLike } from '../core/span-like.js';
import { attributeCountOf } from './span-attribute-count.js';

/** Fields that differ between SDK 1.x and 2.x `ReadableSpan`s. */
interface SpanAcrossVersions {
  readonly parentSpanContext?:
    | { readonly spanId: string; readonly isRemote?: boolean | undefined }
    | undefined;
  readonly parentSpanId?: string | undefined;
  readonly instrumentationScope?: { readonly name: string } | undefined;
  readonly instrumentationLibrary?: { readonly name: string } | undefined;
}

/**
 * Adapts an SDK span to the core's `SpanLike`, reading fields lazily so the
 * fast path for non-LLM spans only touches ids and attributes.
 */
export class SdkSpanView implements SpanLike {
  private readonly _span: ReadableSpan;
  readonly spanId: string;
  readonly traceId: string;
  readonly parentSpanId: string | undefined;
  readonly parentIsRemote: boolean;

  constructor(span: ReadableSpan) {
    this._span = span;
    const spanContext = span.spanContext();
    this.spanId = spanContext.spanId;
    this.traceId = spanContext.traceId;
    const across = span as unknown as SpanAcrossVersions;
    this.parentSpanId = across.parentSpanContext?.spanId ?? across.parentSpanId;
    this.parentIsRemote = across.parentSpanContext?.isRemote === true;
  }

  get name(): string {
    return this._span.name;
  }

  get scopeName(): string {
    return scopeNameOf(this._span);
  }

  get startTimeMillis(): number {
    const [seconds, nanos] = this._span.startTime;
    return seconds * 1000 + nanos / 1e6;
  }

  /** Set once the span ended (`onEnding` sees it); undefined before. */
  get endTimeMillis(): number | undefined {
    const endTime = this._span.endTime as [number, number] | undefined;
    if (endTime === undefined || (endTime[0] === 0 && endTime[1] === 0)) {
      return undefined;
    }
    return endTime[0] * 1000 + endTime[1] / 1e6;
  }

  get attributes(): SpanAttributes {
    return this._span.attributes as SpanAttributes;
  }

  /**
   * How many attributes the SDK counted (`attributeCountOf`), undefined
   * when it does not count them: a hint for listing the keys, never for
   * what they mean (`CostPipeline.evaluate`).
   */
  get attributeCount(): number | undefined {
    return attributeCountOf(this._span);
  }
}

/** The instrumentation scope (tracer) name of an SDK 1.x or 2.x span. */
export function scopeNameOf(span: object): string {
  const across = span as SpanAcrossVersions;
  return (
    across.instrumentationScope?.name ??
    across.instrumentationLibrary?.name ??
    ''
  );
}

import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { SpanAttributeUpdate } from '../outputs/cost-span-update.js';

/** SDK 1.x names of two fields, kept when the span has them. */
interface LegacySpanFields {
  readonly parentSpanId?: string;
  readonly instrumentationLibrary?: unknown;
}

/**
 * A new `ReadableSpan`-shaped object: every field of `span`, with `update`
 * merged over its attributes. The original span is not touched (other
 * processors and exporters may still hold it).
 */
export function readableSpanWithAttributes(
  span: ReadableSpan,
  update: SpanAttributeUpdate,
): ReadableSpan {
  const legacy = span as unknown as LegacySpanFields;
  const copy: ReadableSpan & {
    -readonly [K in keyof LegacySpanFields]?: LegacySpanFields[K];
  } = {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    ...(span.parentSpanContext === undefined
      ? {}
      : { parentSpanContext: span.parentSpanContext }),
    startTime: span.startTime,
    endTime: span.endTime,
    status: span.status,
    attributes: { ...span.attributes, ...update },
    links: span.links,
    events: span.events,
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
  if (legacy.parentSpanId !== undefined)
    copy.parentSpanId = legacy.parentSpanId;
  if (legacy.instrumentationLibrary !== undefined) {
    copy.instrumentationLibrary = legacy.instrumentationLibrary;
  }
  return copy;
}

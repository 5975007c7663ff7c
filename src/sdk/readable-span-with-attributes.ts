import type { SdkReadableSpan as ReadableSpan } from './sdk-types.js';
import type { SpanAttributeUpdate } from '../outputs/cost-span-update.js';

/**
 * Every field of an SDK `ReadableSpan` (2.x and 3.x), beyond the few
 * `SdkReadableSpan` names, and the SDK 1.x names of two fields, kept when
 * the span has them.
 */
interface FullSpanFields {
  readonly kind: unknown;
  readonly status: unknown;
  readonly links: unknown;
  readonly events: unknown;
  readonly duration: unknown;
  readonly ended: unknown;
  readonly resource: unknown;
  readonly droppedAttributesCount: unknown;
  readonly droppedEventsCount: unknown;
  readonly droppedLinksCount: unknown;
  readonly parentSpanId?: string;
  readonly instrumentationLibrary?: unknown;
}

/**
 * A new `ReadableSpan`-shaped object: every field of `span`, with `update`
 * merged over its attributes. The original span is not touched (other
 * processors and exporters may still hold it). Fields are copied one by one
 * (an SDK span's are getters on its class), all of them, so the exporter we
 * wrap gets a complete `ReadableSpan` of its own SDK line.
 */
export function readableSpanWithAttributes(
  span: ReadableSpan,
  update: SpanAttributeUpdate,
): ReadableSpan {
  const full = span as ReadableSpan & FullSpanFields;
  const copy: ReadableSpan & {
    -readonly [K in keyof FullSpanFields]?: FullSpanFields[K];
  } = {
    name: span.name,
    kind: full.kind,
    spanContext: () => span.spanContext(),
    ...(span.parentSpanContext === undefined
      ? {}
      : { parentSpanContext: span.parentSpanContext }),
    startTime: span.startTime,
    endTime: span.endTime,
    status: full.status,
    attributes: { ...span.attributes, ...update },
    links: full.links,
    events: full.events,
    duration: full.duration,
    ended: full.ended,
    resource: full.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: full.droppedAttributesCount,
    droppedEventsCount: full.droppedEventsCount,
    droppedLinksCount: full.droppedLinksCount,
  };
  if (full.parentSpanId !== undefined) copy.parentSpanId = full.parentSpanId;
  if (full.instrumentationLibrary !== undefined) {
    copy.instrumentationLibrary = full.instrumentationLibrary;
  }
  return copy;
}

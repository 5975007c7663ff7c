/**
 * The read-only view of a span that the core works on. An SDK span
 * (`ReadableSpan`), a span decoded from an OTLP request and a manual record
 * can all be adapted to it, so the core never imports an SDK.
 */
export type AttributeValue =
  | string
  | number
  | boolean
  | ReadonlyArray<string | number | boolean | null | undefined>;

export type SpanAttributes = Readonly<
  Record<string, AttributeValue | undefined>
>;

export interface SpanLike {
  readonly name: string;
  /** Instrumentation scope (tracer) name, e.g. `ai`, `gen_ai`. */
  readonly scopeName: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  /**
   * The parent lives in another process (it arrived in a `traceparent`
   * header), so it never ends here: no exactly-once mark is kept for it.
   */
  readonly parentIsRemote?: boolean;
  /** Start time in milliseconds since the epoch. */
  readonly startTimeMillis: number;
  /**
   * End time in milliseconds since the epoch, when the span has ended and
   * the shell knows it (matching stacked instrumentations uses it).
   */
  readonly endTimeMillis?: number | undefined;
  readonly attributes: SpanAttributes;
}

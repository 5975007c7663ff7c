/**
 * What one OTLP request may decode into, beyond its byte size: the byte
 * limits bound the body, these bound what decoding it allocates and how
 * long it takes. Checked while scanning the bytes, before anything is
 * materialized; a request over a limit is answered 413 (too many) or 400
 * (nested too deep), with the setting named in the message.
 */
export interface DecodeLimits {
  /** Spans in one request (`--max-spans-per-request`). */
  readonly maxSpansPerRequest: number;
  /**
   * Messages and repeated entries in one request, all levels together
   * (`--max-items-per-request`): each resource spans, resource, scope spans,
   * scope, span, event, link, status, attribute (key-value) and attribute
   * value, array or key-value list, and each entry of a repeated string; in
   * OTLP/JSON also each value the schema does not know. A span with 20
   * attributes is about 43 items. See `DecodeBudget`.
   */
  readonly maxItemsPerRequest: number;
  /** Nesting of array and key-value list values (`--max-value-depth`). */
  readonly maxValueDepth: number;
}

/**
 * Defaults; see the gateway docs for the memory and time each allows
 * (measured by `bench/gateway-decode-memory.ts`). 10,000 spans is above the
 * Collector's default batch (8,192); a million items is 10,000 spans of
 * about 45 attributes; 16 levels keep a forwarded request within the 100
 * nested messages that protobuf's C++ and Java parsers accept.
 */
export const DEFAULT_DECODE_LIMITS: DecodeLimits = {
  maxSpansPerRequest: 10_000,
  maxItemsPerRequest: 1_000_000,
  maxValueDepth: 16,
};

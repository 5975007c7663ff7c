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
   * Entries of every repeated field in one request, all levels together:
   * resource spans, scope spans, spans, attributes, events, links, array
   * values and key-value list entries (`--max-items-per-request`).
   */
  readonly maxItemsPerRequest: number;
  /** Nesting of array and key-value list values (`--max-value-depth`). */
  readonly maxValueDepth: number;
}

/** Defaults; see the gateway docs for the memory and time each allows. */
export const DEFAULT_DECODE_LIMITS: DecodeLimits = {
  maxSpansPerRequest: 10_000,
  maxItemsPerRequest: 1_000_000,
  maxValueDepth: 16,
};

import type { SpanAttributes } from '../../core/span-like.js';
import type { OtlpSpan } from './otlp-types.js';

/**
 * A binary `ExportTraceServiceRequest` split into its spans, each read for
 * the pipeline and kept as its original bytes for writing. Everything the
 * gateway does not change (resources, scopes, spans left alone, fields
 * unknown to the vendored protos, resources and scopes without spans) is
 * kept as raw byte ranges, in order, and forwarded byte for byte; only
 * resources and scopes holding spans become objects, so what a request
 * materializes is bounded by its spans and their attributes.
 */
export interface ScannedRequest {
  /** The request's fields in order: raw bytes (tags included) or resources. */
  readonly parts: readonly (Uint8Array | ScannedResource)[];
  /** The resources among `parts` (those holding spans). */
  readonly resources: readonly ScannedResource[];
  /**
   * Spans left out because they were in `ResourceSpans` field 1000 next to
   * `scope_spans` (the Collector drops those too): to report as rejected.
   */
  readonly droppedSpans: number;
}

export interface ScannedResource {
  /**
   * The `ResourceSpans` fields in order: raw bytes or scopes with spans
   * (written as field 2, whether received as field 2 or field 1000).
   */
  readonly parts: readonly (Uint8Array | ScannedScope)[];
  readonly scopes: readonly ScannedScope[];
  /** Spans of this resource's field 1000 left out (see `ScannedRequest`). */
  readonly droppedSpans: number;
}

export interface ScannedScope {
  /** The `ScopeSpans` fields in order: raw bytes or spans. */
  readonly parts: readonly (Uint8Array | ScannedSpan)[];
  readonly scopeName: string;
  readonly spans: readonly ScannedSpan[];
}

export interface ScannedSpan {
  /** The `Span` message as received (without tag and length). */
  readonly bytes: Uint8Array;
  readonly span: OtlpSpan;
  /**
   * Its attributes read straight into the core's record by the scan path
   * (`readAttributeRecord`); undefined when `span.attributes` is the source.
   */
  readonly attributes: SpanAttributes | undefined;
  /** Attributes to set (replace or add) when writing. */
  update: Readonly<Record<string, AttributeUpdateValue>> | undefined;
  /** Left out when writing (invalid ids). */
  rejected: boolean;
}

export type AttributeUpdateValue =
  string | number | boolean | readonly (string | number | boolean)[];

import type { OtlpSpan } from './otlp-types.js';

/**
 * A binary `ExportTraceServiceRequest` split into its spans, each decoded
 * for reading and kept as its original bytes for writing. Everything the
 * gateway does not change (resources, scopes, unmodified spans, fields
 * unknown to the vendored protos) is forwarded byte for byte.
 */
export interface ScannedRequest {
  readonly resources: ScannedResource[];
  /** Top-level fields other than `resource_spans`, raw. */
  readonly otherFields: Uint8Array[];
}

export interface ScannedResource {
  /** Every field of the `ResourceSpans` except `scope_spans`, raw. */
  readonly fields: Uint8Array[];
  readonly scopes: ScannedScope[];
}

export interface ScannedScope {
  /** Every field of the `ScopeSpans` except `spans`, raw. */
  readonly fields: Uint8Array[];
  readonly scopeName: string;
  readonly spans: ScannedSpan[];
}

export interface ScannedSpan {
  /** The `Span` message as received (without tag and length). */
  readonly bytes: Uint8Array;
  readonly span: OtlpSpan;
  /** Attributes to set (replace or add) when writing. */
  update: Readonly<Record<string, AttributeUpdateValue>> | undefined;
  /** Left out when writing (invalid ids). */
  rejected: boolean;
}

export type AttributeUpdateValue =
  string | number | boolean | readonly (string | number | boolean)[];

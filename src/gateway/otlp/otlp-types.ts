import type { Long } from 'protobufjs';

/**
 * A decoded OTLP `ExportTraceServiceRequest`, in the shape protobufjs gives
 * for the vendored `proto/` definitions (camelCase fields, `Uint8Array` ids,
 * `Long` for 64-bit integers). The JSON decoder produces the same shape, so
 * everything downstream is format-agnostic. Absent fields may be `undefined`
 * or `null`; decoded repeated fields may be frozen empty arrays, so replace
 * a list instead of pushing into it (see `setSpanAttributes`).
 */
export interface ExportTraceRequest {
  resourceSpans: OtlpResourceSpans[];
}

export interface OtlpResourceSpans {
  resource?: OtlpResource | null | undefined;
  scopeSpans: OtlpScopeSpans[];
  schemaUrl?: string | undefined;
  /**
   * Field 1000 (`deprecated_scope_spans`; OTLP/JSON
   * `instrumentationLibrarySpans`), kept as received for the scan, which
   * reads it as the Collector does (see `scanExportTraceRequest`).
   */
  deprecatedScopeSpans?: OtlpScopeSpans[] | undefined;
}

export interface OtlpResource {
  attributes: OtlpKeyValue[];
  droppedAttributesCount?: number | undefined;
  entityRefs?: OtlpEntityRef[] | undefined;
}

export interface OtlpEntityRef {
  schemaUrl?: string | undefined;
  type?: string | undefined;
  idKeys?: string[] | undefined;
  descriptionKeys?: string[] | undefined;
}

export interface OtlpScopeSpans {
  scope?: OtlpInstrumentationScope | null | undefined;
  spans: OtlpSpan[];
  schemaUrl?: string | undefined;
}

export interface OtlpInstrumentationScope {
  name?: string | undefined;
  version?: string | undefined;
  attributes?: OtlpKeyValue[] | undefined;
  droppedAttributesCount?: number | undefined;
}

export interface OtlpSpan {
  traceId: Uint8Array;
  spanId: Uint8Array;
  traceState?: string | undefined;
  parentSpanId?: Uint8Array | undefined;
  flags?: number | undefined;
  name: string;
  /** `Span.SpanKind` number (0 unspecified ... 5 consumer). */
  kind?: number | undefined;
  startTimeUnixNano: Long;
  endTimeUnixNano: Long;
  attributes: OtlpKeyValue[];
  droppedAttributesCount?: number | undefined;
  events?: OtlpEvent[] | undefined;
  droppedEventsCount?: number | undefined;
  links?: OtlpLink[] | undefined;
  droppedLinksCount?: number | undefined;
  status?: OtlpStatus | null | undefined;
}

export interface OtlpEvent {
  timeUnixNano: Long;
  name?: string | undefined;
  attributes?: OtlpKeyValue[] | undefined;
  droppedAttributesCount?: number | undefined;
}

export interface OtlpLink {
  traceId: Uint8Array;
  spanId: Uint8Array;
  traceState?: string | undefined;
  attributes?: OtlpKeyValue[] | undefined;
  droppedAttributesCount?: number | undefined;
  flags?: number | undefined;
}

export interface OtlpStatus {
  message?: string | undefined;
  /** `Status.StatusCode` number (0 unset, 1 ok, 2 error). */
  code?: number | undefined;
}

export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue | null | undefined;
}

/** One of the fields is set (or none: an empty value). */
export interface OtlpAnyValue {
  stringValue?: string | undefined;
  boolValue?: boolean | undefined;
  /**
   * Exact, in the most compact form at hand: protobufjs gives a `Long`;
   * the gateway's own protobuf reader a number when it is a safe integer,
   * else a `bigint`; the OTLP/JSON reader the number when it is a safe
   * integer, else the decimal text (checked to be within int64). So a
   * request of many long integers holds no `Long` per value.
   */
  intValue?: Long | number | bigint | string | undefined;
  doubleValue?: number | undefined;
  arrayValue?: { values: OtlpAnyValue[] } | null | undefined;
  kvlistValue?: { values: OtlpKeyValue[] } | null | undefined;
  bytesValue?: Uint8Array | undefined;
}

/** The payload encodings of OTLP/HTTP. */
export type OtlpFormat = 'protobuf' | 'json';

export interface ExportTracePartialSuccess {
  readonly rejectedSpans: number;
  readonly errorMessage: string;
}

import { JsonPath } from './json-path.js';
import {
  asObject,
  hasField,
  readArray,
  readEnum,
  readHexId,
  readInt64,
  readObject,
  readString,
  readUint32,
} from './json-values.js';
import { keyValue } from './json-key-value.js';
import { Long } from './otlp-message-types.js';
import type {
  ExportTraceRequest,
  OtlpEntityRef,
  OtlpEvent,
  OtlpInstrumentationScope,
  OtlpLink,
  OtlpResource,
  OtlpResourceSpans,
  OtlpScopeSpans,
  OtlpSpan,
} from './otlp-types.js';

const SPAN_KINDS = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};
const STATUS_CODES = {
  STATUS_CODE_UNSET: 0,
  STATUS_CODE_OK: 1,
  STATUS_CODE_ERROR: 2,
};
const EMPTY_ID = new Uint8Array(0);
/** OTLP/JSON name of `ResourceSpans` field 1000 (opentelemetry-proto v0.15-v0.18). */
const DEPRECATED_SCOPE_SPANS = 'instrumentationLibrarySpans';

/**
 * Converts a parsed OTLP/JSON trace request into the decoded-protobuf shape.
 * Follows the OTLP JSON rules: lowerCamelCase keys (and, as the Collector,
 * the proto's snake_case names: `json-field-names.ts`), hex trace/span ids,
 * 64-bit integers as numbers or decimal strings, enums as numbers or names,
 * unknown fields ignored. A wrong type fails with the field's path.
 * `instrumentationLibrarySpans` (with `instrumentationLibrary`), the name
 * v0.15-v0.18 senders use, is kept as field 1000 for the scan.
 */
export function exportTraceRequestFromJson(json: unknown): ExportTraceRequest {
  const path = new JsonPath();
  const root = asObject(json, path);
  return {
    resourceSpans: readArray(root, 'resourceSpans', path, resourceSpans),
  };
}

function resourceSpans(value: unknown, path: JsonPath): OtlpResourceSpans {
  const object = asObject(value, path);
  const resource = readObject(object, 'resource', path);
  let result: OtlpResource | undefined;
  if (resource !== undefined) {
    path.enter('resource');
    result = {
      attributes: readArray(resource, 'attributes', path, keyValue),
      droppedAttributesCount: readUint32(
        resource,
        'droppedAttributesCount',
        path,
      ),
      entityRefs: readArray(resource, 'entityRefs', path, entityRef),
    };
    path.leave();
  }
  const converted: OtlpResourceSpans = {
    resource: result,
    scopeSpans: readArray(object, 'scopeSpans', path, scopeSpans),
    schemaUrl: readString(object, 'schemaUrl', path),
  };
  // v0.15-v0.18 senders: field 1000, read by the scan (migrated or dropped).
  if (hasField(object, DEPRECATED_SCOPE_SPANS)) {
    converted.deprecatedScopeSpans = readArray(
      object,
      DEPRECATED_SCOPE_SPANS,
      path,
      instrumentationLibrarySpans,
    );
  }
  return converted;
}

function entityRef(value: unknown, path: JsonPath): OtlpEntityRef {
  const object = asObject(value, path);
  return {
    schemaUrl: readString(object, 'schemaUrl', path),
    type: readString(object, 'type', path),
    idKeys: readArray(object, 'idKeys', path, stringElement),
    descriptionKeys: readArray(object, 'descriptionKeys', path, stringElement),
  };
}

function stringElement(value: unknown, path: JsonPath): string {
  return typeof value === 'string' ? value : path.fail('expected a string');
}

function scopeSpans(value: unknown, path: JsonPath): OtlpScopeSpans {
  return scopeSpansWith(value, path, 'scope');
}

/** An `InstrumentationLibrarySpans`: a `ScopeSpans` with an older key. */
function instrumentationLibrarySpans(
  value: unknown,
  path: JsonPath,
): OtlpScopeSpans {
  return scopeSpansWith(value, path, 'instrumentationLibrary');
}

function scopeSpansWith(
  value: unknown,
  path: JsonPath,
  scopeKey: string,
): OtlpScopeSpans {
  const object = asObject(value, path);
  const scope = readObject(object, scopeKey, path);
  let instrumentationScope: OtlpInstrumentationScope | undefined;
  if (scope !== undefined) {
    path.enter(scopeKey);
    instrumentationScope = {
      name: readString(scope, 'name', path),
      version: readString(scope, 'version', path),
      attributes: readArray(scope, 'attributes', path, keyValue),
      droppedAttributesCount: readUint32(scope, 'droppedAttributesCount', path),
    };
    path.leave();
  }
  return {
    scope: instrumentationScope,
    spans: readArray(object, 'spans', path, span),
    schemaUrl: readString(object, 'schemaUrl', path),
  };
}

function span(value: unknown, path: JsonPath): OtlpSpan {
  const object = asObject(value, path);
  const status = readObject(object, 'status', path);
  const result: OtlpSpan = {
    traceId: readHexId(object, 'traceId', path) ?? EMPTY_ID,
    spanId: readHexId(object, 'spanId', path) ?? EMPTY_ID,
    traceState: readString(object, 'traceState', path),
    parentSpanId: readHexId(object, 'parentSpanId', path),
    flags: readUint32(object, 'flags', path),
    name: readString(object, 'name', path) ?? '',
    kind: readEnum(object, 'kind', path, SPAN_KINDS),
    startTimeUnixNano:
      readInt64(object, 'startTimeUnixNano', path, true) ?? Long.UZERO,
    endTimeUnixNano:
      readInt64(object, 'endTimeUnixNano', path, true) ?? Long.UZERO,
    attributes: readArray(object, 'attributes', path, keyValue),
    droppedAttributesCount: readUint32(object, 'droppedAttributesCount', path),
    events: readArray(object, 'events', path, event),
    droppedEventsCount: readUint32(object, 'droppedEventsCount', path),
    links: readArray(object, 'links', path, link),
    droppedLinksCount: readUint32(object, 'droppedLinksCount', path),
    status: undefined,
  };
  if (status !== undefined) {
    path.enter('status');
    result.status = {
      message: readString(status, 'message', path),
      code: readEnum(status, 'code', path, STATUS_CODES),
    };
    path.leave();
  }
  return result;
}

function event(value: unknown, path: JsonPath): OtlpEvent {
  const object = asObject(value, path);
  return {
    timeUnixNano: readInt64(object, 'timeUnixNano', path, true) ?? Long.UZERO,
    name: readString(object, 'name', path),
    attributes: readArray(object, 'attributes', path, keyValue),
    droppedAttributesCount: readUint32(object, 'droppedAttributesCount', path),
  };
}

function link(value: unknown, path: JsonPath): OtlpLink {
  const object = asObject(value, path);
  return {
    traceId: readHexId(object, 'traceId', path) ?? EMPTY_ID,
    spanId: readHexId(object, 'spanId', path) ?? EMPTY_ID,
    traceState: readString(object, 'traceState', path),
    attributes: readArray(object, 'attributes', path, keyValue),
    droppedAttributesCount: readUint32(object, 'droppedAttributesCount', path),
    flags: readUint32(object, 'flags', path),
  };
}

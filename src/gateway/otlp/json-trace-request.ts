import { JsonPath } from './json-path.js';
import {
  asObject,
  hasField,
  readArray,
  readEnum,
  readHexId,
  readInt64,
  readMessage,
  readObject,
  readString,
  readUint32,
  type JsonObject,
} from './json-values.js';
import { keyValue } from './json-key-value.js';
import { jsonKeys, type JsonKey } from './json-field-names.js';
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
/** Every field read here, under both spellings (`json-field-names.ts`). */
const K = jsonKeys([
  'attributes',
  'code',
  'descriptionKeys',
  'droppedAttributesCount',
  'droppedEventsCount',
  'droppedLinksCount',
  'endTimeUnixNano',
  'entityRefs',
  'events',
  'flags',
  'idKeys',
  'instrumentationLibrary',
  'instrumentationLibrarySpans',
  'kind',
  'links',
  'message',
  'name',
  'parentSpanId',
  'resource',
  'resourceSpans',
  'schemaUrl',
  'scope',
  'scopeSpans',
  'spanId',
  'spans',
  'startTimeUnixNano',
  'status',
  'timeUnixNano',
  'traceId',
  'traceState',
  'type',
  'version',
]);

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
    resourceSpans: readArray(root, K.resourceSpans, path, resourceSpans),
  };
}

function resourceSpans(value: unknown, path: JsonPath): OtlpResourceSpans {
  const object = asObject(value, path);
  const converted: OtlpResourceSpans = {
    resource: readMessage(object, K.resource, path, resource),
    scopeSpans: readArray(object, K.scopeSpans, path, scopeSpans),
    schemaUrl: readString(object, K.schemaUrl, path),
  };
  // v0.15-v0.18 senders: field 1000, read by the scan (migrated or dropped).
  if (hasField(object, K.instrumentationLibrarySpans)) {
    converted.deprecatedScopeSpans = readArray(
      object,
      K.instrumentationLibrarySpans,
      path,
      instrumentationLibrarySpans,
    );
  }
  return converted;
}

function resource(object: JsonObject, path: JsonPath): OtlpResource {
  return {
    attributes: readArray(object, K.attributes, path, keyValue),
    droppedAttributesCount: readUint32(object, K.droppedAttributesCount, path),
    entityRefs: readArray(object, K.entityRefs, path, entityRef),
  };
}

function entityRef(value: unknown, path: JsonPath): OtlpEntityRef {
  const object = asObject(value, path);
  return {
    schemaUrl: readString(object, K.schemaUrl, path),
    type: readString(object, K.type, path),
    idKeys: readArray(object, K.idKeys, path, stringElement),
    descriptionKeys: readArray(object, K.descriptionKeys, path, stringElement),
  };
}

function stringElement(value: unknown, path: JsonPath): string {
  return typeof value === 'string' ? value : path.fail('expected a string');
}

function scopeSpans(value: unknown, path: JsonPath): OtlpScopeSpans {
  return scopeSpansWith(value, path, K.scope);
}

/** An `InstrumentationLibrarySpans`: a `ScopeSpans` with an older key. */
function instrumentationLibrarySpans(
  value: unknown,
  path: JsonPath,
): OtlpScopeSpans {
  return scopeSpansWith(value, path, K.instrumentationLibrary);
}

function scopeSpansWith(
  value: unknown,
  path: JsonPath,
  scopeKey: JsonKey,
): OtlpScopeSpans {
  const object = asObject(value, path);
  return {
    scope: readMessage(object, scopeKey, path, scope),
    spans: readArray(object, K.spans, path, span),
    schemaUrl: readString(object, K.schemaUrl, path),
  };
}

function scope(object: JsonObject, path: JsonPath): OtlpInstrumentationScope {
  return {
    name: readString(object, K.name, path),
    version: readString(object, K.version, path),
    attributes: readArray(object, K.attributes, path, keyValue),
    droppedAttributesCount: readUint32(object, K.droppedAttributesCount, path),
  };
}

function span(value: unknown, path: JsonPath): OtlpSpan {
  const object = asObject(value, path);
  const status = readObject(object, K.status, path);
  const result: OtlpSpan = {
    traceId: readHexId(object, K.traceId, path) ?? EMPTY_ID,
    spanId: readHexId(object, K.spanId, path) ?? EMPTY_ID,
    traceState: readString(object, K.traceState, path),
    parentSpanId: readHexId(object, K.parentSpanId, path),
    flags: readUint32(object, K.flags, path),
    name: readString(object, K.name, path) ?? '',
    kind: readEnum(object, K.kind, path, SPAN_KINDS),
    startTimeUnixNano:
      readInt64(object, K.startTimeUnixNano, path, true) ?? Long.UZERO,
    endTimeUnixNano:
      readInt64(object, K.endTimeUnixNano, path, true) ?? Long.UZERO,
    attributes: readArray(object, K.attributes, path, keyValue),
    droppedAttributesCount: readUint32(object, K.droppedAttributesCount, path),
    events: readArray(object, K.events, path, event),
    droppedEventsCount: readUint32(object, K.droppedEventsCount, path),
    links: readArray(object, K.links, path, link),
    droppedLinksCount: readUint32(object, K.droppedLinksCount, path),
    status: undefined,
  };
  if (status !== undefined) {
    path.enter('status');
    result.status = {
      message: readString(status, K.message, path),
      code: readEnum(status, K.code, path, STATUS_CODES),
    };
    path.leave();
  }
  return result;
}

function event(value: unknown, path: JsonPath): OtlpEvent {
  const object = asObject(value, path);
  return {
    timeUnixNano: readInt64(object, K.timeUnixNano, path, true) ?? Long.UZERO,
    name: readString(object, K.name, path),
    attributes: readArray(object, K.attributes, path, keyValue),
    droppedAttributesCount: readUint32(object, K.droppedAttributesCount, path),
  };
}

function link(value: unknown, path: JsonPath): OtlpLink {
  const object = asObject(value, path);
  return {
    traceId: readHexId(object, K.traceId, path) ?? EMPTY_ID,
    spanId: readHexId(object, K.spanId, path) ?? EMPTY_ID,
    traceState: readString(object, K.traceState, path),
    attributes: readArray(object, K.attributes, path, keyValue),
    droppedAttributesCount: readUint32(object, K.droppedAttributesCount, path),
    flags: readUint32(object, K.flags, path),
  };
}

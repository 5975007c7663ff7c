import protobuf from 'protobufjs/light.js';
import type { Reader } from 'protobufjs';
import { OtlpDecodeError } from './otlp-decode-error.js';
import { otlpMessageTypes } from './otlp-message-types.js';
import type { OtlpInstrumentationScope, OtlpSpan } from './otlp-types.js';
import type {
  ScannedRequest,
  ScannedResource,
  ScannedScope,
} from './scanned-request.js';

const LEN = 2;
const RESOURCE_SPANS = (1 << 3) | LEN; // ExportTraceServiceRequest.resource_spans
const RESOURCE = (1 << 3) | LEN; // ResourceSpans.resource
const SCOPE_SPANS = (2 << 3) | LEN; // ResourceSpans.scope_spans
const SCOPE = (1 << 3) | LEN; // ScopeSpans.scope
const SPANS = (2 << 3) | LEN; // ScopeSpans.spans

/**
 * Scans a binary `ExportTraceServiceRequest`: walks the request, resource
 * and scope levels by hand (protobufjs `Reader`) to keep byte ranges, and
 * decodes every resource, scope and span with the vendored message types,
 * so a malformed message anywhere fails here (`OtlpDecodeError`, 400), not
 * at the next hop.
 */
export function scanExportTraceRequest(body: Uint8Array): ScannedRequest {
  try {
    const reader = protobuf.Reader.create(body);
    const request: ScannedRequest = { resources: [], otherFields: [] };
    while (reader.pos < reader.len) {
      const start = reader.pos;
      const tag = reader.uint32();
      if (tag === RESOURCE_SPANS) {
        request.resources.push(scanResource(reader, messageEnd(reader)));
      } else {
        reader.skipType(tag & 7);
        request.otherFields.push(body.subarray(start, reader.pos));
      }
    }
    return request;
  } catch (error) {
    throw new OtlpDecodeError(
      `invalid protobuf ExportTraceServiceRequest: ${(error as Error).message}`,
    );
  }
}

function messageEnd(reader: Reader): number {
  const length = reader.uint32();
  const end = reader.pos + length;
  if (end > reader.len) {
    throw new RangeError(
      `index out of range: ${reader.pos} + ${length} > ${reader.len}`,
    );
  }
  return end;
}

function scanResource(reader: Reader, end: number): ScannedResource {
  const resource: ScannedResource = { fields: [], scopes: [] };
  const { resource: resourceType } = otlpMessageTypes();
  while (reader.pos < end) {
    const start = reader.pos;
    const tag = reader.uint32();
    if (tag === SCOPE_SPANS) {
      resource.scopes.push(scanScope(reader, messageEnd(reader)));
      continue;
    }
    if (tag === RESOURCE) resourceType.decode(reader, reader.uint32());
    else reader.skipType(tag & 7);
    resource.fields.push(reader.buf.subarray(start, reader.pos));
  }
  expectEnd(reader, end);
  return resource;
}

function scanScope(reader: Reader, end: number): ScannedScope {
  const types = otlpMessageTypes();
  const fields: Uint8Array[] = [];
  const spans: ScannedScope['spans'] = [];
  let scopeName = '';
  while (reader.pos < end) {
    const start = reader.pos;
    const tag = reader.uint32();
    if (tag === SPANS) {
      const spanEnd = messageEnd(reader);
      const spanStart = reader.pos;
      const span = types.span.decode(
        reader,
        spanEnd - spanStart,
      ) as unknown as OtlpSpan;
      expectEnd(reader, spanEnd);
      spans.push({
        bytes: reader.buf.subarray(spanStart, spanEnd),
        span,
        update: undefined,
        rejected: false,
      });
      continue;
    }
    if (tag === SCOPE) {
      const scope = types.scope.decode(
        reader,
        reader.uint32(),
      ) as unknown as OtlpInstrumentationScope;
      scopeName = scope.name ?? '';
    } else {
      reader.skipType(tag & 7);
    }
    fields.push(reader.buf.subarray(start, reader.pos));
  }
  expectEnd(reader, end);
  return { fields, scopeName, spans };
}

function expectEnd(reader: Reader, end: number): void {
  if (reader.pos !== end) {
    throw new RangeError(`message overruns its length at offset ${reader.pos}`);
  }
}

import { boundJsonRequest } from './bound-json-request.js';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from './decode-limits.js';
import { exportTraceRequestFromJson } from './json-trace-request.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import { otlpMessageTypes } from './otlp-message-types.js';
import type { ExportTraceRequest, OtlpFormat } from './otlp-types.js';
import { validateProtobufRequest } from './validate-protobuf-request.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes the body of an OTLP/HTTP trace export (already decompressed):
 * binary protobuf or OTLP/JSON, into one shape. The body is checked
 * against the decode limits before anything is materialized, and JSON
 * integers are kept exact to 64 bits. Throws `OtlpDecodeError` with a
 * message for the client when the body is not a valid
 * `ExportTraceServiceRequest` (400) or decodes into more than the limits
 * allow (413).
 */
export function decodeExportTraceRequest(
  body: Uint8Array,
  format: OtlpFormat,
  limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
): ExportTraceRequest {
  return format === 'protobuf'
    ? decodeProtobuf(body, limits)
    : decodeJson(body, limits);
}

function decodeProtobuf(
  body: Uint8Array,
  limits: DecodeLimits,
): ExportTraceRequest {
  validateProtobufRequest(body, limits);
  try {
    return otlpMessageTypes().request.decode(
      body,
    ) as unknown as ExportTraceRequest;
  } catch (error) {
    throw new OtlpDecodeError(
      `invalid protobuf ExportTraceServiceRequest: ${(error as Error).message}`,
    );
  }
}

function decodeJson(
  body: Uint8Array,
  limits: DecodeLimits,
): ExportTraceRequest {
  return exportTraceRequestFromJson(parseJsonRequest(body, limits));
}

/**
 * Parses an OTLP/JSON body checked against the decode limits first
 * (`boundJsonRequest`), with integers longer than 15 digits read as decimal
 * strings so 64-bit values stay exact; `exportTraceRequestFromJson` takes
 * it from there. Throws `OtlpDecodeError` (400, 413).
 */
export function parseJsonRequest(
  body: Uint8Array,
  limits: DecodeLimits,
): unknown {
  return parseBoundedJson(boundJsonRequest(body, limits));
}

/** `JSON.parse` of what `boundJsonRequest` returned; `OtlpDecodeError` 400. */
export function parseBoundedJson(bounded: Uint8Array): unknown {
  try {
    return JSON.parse(utf8.decode(bounded));
  } catch (error) {
    throw new OtlpDecodeError(
      `invalid JSON ExportTraceServiceRequest: ${(error as Error).message}`,
    );
  }
}

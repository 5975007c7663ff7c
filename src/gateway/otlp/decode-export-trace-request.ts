import { exportTraceRequestFromJson } from './json-trace-request.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import { otlpMessageTypes } from './otlp-message-types.js';
import type { ExportTraceRequest, OtlpFormat } from './otlp-types.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes the body of an OTLP/HTTP trace export (already decompressed):
 * binary protobuf or OTLP/JSON, into one shape. Throws `OtlpDecodeError`
 * with a message for the client when the body is not a valid
 * `ExportTraceServiceRequest`.
 */
export function decodeExportTraceRequest(
  body: Uint8Array,
  format: OtlpFormat,
): ExportTraceRequest {
  return format === 'protobuf' ? decodeProtobuf(body) : decodeJson(body);
}

function decodeProtobuf(body: Uint8Array): ExportTraceRequest {
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

function decodeJson(body: Uint8Array): ExportTraceRequest {
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(body));
  } catch (error) {
    throw new OtlpDecodeError(
      `invalid JSON ExportTraceServiceRequest: ${(error as Error).message}`,
    );
  }
  return exportTraceRequestFromJson(json);
}

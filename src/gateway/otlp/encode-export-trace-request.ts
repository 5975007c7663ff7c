import { otlpMessageTypes } from './otlp-message-types.js';
import type { ExportTraceRequest } from './otlp-types.js';

/**
 * Encodes a trace request (decoded from either format, possibly enriched) as
 * binary protobuf `ExportTraceServiceRequest`, the body of an OTLP/HTTP
 * `application/x-protobuf` export.
 */
export function encodeExportTraceRequest(
  request: ExportTraceRequest,
): Uint8Array {
  return otlpMessageTypes().request.encode(request).finish();
}

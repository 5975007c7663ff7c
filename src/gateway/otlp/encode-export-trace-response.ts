import { otlpMessageTypes } from './otlp-message-types.js';
import type { ExportTracePartialSuccess, OtlpFormat } from './otlp-types.js';

/** Keeps responses far below the 64 KiB the Collector's client reads. */
const MAX_MESSAGE_CHARS = 4096;

/**
 * The body of a 200 answer: an `ExportTraceServiceResponse`, empty on full
 * success, with `partial_success` when spans were rejected or there is a
 * warning (rejected 0 and a message), in the request's format.
 */
export function encodeExportTraceResponse(
  partialSuccess: ExportTracePartialSuccess | undefined,
  format: OtlpFormat,
): Uint8Array {
  const message =
    partialSuccess === undefined
      ? {}
      : {
          partialSuccess: {
            rejectedSpans: partialSuccess.rejectedSpans,
            errorMessage: truncate(partialSuccess.errorMessage),
          },
        };
  if (format === 'protobuf') {
    return otlpMessageTypes().response.encode(message).finish();
  }
  // proto3 JSON: int64 as a decimal string.
  const json =
    partialSuccess === undefined
      ? {}
      : {
          partialSuccess: {
            rejectedSpans: String(partialSuccess.rejectedSpans),
            errorMessage: truncate(partialSuccess.errorMessage),
          },
        };
  return Buffer.from(JSON.stringify(json));
}

function truncate(text: string): string {
  return text.length <= MAX_MESSAGE_CHARS
    ? text
    : `${text.slice(0, MAX_MESSAGE_CHARS - 3)}...`;
}

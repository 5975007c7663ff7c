/**
 * The request body is not a valid OTLP `ExportTraceServiceRequest`. The
 * gateway answers 400 with this message; the client must not retry.
 */
export class OtlpDecodeError extends Error {
  override name = 'OtlpDecodeError';
}

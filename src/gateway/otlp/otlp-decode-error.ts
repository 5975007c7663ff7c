/**
 * The request body is not a valid OTLP `ExportTraceServiceRequest` (400), or
 * it is valid but decodes into more than a decode limit allows (413). The
 * gateway answers `status` with this message; the client must not retry.
 */
export class OtlpDecodeError extends Error {
  override name = 'OtlpDecodeError';
  constructor(
    message: string,
    readonly status: 400 | 413 = 400,
  ) {
    super(message);
  }
}

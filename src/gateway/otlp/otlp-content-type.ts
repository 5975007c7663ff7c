import type { OtlpFormat } from './otlp-types.js';

export const PROTOBUF_CONTENT_TYPE = 'application/x-protobuf';
export const JSON_CONTENT_TYPE = 'application/json';

/**
 * The OTLP format of a `Content-Type` header (parameters such as
 * `charset=utf-8` ignored), or undefined for anything else.
 */
export function otlpFormatOf(
  contentType: string | undefined,
): OtlpFormat | undefined {
  if (contentType === undefined) return undefined;
  const mediaType = contentType.split(';', 1)[0]?.trim().toLowerCase();
  if (mediaType === PROTOBUF_CONTENT_TYPE) return 'protobuf';
  if (mediaType === JSON_CONTENT_TYPE) return 'json';
  return undefined;
}

export function contentTypeOf(format: OtlpFormat): string {
  return format === 'protobuf' ? PROTOBUF_CONTENT_TYPE : JSON_CONTENT_TYPE;
}

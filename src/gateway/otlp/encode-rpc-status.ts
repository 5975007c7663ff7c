import protobuf from 'protobufjs/light.js';
import type { OtlpFormat } from './otlp-types.js';

/** gRPC status codes used in error bodies. */
export const RpcCode = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/**
 * The body of an OTLP/HTTP error answer: a `google.rpc.Status`
 * (`int32 code = 1; string message = 2;`, details omitted) as protobuf, or
 * as JSON `{"code": ..., "message": ...}`.
 */
export function encodeRpcStatus(
  code: number,
  message: string,
  format: OtlpFormat,
): Uint8Array {
  if (format === 'json') return Buffer.from(JSON.stringify({ code, message }));
  return protobuf.Writer.create()
    .uint32((1 << 3) | 0)
    .int32(code)
    .uint32((2 << 3) | 2)
    .string(message)
    .finish();
}

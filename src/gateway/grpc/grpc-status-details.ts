import protobuf from 'protobufjs/light.js';

const RETRY_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.RetryInfo';

/**
 * `grpc-status-details-bin` for an answer the sender should retry: a
 * `google.rpc.Status` (`code = 1`, `message = 2`, `details = 3`) whose one
 * detail is a `google.rpc.RetryInfo` (`retry_delay = 1`, a
 * `google.protobuf.Duration` of `seconds = 1`), packed in a
 * `google.protobuf.Any` (`type_url = 1`, `value = 2`). The Collector's
 * OTLP exporter waits this long before it retries (its `retry_on_failure`),
 * as OTLP/gRPC specifies for `UNAVAILABLE` and `RESOURCE_EXHAUSTED`.
 */
export function retryStatusDetails(
  code: number,
  message: string,
  retryAfterSeconds: number,
): Buffer {
  const duration = protobuf.Writer.create()
    .uint32((1 << 3) | 0)
    .int64(retryAfterSeconds)
    .finish();
  const retryInfo = protobuf.Writer.create()
    .uint32((1 << 3) | 2)
    .bytes(duration)
    .finish();
  const any = protobuf.Writer.create()
    .uint32((1 << 3) | 2)
    .string(RETRY_INFO_TYPE_URL)
    .uint32((2 << 3) | 2)
    .bytes(retryInfo)
    .finish();
  return Buffer.from(
    protobuf.Writer.create()
      .uint32((1 << 3) | 0)
      .int32(code)
      .uint32((2 << 3) | 2)
      .string(message)
      .uint32((3 << 3) | 2)
      .bytes(any)
      .finish(),
  );
}

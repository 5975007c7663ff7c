import type * as GrpcJs from '@grpc/grpc-js';
import type { GrpcModule } from './load-grpc-js.js';
import { retryStatusDetails } from './grpc-status-details.js';

/** A gRPC status to end a call with, its trailers included. */
export interface GrpcRefusal {
  readonly code: number;
  readonly details: string;
  readonly metadata: GrpcJs.Metadata;
}

/** The gRPC status names the gateway answers with. */
export type GrpcCodeName =
  | 'INVALID_ARGUMENT'
  | 'DEADLINE_EXCEEDED'
  | 'RESOURCE_EXHAUSTED'
  | 'INTERNAL'
  | 'UNAVAILABLE'
  | 'UNAUTHENTICATED';

/**
 * A gRPC error status. With `retryAfterSeconds` the trailers say when to
 * retry, in the two forms senders read: `grpc-status-details-bin` holding a
 * `google.rpc.RetryInfo` (the Collector and the Go, Java and Python OTLP
 * exporters) and `grpc-retry-pushback-ms` (gRPC's own retry policy, grpc-js
 * included). Without it nothing invites a retry beyond what the code
 * itself means (OTLP/gRPC retries UNAVAILABLE and DEADLINE_EXCEEDED, never
 * INVALID_ARGUMENT, UNAUTHENTICATED or INTERNAL, and RESOURCE_EXHAUSTED
 * only with retry info).
 */
export function grpcRefusal(
  grpc: GrpcModule,
  name: GrpcCodeName,
  details: string,
  retryAfterSeconds?: number,
): GrpcRefusal {
  const code = grpc.status[name];
  const metadata = new grpc.Metadata();
  if (retryAfterSeconds !== undefined) {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    metadata.set(
      'grpc-status-details-bin',
      retryStatusDetails(code, details, seconds),
    );
    metadata.set('grpc-retry-pushback-ms', String(seconds * 1000));
  }
  return { code, details, metadata };
}

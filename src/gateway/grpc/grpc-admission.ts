import type * as GrpcJs from '@grpc/grpc-js';
import type { RequestTicket } from '../forward/request-ticket.js';
import type { TracesEndpointContext } from '../http/traces-endpoint.js';
import type { GrpcModule } from './load-grpc-js.js';
import { grpcRefusal, type GrpcRefusal } from './grpc-refusal.js';

/** The admission ticket of each admitted call, by its metadata object. */
export type AdmittedCalls = WeakMap<GrpcJs.Metadata, RequestTicket>;

/**
 * A server interceptor that admits each call on its metadata, before its
 * message is read, with the rules of the HTTP receiver: a wrong or missing
 * `authorization: Bearer` is UNAUTHENTICATED; while draining, while the
 * next hop is known to be down or the queue is full, or when every reading
 * slot is taken, UNAVAILABLE with retry info, the message never read. An
 * admitted call holds a reading slot until its message is in (within
 * `--body-timeout-seconds`, else DEADLINE_EXCEEDED), then its bytes
 * (`--max-queue-bytes`) and a queue slot, as an HTTP body does; the
 * handler finds its ticket in `admitted` and releases it.
 */
export function grpcAdmission(
  grpc: GrpcModule,
  context: TracesEndpointContext,
  admitted: AdmittedCalls,
  count: (code: number) => void,
): GrpcJs.ServerInterceptor {
  return (_method, call) => {
    let ticket: RequestTicket | undefined;
    let timer: NodeJS.Timeout | undefined;
    let refused = false;
    /** Bytes of the message counted so far, as they arrived on the wire. */
    let counted = 0;
    const refuse = (refusal: GrpcRefusal): void => {
      refused = true;
      clearTimeout(timer);
      ticket?.release();
      count(refusal.code);
      call.sendStatus(refusal);
    };
    return new grpc.ServerInterceptingCall(call, {
      start: next => {
        next({
          onReceiveMetadata: (metadata, nextMetadata) => {
            const early = refusalOf(grpc, metadata, context);
            if (early !== undefined) return refuse(early);
            ticket = context.pending.startReading(Date.now());
            if (ticket === undefined) {
              return refuse(
                grpcRefusal(
                  grpc,
                  'UNAVAILABLE',
                  'gateway is receiving too many requests at once',
                  context.retryAfterSeconds,
                ),
              );
            }
            const held = ticket;
            held.evicted.addEventListener('abort', () => {
              // Evicted only while its message is still arriving.
              if (!refused) {
                refuse(
                  grpcRefusal(
                    grpc,
                    'UNAVAILABLE',
                    (held.evicted.reason as Error).message,
                    context.retryAfterSeconds,
                  ),
                );
              }
            });
            const timeoutMillis = context.limits.timeoutMillis;
            if (timeoutMillis !== undefined) {
              timer = setTimeout(() => {
                refuse(
                  grpcRefusal(
                    grpc,
                    'DEADLINE_EXCEEDED',
                    `request message not received within ${timeoutMillis / 1000} s (--body-timeout-seconds)`,
                  ),
                );
              }, timeoutMillis);
            }
            // Counted as they arrive, as HTTP counts a body: grpc-js holds
            // the message until it is complete.
            wireOf(call)?.on('data', (chunk: Buffer) => {
              if (refused || !held.receiving) return;
              if (!held.reserve(chunk.byteLength)) {
                refuse(
                  grpcRefusal(
                    grpc,
                    'UNAVAILABLE',
                    'gateway queue is full (bytes)',
                    context.retryAfterSeconds,
                  ),
                );
                return;
              }
              counted += chunk.byteLength;
            });
            admitted.set(metadata, held);
            nextMetadata(metadata);
          },
          onReceiveMessage: (message: Buffer, nextMessage) => {
            if (refused || ticket === undefined) return;
            clearTimeout(timer);
            // Inflated, a message may be larger than what arrived.
            const more = Math.max(0, message.byteLength - counted);
            ticket.received();
            if (!ticket.reserve(more) || !ticket.admit()) {
              return refuse(
                grpcRefusal(
                  grpc,
                  'UNAVAILABLE',
                  'gateway queue is full',
                  context.retryAfterSeconds,
                ),
              );
            }
            nextMessage(message);
          },
          onReceiveHalfClose: nextHalfClose => {
            if (!refused) nextHalfClose();
          },
          onCancel: () => {
            clearTimeout(timer);
            refused = true;
            ticket?.release();
          },
        });
      },
    });
  };
}

/**
 * The call's HTTP/2 stream, where grpc-js keeps it (1.10 to 1.14: the
 * innermost call's `stream`); undefined elsewhere, and then a message's
 * bytes are counted only once it is complete (still within
 * `--max-decompressed-bytes` per call and `--max-reading-requests` calls).
 */
function wireOf(call: unknown): NodeJS.EventEmitter | undefined {
  const stream = (call as { stream?: unknown }).stream;
  return typeof (stream as NodeJS.EventEmitter | undefined)?.on === 'function'
    ? (stream as NodeJS.EventEmitter)
    : undefined;
}

/** Refused on its metadata alone, as HTTP refuses on its headers. */
function refusalOf(
  grpc: GrpcModule,
  metadata: GrpcJs.Metadata,
  context: TracesEndpointContext,
): GrpcRefusal | undefined {
  const authorization = metadata.get('authorization')[0];
  if (
    !context.token.accepts(
      typeof authorization === 'string' ? authorization : undefined,
    )
  ) {
    return grpcRefusal(
      grpc,
      'UNAUTHENTICATED',
      'missing or invalid bearer token',
    );
  }
  if (context.isDraining()) {
    return grpcRefusal(
      grpc,
      'UNAVAILABLE',
      'gateway is shutting down',
      context.retryAfterSeconds,
    );
  }
  const down = context.health.retryAfterSeconds(Date.now());
  if (down !== undefined) {
    return grpcRefusal(
      grpc,
      'UNAVAILABLE',
      `next hop unavailable (${context.health.lastError ?? 'down'})`,
      down,
    );
  }
  if (context.pending.full) {
    return grpcRefusal(
      grpc,
      'UNAVAILABLE',
      'gateway queue is full',
      context.retryAfterSeconds,
    );
  }
  return undefined;
}

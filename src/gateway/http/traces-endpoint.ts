import { diag } from '@opentelemetry/api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ForwardOutcome } from '../forward/forward-outcome.js';
import type { NextHopHealth } from '../forward/next-hop-health.js';
import type { PendingRequests } from '../forward/pending-requests.js';
import type { GatewayStats } from '../gateway-stats.js';
import type { DecodeLimits } from '../otlp/decode-limits.js';
import { OtlpDecodeError } from '../otlp/otlp-decode-error.js';
import { otlpFormatOf } from '../otlp/otlp-content-type.js';
import type { RequestEnricher } from '../pipeline/request-enricher.js';
import type { BearerToken } from './bearer-token.js';
import { exportBody } from './export-body.js';
import { replyError } from './otlp-replies.js';
import {
  ClientGoneError,
  contentEncodingOf,
  readRequestBody,
  RequestBodyError,
  type BodyLimits,
} from './read-request-body.js';

export interface TracesEndpointContext {
  readonly token: BearerToken;
  readonly limits: BodyLimits;
  /** What one request may decode into (spans, items, value depth). */
  readonly decodeLimits: DecodeLimits;
  readonly pending: PendingRequests;
  readonly health: NextHopHealth;
  readonly enricher: RequestEnricher;
  readonly forward: (payload: Uint8Array) => Promise<ForwardOutcome>;
  /** Retry-After when the next hop gave none or the queue is full. */
  readonly retryAfterSeconds: number;
  readonly isDraining: () => boolean;
  readonly stats: GatewayStats;
}

/**
 * `POST /v1/traces`: authenticate (before reading anything), check type and
 * size, read and decode, price, forward, and answer 200 only once the next
 * hop accepted the data. While the next hop is down or the queue is full:
 * 503 with `Retry-After`, so the sender retries and nothing it was told is
 * accepted is lost. The body's last byte must arrive within
 * `--body-timeout-seconds` (else 408 and the connection is closed); the
 * gateway's own work after that (inflating, waiting to decode, pricing,
 * forwarding) is not timed. It holds a reading slot and its bytes while it
 * arrives and inflates, and a queue slot only once complete.
 */
export async function handleTraces(
  request: IncomingMessage,
  response: ServerResponse,
  context: TracesEndpointContext,
): Promise<void> {
  const format = otlpFormatOf(request.headers['content-type']);
  const reply = (
    status: number,
    message: string,
    retryAfterSeconds?: number,
    close = false,
  ): void => {
    context.stats.responses[status] =
      (context.stats.responses[status] ?? 0) + 1;
    replyError(request, response, status, message, format ?? 'json', {
      retryAfterSeconds,
      close,
      ...(status === 401 ? { headers: { 'www-authenticate': 'Bearer' } } : {}),
    });
  };

  if (!context.token.accepts(request.headers.authorization)) {
    return reply(401, 'missing or invalid bearer token');
  }
  if (format === undefined) {
    return reply(
      415,
      `unsupported Content-Type ${JSON.stringify(request.headers['content-type'] ?? '')}: use application/x-protobuf or application/json`,
    );
  }
  const encoding = contentEncodingOf(request.headers['content-encoding']);
  if (encoding === undefined) {
    return reply(
      400,
      `unsupported Content-Encoding ${JSON.stringify(request.headers['content-encoding'])}: use gzip, deflate or none`,
    );
  }
  const declaredLength = Number(request.headers['content-length']);
  if (declaredLength > context.limits.maxBodyBytes) {
    return reply(
      413,
      `request body of ${declaredLength} bytes exceeds ${context.limits.maxBodyBytes} bytes (--max-body-bytes)`,
    );
  }
  if (context.isDraining()) {
    return reply(503, 'gateway is shutting down', context.retryAfterSeconds);
  }
  const down = context.health.retryAfterSeconds(Date.now());
  if (down !== undefined) {
    return reply(
      503,
      `next hop unavailable (${context.health.lastError ?? 'down'})`,
      down,
    );
  }
  if (context.pending.full) {
    return reply(503, 'gateway queue is full', context.retryAfterSeconds);
  }
  // A reading slot, not a queue slot: the queue slot is taken only once the
  // whole body is here, so slow senders cannot hold the queue.
  const ticket = context.pending.startReading(Date.now());
  if (ticket === undefined) {
    // Not read at all: close rather than wait for a body nobody will read.
    return reply(
      503,
      'gateway is receiving too many request bodies at once',
      context.retryAfterSeconds,
      true,
    );
  }
  try {
    const body = await readRequestBody(
      request,
      encoding,
      context.limits,
      ticket,
    );
    if (!ticket.admit()) {
      return reply(503, 'gateway queue is full', context.retryAfterSeconds);
    }
    await exportBody(body, format, context, response, reply);
  } catch (error) {
    if (error instanceof ClientGoneError) return;
    if (error instanceof RequestBodyError) {
      // A sender cut off for slowness loses its connection too.
      const cutOff = error.status === 408 || ticket.evicted.aborted;
      return reply(
        error.status,
        error.message,
        error.status === 503 ? context.retryAfterSeconds : undefined,
        cutOff,
      );
    }
    if (error instanceof OtlpDecodeError) {
      return reply(error.status, error.message);
    }
    diag.error('otel-genai-cost gateway: failed to process a request', error);
    return reply(500, `internal error: ${(error as Error).message}`);
  } finally {
    ticket.release();
  }
}

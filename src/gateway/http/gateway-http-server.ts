import { diag } from '@opentelemetry/api';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { GatewayStats } from '../gateway-stats.js';
import { handleTraces, type TracesEndpointContext } from './traces-endpoint.js';
import { replyError } from './otlp-replies.js';

export const TRACES_PATH = '/v1/traces';

/** What `/healthz` and `/readyz` report. */
export interface GatewayStatus {
  readonly ready: boolean;
  readonly reason: string | undefined;
  readonly details: Record<string, unknown>;
  readonly stats: GatewayStats;
}

/** How long a client may take, and how many may be connected. */
export interface ConnectionLimits {
  /**
   * `--body-timeout-seconds`: the headers must arrive within it (Node
   * answers 408 and closes), then the body's last byte within it again (the
   * traces endpoint answers 408 and closes). Only the sender is timed: what
   * the gateway does with a body that has arrived is not.
   */
  readonly requestTimeoutSeconds: number;
  /** `--max-connections`: more are closed as soon as they are accepted. */
  readonly maxConnections: number;
}

/** An idle keep-alive connection is closed after this long. */
const KEEP_ALIVE_MILLIS = 5_000;
/** How often Node checks headers and request timeouts. */
const TIMEOUT_CHECK_MILLIS = 1_000;

/**
 * The gateway's HTTP server: `POST /v1/traces` (OTLP/HTTP), `GET /healthz`
 * (liveness: 200 while the process serves), `GET /readyz` (readiness: 503
 * while the next hop is down, the queue is full or the gateway drains;
 * not for connections that are merely slow to send).
 */
export function createGatewayHttpServer(
  context: TracesEndpointContext,
  status: () => GatewayStatus,
  limits: ConnectionLimits,
): Server {
  const timeoutMillis = limits.requestTimeoutSeconds * 1000;
  const options = {
    headersTimeout: timeoutMillis,
    // A backstop for whatever no endpoint reads: headers, then a body.
    // Node counts it until the request's last byte is parsed, never while
    // a complete request waits for its answer; the traces endpoint reads
    // every body as it arrives, so this never fires on a body that has
    // arrived (test/gateway/hostile/body-timeout-under-load.test.ts).
    requestTimeout: 2 * timeoutMillis + TIMEOUT_CHECK_MILLIS,
    connectionsCheckingInterval: TIMEOUT_CHECK_MILLIS,
    keepAliveTimeout: KEEP_ALIVE_MILLIS,
  };
  const server = createServer(options, (request, response) => {
    const path = (request.url ?? '/').split('?', 1)[0];
    if (path === TRACES_PATH) {
      if (request.method !== 'POST') {
        replyError(request, response, 405, 'use POST', 'json', {
          headers: { allow: 'POST' },
        });
        return;
      }
      handleTraces(request, response, context).catch((error: unknown) => {
        diag.error('otel-genai-cost gateway: unexpected error', error);
        response.destroy();
      });
      return;
    }
    if (
      request.method === 'GET' &&
      (path === '/healthz' || path === '/readyz')
    ) {
      const current = status();
      const ok = path === '/healthz' || current.ready;
      sendJson(response, ok ? 200 : 503, {
        status: ok ? 'ok' : 'unavailable',
        ...(current.reason === undefined ? {} : { reason: current.reason }),
        ...current.details,
        stats: current.stats,
      });
      return;
    }
    replyError(
      request,
      response,
      404,
      `not found: POST ${TRACES_PATH}, GET /healthz or /readyz`,
      'json',
    );
  });
  server.keepAliveTimeout = KEEP_ALIVE_MILLIS;
  server.maxConnections = limits.maxConnections;
  return server;
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

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

/**
 * The gateway's HTTP server: `POST /v1/traces` (OTLP/HTTP), `GET /healthz`
 * (liveness: 200 while the process serves), `GET /readyz` (readiness: 503
 * while the next hop is down, the queue is full or the gateway drains).
 */
export function createGatewayHttpServer(
  context: TracesEndpointContext,
  status: () => GatewayStatus,
): Server {
  const server = createServer((request, response) => {
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
  server.requestTimeout = 120_000;
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

/**
 * A local OTLP/HTTP trace receiver on 127.0.0.1 (ephemeral port unless one
 * is given): the stand-in for a Collector or a backend in every test that
 * sends spans over the wire.
 *
 * It records every request (method, path, headers, the body as sent and
 * after undoing `Content-Encoding: gzip`), answers 200 with an empty
 * `ExportTraceServiceResponse` (`{}` for OTLP/JSON, an empty protobuf
 * otherwise), a scripted status, or holds requests unanswered until
 * `release()` (a slow next hop). `spans()` decodes the accepted requests,
 * protobuf or JSON, with the gateway's decoder (vendored official protos).
 * It can be stopped and restarted on the same port (the next hop going down).
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { decodeExportTraceRequest } from '../../src/gateway/otlp/decode-export-trace-request.js';
import { readOtlpAttributes } from '../../src/gateway/span/otlp-attribute-values.js';
import { toHex } from '../../src/gateway/span/otlp-span-view.js';
import type { SpanAttributes } from '../../src/core/span-like.js';

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly contentType: string;
  /** The body as sent (possibly gzip). */
  readonly rawBody: Buffer;
  /** The body after undoing `Content-Encoding: gzip`. */
  readonly body: Buffer;
}

export interface ReceivedSpan {
  readonly name: string;
  readonly scope: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly attributes: SpanAttributes;
}

export type ReceiverMode =
  | { readonly kind: 'ok' }
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly retryAfter?: string;
    }
  /** Keep requests unanswered until `release()` (then 200). */
  | { readonly kind: 'hold' };

export interface OtlpReceiver {
  /** `http://127.0.0.1:<port>/v1/traces`. */
  readonly url: string;
  /** `http://127.0.0.1:<port>`, for `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  readonly origin: string;
  readonly port: number;
  /** Every request received, whatever the answer, in order. */
  readonly received: ReceivedRequest[];
  /** Requests answered with 200, in order. */
  readonly accepted: ReceivedRequest[];
  /** Every span of every accepted request, decoded. */
  spans(): ReceivedSpan[];
  setMode(mode: ReceiverMode): void;
  /** Answers the requests held in `hold` mode with 200 (they count as accepted). */
  release(): void;
  /** Requests currently held. */
  readonly held: number;
  /** Closes the listening socket (connections refused) until `start()`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startOtlpReceiver(port = 0): Promise<OtlpReceiver> {
  let mode: ReceiverMode = { kind: 'ok' };
  const received: ReceivedRequest[] = [];
  const accepted: ReceivedRequest[] = [];
  const held: (() => void)[] = [];
  let server: Server | undefined;
  let boundPort = port;

  const listen = async (): Promise<void> => {
    const created = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks);
        const gzip = req.headers['content-encoding'] === 'gzip';
        const request: ReceivedRequest = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          contentType: req.headers['content-type'] ?? '',
          rawBody,
          body: gzip ? gunzipSync(rawBody) : rawBody,
        };
        received.push(request);
        const json = request.contentType.startsWith('application/json');
        const accept = (): void => {
          accepted.push(request);
          res.writeHead(200, {
            'content-type': json
              ? 'application/json'
              : 'application/x-protobuf',
          });
          res.end(json ? '{}' : undefined);
        };
        if (mode.kind === 'hold') {
          held.push(accept);
        } else if (mode.kind === 'status') {
          const headers: Record<string, string> = {
            'content-type': 'text/plain',
          };
          if (mode.retryAfter !== undefined)
            headers['retry-after'] = mode.retryAfter;
          res.writeHead(mode.status, headers).end(`sink says ${mode.status}`);
        } else {
          accept();
        }
      });
    });
    created.listen(boundPort, '127.0.0.1');
    await once(created, 'listening');
    boundPort = (created.address() as AddressInfo).port;
    server = created;
  };

  const stop = async (): Promise<void> => {
    const current = server;
    server = undefined;
    if (current === undefined) return;
    current.closeAllConnections();
    await new Promise<void>(resolve => current.close(() => resolve()));
  };

  await listen();
  const origin = `http://127.0.0.1:${boundPort}`;
  return {
    url: `${origin}/v1/traces`,
    origin,
    port: boundPort,
    received,
    accepted,
    spans: () => accepted.flatMap(decodeSpans),
    setMode(next) {
      mode = next;
    },
    release() {
      for (const accept of held.splice(0)) accept();
    },
    get held() {
      return held.length;
    },
    stop,
    start: listen,
    close: stop,
  };
}

function decodeSpans({ contentType, body }: ReceivedRequest): ReceivedSpan[] {
  const format = contentType.startsWith('application/json')
    ? 'json'
    : 'protobuf';
  const request = decodeExportTraceRequest(new Uint8Array(body), format);
  return request.resourceSpans.flatMap(resourceSpans =>
    resourceSpans.scopeSpans.flatMap(scopeSpans =>
      scopeSpans.spans.map(span => {
        const parent = span.parentSpanId;
        return {
          name: span.name,
          scope: scopeSpans.scope?.name ?? '',
          traceId: toHex(span.traceId),
          spanId: toHex(span.spanId),
          parentSpanId:
            parent === undefined || parent.length === 0
              ? undefined
              : toHex(parent),
          attributes: readOtlpAttributes(span.attributes),
        };
      }),
    ),
  );
}

/**
 * A stand-in for the next hop (a Collector's OTLP/HTTP receiver): records
 * every POST body (decompressed) and answers 200 with an empty
 * `ExportTraceServiceResponse`, or a configured failure, or holds requests
 * unanswered (a slow next hop). It can be stopped
 * and restarted on the same port to simulate the next hop going down.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface SinkRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The body as sent (possibly gzip). */
  readonly rawBody: Buffer;
  /** The body after undoing `Content-Encoding: gzip`. */
  readonly body: Buffer;
}

export type SinkMode =
  | { readonly kind: 'ok' }
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly retryAfter?: string;
    }
  /** Keep requests unanswered until `release()` (then 200). */
  | { readonly kind: 'hold' };

export interface OtlpSink {
  /** `http://127.0.0.1:<port>/v1/traces`. */
  readonly url: string;
  readonly port: number;
  /** Requests answered with 200, in order. */
  readonly accepted: SinkRequest[];
  /** Every request received, whatever the answer. */
  readonly received: SinkRequest[];
  setMode(mode: SinkMode): void;
  /** Answers the requests held in `hold` mode with 200 (they count as accepted). */
  release(): void;
  /** Requests currently held. */
  readonly held: number;
  /** Closes the listening socket (connections refused) until `start()`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startOtlpSink(port = 0): Promise<OtlpSink> {
  let mode: SinkMode = { kind: 'ok' };
  const accepted: SinkRequest[] = [];
  const received: SinkRequest[] = [];
  let server: Server | undefined;
  const held: (() => void)[] = [];
  let boundPort = port;

  const listen = async (): Promise<void> => {
    const created = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks);
        const body =
          req.headers['content-encoding'] === 'gzip'
            ? gunzipSync(rawBody)
            : rawBody;
        const request = {
          path: req.url ?? '',
          headers: req.headers,
          rawBody,
          body,
        };
        received.push(request);
        const accept = (): void => {
          accepted.push(request);
          res
            .writeHead(200, { 'content-type': 'application/x-protobuf' })
            .end();
        };
        if (mode.kind === 'hold') {
          held.push(accept);
          return;
        }
        if (mode.kind === 'status') {
          const headers: Record<string, string> = {
            'content-type': 'text/plain',
          };
          if (mode.retryAfter !== undefined)
            headers['retry-after'] = mode.retryAfter;
          res.writeHead(mode.status, headers).end(`sink says ${mode.status}`);
          return;
        }
        accept();
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
  return {
    url: `http://127.0.0.1:${boundPort}/v1/traces`,
    port: boundPort,
    accepted,
    received,
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

/**
 * A local OTLP/HTTP trace receiver for end-to-end tests: `node:http` on
 * 127.0.0.1 (ephemeral port) that keeps every request body and decodes it,
 * protobuf or JSON, with the gateway's decoder (vendored official protos).
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { decodeExportTraceRequest } from '../../src/gateway/otlp/decode-export-trace-request.js';
import { readOtlpAttributes } from '../../src/gateway/span/otlp-attribute-values.js';
import { toHex } from '../../src/gateway/span/otlp-span-view.js';
import type { SpanAttributes } from '../../src/entries/core.js';

export interface ReceivedSpan {
  readonly name: string;
  readonly scope: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly attributes: SpanAttributes;
}

export interface ReceivedRequest {
  readonly contentType: string;
  readonly body: Buffer;
}

export interface OtlpReceiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Every span of every request, decoded. */
  spans(): ReceivedSpan[];
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const contentType = req.headers['content-type'] ?? '';
      requests.push({ contentType, body });
      const json = contentType.startsWith('application/json');
      res.writeHead(200, {
        'content-type': json ? 'application/json' : 'application/x-protobuf',
      });
      res.end(json ? '{}' : Buffer.alloc(0));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    requests,
    spans() {
      const spans: ReceivedSpan[] = [];
      for (const { contentType, body } of requests) {
        const format = contentType.startsWith('application/json')
          ? 'json'
          : 'protobuf';
        const request = decodeExportTraceRequest(new Uint8Array(body), format);
        for (const resourceSpans of request.resourceSpans) {
          for (const scopeSpans of resourceSpans.scopeSpans) {
            for (const span of scopeSpans.spans) {
              const parent = span.parentSpanId;
              spans.push({
                name: span.name,
                scope: scopeSpans.scope?.name ?? '',
                traceId: toHex(span.traceId),
                spanId: toHex(span.spanId),
                parentSpanId:
                  parent === undefined || parent.length === 0
                    ? undefined
                    : toHex(parent),
                attributes: readOtlpAttributes(span.attributes),
              });
            }
          }
        }
      }
      return spans;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) =>
        server.close(error => (error ? reject(error) : resolve())),
      );
    },
  };
}

/**
 * What the next hop receives from NextHopClient, request after request: the
 * method, the URL's path and query, the configured headers, then
 * content-type, content-length and (gzip) content-encoding in that order,
 * and the payload. The request options and the first headers are made once
 * per client: a request must not carry another's length or encoding, and
 * the URL's parts must be the ones Node reads from the URL itself.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NextHopClient } from '../../../src/gateway/forward/next-hop-client.js';

interface Received {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly rawHeaders: string[];
  readonly body: Buffer;
}

let server: Server;
let port: number;
const received: Received[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        method: req.method,
        url: req.url,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks),
      });
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>(resolve => server.close(() => resolve()));
});

/** Header names and values as sent, minus the ones Node adds (host, connection). */
function sentHeaders(rawHeaders: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    if (name === 'host' || name === 'connection') continue;
    pairs.push([name, rawHeaders[i + 1] as string]);
  }
  return pairs;
}

describe('NextHopClient requests', () => {
  for (const compression of ['gzip', 'none'] as const) {
    it(`sends each payload with its own length (${compression})`, async () => {
      const client = new NextHopClient({
        url: new URL(`http://127.0.0.1:${port}/otlp/v1/traces?tenant=a%20b`),
        headers: { authorization: 'Bearer t0k', 'x-scope-orgid': 'acme' },
        compression,
        timeoutMillis: 5000,
        maxSockets: 2,
      });
      try {
        const payloads = [
          Buffer.alloc(300, 7),
          Buffer.from('a'),
          Buffer.alloc(70_000, 1),
          Buffer.alloc(0),
        ];
        for (const payload of payloads) {
          const before = received.length;
          const outcome = await client.send(payload);
          expect(outcome).toEqual({ kind: 'ok', warning: undefined });
          const got = received[before] as Received;
          expect(got.method).toBe('POST');
          expect(got.url).toBe('/otlp/v1/traces?tenant=a%20b');
          const body = compression === 'gzip' ? gunzipSync(got.body) : got.body;
          expect(body.equals(payload)).toBe(true);
          expect(sentHeaders(got.rawHeaders)).toEqual([
            ['authorization', 'Bearer t0k'],
            ['x-scope-orgid', 'acme'],
            ['content-type', 'application/x-protobuf'],
            ['content-length', String(got.body.length)],
            ...(compression === 'gzip'
              ? [['content-encoding', 'gzip'] as [string, string]]
              : []),
          ]);
        }
      } finally {
        client.close();
      }
    });
  }

  it('answers retryable when the next hop does not answer in time', async () => {
    const silent = createServer(() => undefined);
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const client = new NextHopClient({
      url: new URL(
        `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1/traces`,
      ),
      headers: {},
      compression: 'gzip',
      timeoutMillis: 100,
      maxSockets: 1,
    });
    try {
      const outcome = await client.send(Buffer.from('x'));
      expect(outcome).toEqual({
        kind: 'retryable',
        retryAfterSeconds: undefined,
        message: 'next hop unreachable: no answer within 100 ms',
      });
    } finally {
      client.close();
      silent.closeAllConnections();
      await new Promise<void>(resolve => silent.close(() => resolve()));
    }
  });
});

/**
 * Who gives a forwarded payload's memory back, and when. The next-hop
 * client gives a payload of `forwardPayloads` back once gzip has read it,
 * never one it sends uncompressed (the socket may still read it): the next
 * take must not change what an in-flight request sends. Through the whole
 * gateway, requests forwarded at once to a slow next hop that refuses some
 * of them (retried by the sender) must each arrive with their own bytes.
 */
import { once } from 'node:events';
import {
  createServer,
  request,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { startGateway } from '../../../src/gateway/cost-gateway.js';
import { NextHopClient } from '../../../src/gateway/forward/next-hop-client.js';
import { forwardPayloads } from '../../../src/gateway/forward/payload-buffers.js';
import {
  referenceDecode,
  type ComparableSpan,
} from '../helpers/reference-decoder.js';
import { ld, requestOf, tinySpan } from '../helpers/hostile-bodies.js';

const KB = 1024;

function textOf(span: ComparableSpan, key: string): string {
  return (span.attributes[key] as { s: string } | undefined)?.s ?? '';
}

function numberOf(span: ComparableSpan): string {
  return textOf(span, 'request.number');
}

interface Held {
  readonly body: Buffer;
  answer(status: number): void;
}

/** A next hop that holds each request until the test answers it. */
async function startHoldingSink(): Promise<{
  url: URL;
  next(): Promise<Held>;
  close(): Promise<void>;
}> {
  const waiting: Held[] = [];
  const wanted: ((held: Held) => void)[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const held: Held = {
        body:
          req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body,
        answer: status =>
          res
            .writeHead(status, { 'content-type': 'application/x-protobuf' })
            .end(),
      };
      const taker = wanted.shift();
      if (taker === undefined) waiting.push(held);
      else taker(held);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: new URL(
      `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`,
    ),
    next: () =>
      new Promise(resolve => {
        const held = waiting.shift();
        if (held === undefined) wanted.push(resolve);
        else resolve(held);
      }),
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function pattern(size: number, seed: number): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

describe('forwarded payload memory', () => {
  for (const compression of ['gzip', 'none'] as const) {
    it(`is ${compression === 'gzip' ? 'given back once gzipped' : 'kept while the request may read it'} (${compression})`, async () => {
      const sink = await startHoldingSink();
      const client = new NextHopClient({
        url: sink.url,
        headers: {},
        compression,
        timeoutMillis: 5000,
        maxSockets: 2,
      });
      try {
        const expected = pattern(200 * KB, 7);
        const payload = forwardPayloads.take(expected.length);
        expected.copy(payload);
        const sent = client.send(payload);
        // While the request is in flight, the next payload is written.
        const next = forwardPayloads.take(expected.length);
        next.fill(0xee);
        if (compression === 'gzip') expect(next.buffer).toBe(payload.buffer);
        else expect(next.buffer).not.toBe(payload.buffer);
        const held = await sink.next();
        held.answer(200);
        expect((await sent).kind).toBe('ok');
        expect(held.body.equals(expected)).toBe(true);
        if (compression === 'none') {
          // Not given back after the answer either.
          const after = forwardPayloads.take(expected.length);
          expect(after.buffer).not.toBe(payload.buffer);
          forwardPayloads.release(after);
        }
        forwardPayloads.release(next);
      } finally {
        client.close();
        await sink.close();
      }
    });
  }

  for (const forwardCompression of ['gzip', 'none'] as const) {
    it(`each request through the gateway forwards its own spans, with retries and overlap (${forwardCompression})`, async () => {
      const sink = await startHoldingSink();
      const gateway = await startGateway({
        listen: { host: '127.0.0.1', port: 0 },
        forward: sink.url,
        forwardCompression,
        env: {},
        retryAfterSeconds: 1,
      });
      /** A request of about 100 KB whose spans all carry its number. */
      const requestNumbered = (n: number): Buffer => {
        const spans: Buffer[] = [];
        for (let i = 0; i < 12; i++) {
          const kv = (key: string, value: string): Buffer =>
            ld(
              0x4a,
              ld(0x0a, Buffer.from(key)),
              ld(0x12, ld(0x0a, Buffer.from(value))),
            );
          spans.push(
            tinySpan(
              kv('gen_ai.system', 'openai'),
              kv('gen_ai.request.model', 'gpt-4o'),
              kv('request.number', String(n)),
              kv(
                'filler',
                String(n)
                  .repeat(8 * KB)
                  .slice(0, 8 * KB),
              ),
            ),
          );
        }
        return requestOf(...spans);
      };
      const post = (body: Buffer): Promise<number> =>
        new Promise((resolve, reject) => {
          const gz = gzipSync(body);
          const req = request(
            gateway.url,
            {
              method: 'POST',
              headers: {
                'content-type': 'application/x-protobuf',
                'content-encoding': 'gzip',
                'content-length': gz.length,
              },
            },
            res => {
              res.resume();
              res.on('end', () => resolve(res.statusCode ?? 0));
            },
          );
          req.on('error', reject);
          req.end(gz);
        });
      try {
        const numbers = [1, 2, 3, 4, 5, 6];
        const answers = numbers.map(n => post(requestNumbered(n)));
        // Every request is forwarded while the others are in flight or being
        // written; the first one is refused (503), the rest accepted later.
        const held: Held[] = [];
        for (let i = 0; i < numbers.length; i++) held.push(await sink.next());
        const seen = held.map(one => {
          const spans = referenceDecode(one.body);
          const values = new Set(spans.map(span => numberOf(span)));
          expect(values.size).toBe(1);
          expect(spans).toHaveLength(12);
          for (const span of spans) {
            // Updated by the gateway (its cost attributes appended).
            expect(
              Object.keys(span.attributes).some(key =>
                key.startsWith('gen_ai.cost.'),
              ),
            ).toBe(true);
            expect(textOf(span, 'filler')).toBe(
              numberOf(span)
                .repeat(8 * KB)
                .slice(0, 8 * KB),
            );
          }
          return [...values][0];
        });
        expect([...seen].sort()).toEqual(numbers.map(String));
        (held[0] as Held).answer(503);
        for (const one of held.slice(1)) one.answer(200);
        const statuses = await Promise.all(answers);
        expect(statuses.filter(status => status === 200)).toHaveLength(5);
        // The refused one, sent again once the next hop is back, arrives whole.
        const refused = Number(seen[0]);
        await new Promise(resolve => setTimeout(resolve, 1100));
        const again = post(requestNumbered(refused));
        const retried = await sink.next();
        retried.answer(200);
        expect(await again).toBe(200);
        const spans = referenceDecode(retried.body);
        expect(spans).toHaveLength(12);
        for (const span of spans) {
          expect(numberOf(span)).toBe(String(refused));
        }
      } finally {
        await gateway.shutdown();
        await sink.close();
      }
    });
  }
});

/**
 * `--body-timeout-seconds` times the sender, never the gateway (issue 9,
 * attack finding 3): a body whose last byte has arrived is not cut off
 * while the gateway inflates it, while other requests keep the decode lane
 * busy or while the next hop takes its time, and Node's own request timeout
 * does not fire on it either. A sender that trickles its bytes is still cut
 * off with 408.
 *
 * The sender runs in a child process, so that a slow event loop in the
 * gateway's process (`slowEventLoop`: every turn made long, as decode
 * slices make them under load) slows the gateway only, not the sender.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startGatewayFixture,
  type GatewayFixture,
} from '../helpers/gateway-fixture.js';
import {
  amplifyingProtobuf,
  emptyResourceSpansJson,
} from '../helpers/hostile-bodies.js';
import {
  chatAttributes,
  JSON_HEADERS,
  otlpJson,
} from '../helpers/otlp-json.js';
import { rawRequest, rpcStatusOf } from '../helpers/raw-http.js';

const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const MiB = 1024 * 1024;

let fixture: GatewayFixture | undefined;
let stopSlowLoop: (() => void) | undefined;
afterEach(async () => {
  stopSlowLoop?.();
  stopSlowLoop = undefined;
  await fixture?.close();
  fixture = undefined;
});

/** An OTLP/JSON request with one span carrying `value` as an attribute. */
function jsonWithValue(value: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: 'ab'.repeat(16),
                  spanId: 'cd'.repeat(8),
                  name: 'big',
                  attributes: [
                    { key: 'prompt', value: { stringValue: value } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    }),
  );
}

/** Makes every turn of this process's event loop last `turnMillis`. */
function slowEventLoop(turnMillis: number): () => void {
  let running = true;
  const spin = (): void => {
    if (!running) return;
    const until = performance.now() + turnMillis;
    while (performance.now() < until) {
      // A long turn, as a decode slice of another request makes one.
    }
    setImmediate(spin);
  };
  setImmediate(spin);
  return () => {
    running = false;
  };
}

interface ChildAnswer {
  readonly status?: number;
  readonly connection?: string;
  readonly body?: string;
  readonly error?: string;
}

/** Sends from a child process: the body in `pieces`, `gapMillis` apart. */
const SENDER = `
const http = require('node:http');
const [url, headers, pieces, gapMillis] = process.argv.slice(1);
const chunks = [];
process.stdin.on('data', chunk => chunks.push(chunk));
process.stdin.on('end', () => {
  const body = Buffer.concat(chunks);
  let done = false;
  const report = answer => {
    if (done) return;
    done = true;
    process.stdout.write(JSON.stringify(answer));
    process.exit(0);
  };
  const request = http.request(url, {
    method: 'POST',
    headers: { ...JSON.parse(headers), 'content-length': body.length },
  }, response => {
    let text = '';
    response.setEncoding('latin1');
    response.on('data', part => (text += part));
    response.on('end', () => report({
      status: response.statusCode,
      connection: response.headers.connection,
      body: text,
    }));
  });
  request.on('error', error => setTimeout(() => report({ error: error.code }), 200));
  const count = Number(pieces);
  const size = Math.ceil(body.length / count);
  let index = 0;
  const next = () => {
    const part = body.subarray(index * size, (index + 1) * size);
    index += 1;
    if (index >= count) request.end(part);
    else {
      request.write(part);
      setTimeout(next, Number(gapMillis));
    }
  };
  next();
});
`;

function sendFromChild(
  url: string,
  headers: Record<string, string>,
  body: Buffer,
  pieces = 1,
  gapMillis = 0,
): Promise<ChildAnswer> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '-e',
        SENDER,
        url,
        JSON.stringify(headers),
        String(pieces),
        String(gapMillis),
      ],
      { stdio: ['pipe', 'pipe', 'inherit'], timeout: 60_000 },
    );
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => (out += text));
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve(JSON.parse(out) as ChildAnswer);
      } catch {
        reject(new Error(`sender printed ${JSON.stringify(out)}`));
      }
    });
    child.stdin.end(body);
  });
}

function queueOf(current: GatewayFixture): {
  requests: number;
  bytes: number;
  reading: number;
} {
  return current.gateway.status().details.queue as {
    requests: number;
    bytes: number;
    reading: number;
  };
}

const ENCODINGS = [
  ['gzip', gzipSync],
  ['deflate', deflateSync],
] as const;

describe('a body that has arrived is not timed while the gateway works on it', () => {
  it('a small gzip body sent at once is not answered 408 while other senders keep the decode lane busy', async () => {
    fixture = await startGatewayFixture();
    const url = fixture.gateway.url;
    const hostile = [
      {
        body: amplifyingProtobuf('empty-attributes', 999_980),
        headers: PROTOBUF,
      },
      {
        body: amplifyingProtobuf('empty-array-values', 999_980),
        headers: PROTOBUF,
      },
      {
        body: amplifyingProtobuf('bool-attributes', 499_990),
        headers: PROTOBUF,
      },
      {
        body: gzipSync(emptyResourceSpansJson(999_990)),
        headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' },
      },
    ];
    const until = Date.now() + 25_000;
    const attack = async (first: number): Promise<void> => {
      for (let next = first; Date.now() < until; next++) {
        const { body, headers } = hostile[next % hostile.length]!;
        await rawRequest(url, { headers, body }).catch(() => undefined);
      }
    };
    // An honest sender's gzip request: 4 MiB of JSON, 4 KB on the wire.
    const honest = gzipSync(jsonWithValue('x'.repeat(4 * MiB)));
    const statuses: number[] = [];
    const send = async (): Promise<void> => {
      while (Date.now() < until) {
        const response = await rawRequest(url, {
          headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' },
          body: honest,
        });
        statuses.push(response.status);
        await new Promise(resolve => setTimeout(resolve, 500));
      }
    };
    await Promise.all([
      ...Array.from({ length: 8 }, (_, index) => attack(index)),
      send(),
    ]);
    expect(statuses.length).toBeGreaterThan(0);
    // 503 is retried by OTLP senders; 408 is not.
    expect(statuses.filter(status => status !== 200 && status !== 503)).toEqual(
      [],
    );
  }, 120_000);

  it.each(ENCODINGS)(
    'a %s body that arrives at once is answered 200 however slowly the gateway inflates it (every turn 40 ms, 128 output chunks, --body-timeout-seconds 1)',
    async (encoding, compress) => {
      fixture = await startGatewayFixture({ bodyTimeoutSeconds: 1 });
      const body = compress(jsonWithValue('x'.repeat(8 * MiB)));
      expect(body.length).toBeLessThan(64 * 1024);
      stopSlowLoop = slowEventLoop(40);
      const answer = await sendFromChild(
        fixture.gateway.url,
        { ...JSON_HEADERS, 'content-encoding': encoding },
        body,
      );
      stopSlowLoop();
      expect(answer.status).toBe(200);
      expect(fixture.sink.accepted).toHaveLength(1);
      expect(queueOf(fixture)).toEqual({ requests: 0, bytes: 0, reading: 0 });
    },
    60_000,
  );

  it('a gzip body of 3 MiB on the wire is read as fast as it arrives, not at the pace of the inflater (every turn 40 ms)', async () => {
    // At the inflater's pace (16 KiB a turn) this body takes about 8 s to
    // read; read as it arrives, well under 3 s even on a loaded machine.
    fixture = await startGatewayFixture({ bodyTimeoutSeconds: 3 });
    // Random characters barely compress: about 3 MiB on the wire.
    const body = gzipSync(
      jsonWithValue(randomBytes(3 * MiB).toString('base64')),
    );
    expect(body.length).toBeGreaterThan(3 * MiB);
    stopSlowLoop = slowEventLoop(40);
    const answer = await sendFromChild(
      fixture.gateway.url,
      { ...JSON_HEADERS, 'content-encoding': 'gzip' },
      body,
    );
    stopSlowLoop();
    expect(answer.status).toBe(200);
    expect(queueOf(fixture)).toEqual({ requests: 0, bytes: 0, reading: 0 });
  }, 60_000);

  it("a complete body waiting for the next hop longer than Node's request timeout (3 s at --body-timeout-seconds 1) is answered 200", async () => {
    fixture = await startGatewayFixture({ bodyTimeoutSeconds: 1 });
    const current = fixture;
    current.sink.setMode({ kind: 'hold' });
    const answer = rawRequest(current.gateway.url, {
      headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' },
      body: gzipSync(
        otlpJson([
          {
            traceId: 'ef'.repeat(16),
            spanId: '12'.repeat(8),
            name: 'chat gpt-4o-mini',
            startMillis: 0,
            endMillis: 100,
            attributes: chatAttributes(1000, 200),
          },
        ]),
      ),
    });
    const deadline = Date.now() + 5000;
    while (current.sink.held === 0 && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    expect(current.sink.held).toBe(1);
    // Node checks its request timeout every second: 4.5 s is past it.
    await new Promise(resolve => setTimeout(resolve, 4500));
    current.sink.release();
    expect((await answer).status).toBe(200);
    expect(current.records).toHaveLength(1);
  }, 20_000);

  it('a body inflating after its last byte arrived keeps its reading slot: the newer request is told to retry, the older one is answered 200', async () => {
    fixture = await startGatewayFixture({
      bodyTimeoutSeconds: 1,
      maxReadingRequests: 1,
    });
    const url = fixture.gateway.url;
    const current = fixture;
    stopSlowLoop = slowEventLoop(40);
    const first = sendFromChild(
      url,
      { ...JSON_HEADERS, 'content-encoding': 'gzip' },
      gzipSync(jsonWithValue('x'.repeat(8 * MiB))),
    );
    const deadline = Date.now() + 10_000;
    while (queueOf(current).reading === 0 && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    // Past the 1 s after which a sender still sending would be evicted.
    await new Promise(resolve => setTimeout(resolve, 1500));
    expect(queueOf(current).reading).toBe(1);
    const second = await sendFromChild(url, JSON_HEADERS, otlpJson([]));
    stopSlowLoop();
    expect(second.status).toBe(503);
    expect(second.body).toContain('too many request bodies at once');
    expect((await first).status).toBe(200);
  }, 60_000);
});

describe('slow senders are still cut off', () => {
  it.each(ENCODINGS)(
    'a %s body trickled over 3 s gets 408 at --body-timeout-seconds 1, and its connection is closed',
    async (encoding, compress) => {
      fixture = await startGatewayFixture({ bodyTimeoutSeconds: 1 });
      const body = compress(jsonWithValue('x'.repeat(MiB)));
      const answer = await sendFromChild(
        fixture.gateway.url,
        { ...JSON_HEADERS, 'content-encoding': encoding },
        body,
        10,
        300,
      );
      expect(answer.status).toBe(408);
      expect(answer.body).toContain(
        'request body not complete within 1 s (--body-timeout-seconds)',
      );
      expect(answer.connection).toBe('close');
      expect(fixture.sink.accepted).toHaveLength(0);
      expect(queueOf(fixture)).toEqual({ requests: 0, bytes: 0, reading: 0 });
    },
    30_000,
  );

  it('a gzip body trickled while the gateway is slow still gets 408', async () => {
    fixture = await startGatewayFixture({ bodyTimeoutSeconds: 1 });
    stopSlowLoop = slowEventLoop(40);
    const answer = await sendFromChild(
      fixture.gateway.url,
      { ...JSON_HEADERS, 'content-encoding': 'gzip' },
      gzipSync(jsonWithValue('x'.repeat(MiB))),
      10,
      300,
    );
    stopSlowLoop();
    expect(answer.status).toBe(408);
  }, 30_000);
});

describe('bytes of an inflating body count against --max-queue-bytes', () => {
  it.each(ENCODINGS)(
    'a %s body inflating past the bytes left gets 503 with Retry-After, and every byte is given back',
    async (encoding, compress) => {
      fixture = await startGatewayFixture({
        maxQueueBytes: 2 * MiB,
        maxDecompressedBytes: 2 * MiB,
      });
      const current = fixture;
      // Another sender holds 1.5 MiB: its body stops one byte short.
      const holder = connect({ host: '127.0.0.1', port: current.gateway.port });
      holder.on('error', () => undefined);
      try {
        holder.write(
          `POST /v1/traces HTTP/1.1\r\nHost: g\r\nContent-Type: application/json\r\nContent-Length: ${1.5 * MiB + 1}\r\n\r\n`,
        );
        holder.write(Buffer.alloc(1.5 * MiB, 0x20));
        const deadline = Date.now() + 5000;
        while (queueOf(current).bytes < 1.5 * MiB && Date.now() < deadline) {
          await new Promise(resolve => setTimeout(resolve, 20));
        }
        expect(queueOf(current).bytes).toBe(1.5 * MiB);
        // 1 KB on the wire, 1 MiB once inflated.
        const body = compress(jsonWithValue('x'.repeat(MiB)));
        const refused = await rawRequest(current.gateway.url, {
          headers: { ...JSON_HEADERS, 'content-encoding': encoding },
          body,
        });
        expect(refused.status).toBe(503);
        expect(refused.headers['retry-after']).toBe('1');
        expect(rpcStatusOf(refused).message).toBe(
          'gateway queue is full (bytes)',
        );
        expect(queueOf(current).bytes).toBe(1.5 * MiB);
        holder.destroy();
        const until = Date.now() + 5000;
        while (queueOf(current).bytes > 0 && Date.now() < until) {
          await new Promise(resolve => setTimeout(resolve, 20));
        }
        const served = await rawRequest(current.gateway.url, {
          headers: { ...JSON_HEADERS, 'content-encoding': encoding },
          body,
        });
        expect(served.status).toBe(200);
        expect(queueOf(current)).toEqual({
          requests: 0,
          bytes: 0,
          reading: 0,
        });
      } finally {
        holder.destroy();
      }
    },
  );

  it('a gzip body of exactly --max-decompressed-bytes = --max-queue-bytes, alone, is served: its own compressed bytes never refuse it', async () => {
    fixture = await startGatewayFixture({
      maxQueueBytes: 4 * MiB,
      maxDecompressedBytes: 4 * MiB,
    });
    const overhead = jsonWithValue('').length;
    const json = jsonWithValue('x'.repeat(4 * MiB - overhead));
    expect(json.length).toBe(4 * MiB);
    const served = await rawRequest(fixture.gateway.url, {
      headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' },
      body: gzipSync(json),
    });
    expect(served.status).toBe(200);
    expect(queueOf(fixture)).toEqual({ requests: 0, bytes: 0, reading: 0 });
  });

  it('compressed bytes waiting for the inflater are given back as they are inflated', async () => {
    fixture = await startGatewayFixture({
      maxQueueBytes: 4 * MiB,
      maxDecompressedBytes: 4 * MiB,
    });
    // Random characters barely compress: 2.5 MiB on the wire, 3.3 MiB
    // inflated. Within 4 MiB only if the compressed bytes are given back.
    const body = gzipSync(
      jsonWithValue(randomBytes(2.5 * MiB).toString('base64')),
    );
    expect(body.length).toBeGreaterThan(2.5 * MiB);
    const served = await rawRequest(fixture.gateway.url, {
      headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' },
      body,
    });
    expect(served.status).toBe(200);
    expect(queueOf(fixture)).toEqual({ requests: 0, bytes: 0, reading: 0 });
  });
});

/**
 * What one request costs the gateway to decode, for the shapes the decode
 * limits bound (adversarial: the most items or spans per byte) and for
 * honest LLM spans: peak RSS growth of a fresh gateway process (its
 * `VmHWM`), the request's time, and the worst `/healthz` latency while it
 * is processed (how long the event loop was blocked).
 *
 *   npx tsx bench/gateway-decode-memory.ts [--quick] [--only <name>]
 *
 * Each case runs in its own child process (`--max-old-space-size=1024`,
 * default gateway settings and decode limits) forwarding to a local sink.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { DEFAULT_DECODE_LIMITS } from '../src/gateway/otlp/decode-limits.js';
import {
  amplifyingProtobuf,
  deepValue,
  deepValueJson,
  emptyResourceSpans,
  emptyResourceSpansJson,
  jsonRequest,
  ld,
  requestOf,
  tinyAttributesJson,
  tinySpan,
  type AmplifyingShape,
} from '../test/gateway/helpers/hostile-bodies.js';

const MiB = 1024 * 1024;
const LIMITS = DEFAULT_DECODE_LIMITS;

interface Case {
  readonly name: string;
  readonly format: 'protobuf' | 'json';
  readonly gzip?: boolean;
  readonly body: () => Buffer;
  /** Copies sent at once (the queue full of this shape). */
  readonly concurrent?: number;
}

/** Honest LLM spans: 24 attributes of GenAI semconv size, about 1 KB each. */
function honestSpan(index: number): Buffer {
  const attribute = (key: string, value: Buffer): Buffer =>
    ld(0x4a, ld(0x0a, Buffer.from(key)), ld(0x12, value));
  const text = (value: string): Buffer => ld(0x0a, Buffer.from(value));
  const int = (value: number): Buffer =>
    Buffer.concat([Buffer.from([0x18]), varintOf(value)]);
  const attributes = [
    attribute('gen_ai.operation.name', text('chat')),
    attribute('gen_ai.provider.name', text('openai')),
    attribute('gen_ai.request.model', text('gpt-4o-mini')),
    attribute('gen_ai.response.model', text('gpt-4o-mini-2024-07-18')),
    attribute('gen_ai.response.id', text(`chatcmpl-${index}abcdefghijklmnop`)),
    attribute('gen_ai.usage.input_tokens', int(1000 + (index % 100))),
    attribute('gen_ai.usage.output_tokens', int(200)),
    attribute('user.id', text(`user-${index % 1000}`)),
    attribute('session.id', text(`session-${index % 5000}`)),
    attribute('server.address', text('api.openai.com')),
    attribute('http.route', text('/v1/chat/completions')),
  ];
  for (let extra = 0; extra < 13; extra++) {
    attributes.push(
      attribute(
        `app.attribute.${extra}`,
        text(`value ${extra} of span ${index}`),
      ),
    );
  }
  return tinySpan(
    Buffer.from([0x39, ...fixed64(1_767_225_600_000_000_000n)]),
    Buffer.from([0x41, ...fixed64(1_767_225_601_000_000_000n)]),
    ...attributes,
  );
}

function fixed64(value: bigint): number[] {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(value);
  return [...bytes];
}

function varint64(value: bigint): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80n) {
    bytes.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return bytes;
}

function varintOf(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

function honestRequest(maxBytes: number, maxSpans: number): Buffer {
  const spans: Buffer[] = [];
  let size = 0;
  for (let index = 0; index < maxSpans; index++) {
    const span = ld(0x12, honestSpan(index));
    if (size + span.length > maxBytes - 1024) break;
    spans.push(span);
    size += span.length;
  }
  return ld(0x0a, ld(0x12, ...spans));
}

function honestJson(maxBytes: number, maxSpans: number): Buffer {
  const spans: string[] = [];
  let size = 0;
  for (let index = 0; index < maxSpans; index++) {
    const attributes = [
      ['gen_ai.operation.name', 'chat'],
      ['gen_ai.provider.name', 'openai'],
      ['gen_ai.request.model', 'gpt-4o-mini'],
      ['gen_ai.response.model', 'gpt-4o-mini-2024-07-18'],
      ['gen_ai.response.id', `chatcmpl-${index}abcdefghijklmnop`],
      ['user.id', `user-${index % 1000}`],
      ['session.id', `session-${index % 5000}`],
      ['server.address', 'api.openai.com'],
      ['http.route', '/v1/chat/completions'],
      ...Array.from({ length: 13 }, (_, extra) => [
        `app.attribute.${extra}`,
        `value ${extra} of span ${index}`,
      ]),
    ].map(([key, value]) => ({ key, value: { stringValue: value } }));
    attributes.push(
      {
        key: 'gen_ai.usage.input_tokens',
        value: { intValue: String(1000 + (index % 100)) } as never,
      },
      {
        key: 'gen_ai.usage.output_tokens',
        value: { intValue: '200' } as never,
      },
    );
    const span = JSON.stringify({
      traceId: index.toString(16).padStart(32, 'a'),
      spanId: index.toString(16).padStart(16, 'b'),
      name: 'chat gpt-4o-mini',
      kind: 3,
      startTimeUnixNano: '1767225600000000000',
      endTimeUnixNano: '1767225601000000000',
      attributes,
    });
    if (size + span.length > maxBytes - 1024) break;
    spans.push(span);
    size += span.length + 1;
  }
  return Buffer.from(
    `{"resourceSpans":[{"scopeSpans":[{"scope":{"name":"test"},"spans":[${spans.join(',')}]}]}]}`,
  );
}

/** Just under the limit that bounds the shape. */
const ITEMS = LIMITS.maxItemsPerRequest - 16;
const SPANS = LIMITS.maxSpansPerRequest - 1;
const spanShapes: readonly AmplifyingShape[] = ['empty-spans', 'tiny-spans'];

function cases(quick: boolean): Case[] {
  const scale = quick ? 0.1 : 1;
  const shapes: AmplifyingShape[] = [
    'empty-resource-spans',
    'empty-scope-spans',
    'empty-spans',
    'tiny-spans',
    'empty-attributes',
    'bool-attributes',
    'empty-events',
    'repeated-status',
    'empty-array-values',
    'empty-kvlist-entries',
  ];
  const list: Case[] = shapes.map(shape => ({
    name: `protobuf ${shape}`,
    format: 'protobuf',
    body: () =>
      amplifyingProtobuf(
        shape,
        Math.floor(
          (spanShapes.includes(shape)
            ? SPANS
            : ITEMS / (shape === 'bool-attributes' ? 2 : 1)) * scale,
        ),
      ),
  }));
  list.push(
    {
      name: 'protobuf deep values (max depth, as many as the items allow)',
      format: 'protobuf',
      body: () => {
        const depth = LIMITS.maxValueDepth;
        // Each nesting level is 2 items (array + value), the attribute 2 more.
        const count = Math.floor((ITEMS * scale) / (2 * depth + 3));
        const one = deepValue(depth, 'array');
        return requestOf(tinySpan(Buffer.concat(Array(count).fill(one))));
      },
    },
    {
      name: 'protobuf issue case 1 (63 MiB gzip, 33M empty resource spans)',
      format: 'protobuf',
      gzip: true,
      body: () => emptyResourceSpans(quick ? 6 * MiB : 63 * MiB),
    },
    {
      name: 'protobuf unknown fields (64 MiB of 2-byte varint fields)',
      format: 'protobuf',
      gzip: true,
      body: () => {
        const size = (quick ? 6 : 63) * MiB;
        const body = Buffer.alloc(size);
        for (let i = 0; i < size; i += 2) body[i] = 0x78; // field 15, varint
        return Buffer.concat([body, requestOf(tinySpan())]);
      },
    },
    {
      name: 'protobuf honest LLM spans (max spans or 63 MiB)',
      format: 'protobuf',
      body: () => honestRequest((quick ? 6 : 63) * MiB, SPANS),
    },
    {
      name: 'json empty resource spans',
      format: 'json',
      gzip: true,
      body: () =>
        Buffer.from(emptyResourceSpansJson(Math.floor(ITEMS * scale))),
    },
    {
      name: 'json bool attributes',
      format: 'json',
      gzip: true,
      body: () =>
        Buffer.from(tinyAttributesJson(Math.floor((ITEMS * scale) / 2))),
    },
    {
      // 19-digit integers: quoted by the bounds check, then each read as a
      // 64-bit integer (attack finding 7: 999k in 31 MiB of JSON).
      name: 'json 999k intValue 1234567890123456789',
      format: 'json',
      gzip: true,
      body: () => {
        const count = Math.floor((ITEMS - 8) * scale);
        return Buffer.from(
          jsonRequest(
            `[{"key":"n","value":{"arrayValue":{"values":[${'{"intValue":1234567890123456789},'.repeat(count - 1)}{"intValue":1234567890123456789}]}}}]`,
          ),
        );
      },
    },
    {
      name: 'protobuf 999k intValue 1234567890123456789',
      format: 'protobuf',
      body: () => {
        const count = Math.floor((ITEMS - 8) * scale);
        // AnyValue { int_value: 1234567890123456789 } as an array entry.
        const value = ld(
          0x0a,
          Buffer.from([0x18, ...varint64(1234567890123456789n)]),
        );
        return requestOf(
          tinySpan(
            ld(
              0x4a,
              ld(0x0a, Buffer.from('n')),
              ld(0x12, ld(0x2a, Buffer.concat(Array(count).fill(value)))),
            ),
          ),
        );
      },
    },
    {
      name: 'json deep kvlist (max depth)',
      format: 'json',
      body: () => Buffer.from(deepValueJson(LIMITS.maxValueDepth, 'kvlist')),
    },
    {
      name: 'json unknown keys (items of a field the schema does not know)',
      format: 'json',
      gzip: true,
      body: () =>
        Buffer.from(
          `{"resourceSpans":[],"x":[${'{},'.repeat(Math.floor(ITEMS * scale) - 2)}{}]}`,
        ),
    },
    {
      name: 'json honest LLM spans (max spans or 63 MiB)',
      format: 'json',
      gzip: true,
      body: () => honestJson((quick ? 6 : 63) * MiB, SPANS),
    },
    {
      name: 'queue full: 20 json empty resource spans requests at once',
      format: 'json',
      gzip: true,
      concurrent: 20,
      body: () =>
        Buffer.from(emptyResourceSpansJson(Math.floor(ITEMS * scale))),
    },
    {
      name: 'queue full: 6 protobuf honest requests at once',
      format: 'protobuf',
      concurrent: 6,
      body: () => honestRequest((quick ? 1 : 10) * MiB, SPANS),
    },
  );
  return list;
}

// ---------------------------------------------------------------- child

async function child(): Promise<void> {
  const { startGateway } = await import('../src/gateway/cost-gateway.js');
  const sink = createServer((req, res) => {
    req.resume();
    req.on('end', () =>
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(),
    );
  });
  await new Promise<void>(resolve => sink.listen(0, '127.0.0.1', resolve));
  const sinkPort = (sink.address() as AddressInfo).port;
  const gateway = await startGateway({
    listen: { host: '127.0.0.1', port: 0 },
    forward: new URL(`http://127.0.0.1:${sinkPort}/v1/traces`),
    env: {},
  });
  process.send?.({ url: gateway.url });
  process.on('message', (message: { kind: string }) => {
    if (message.kind === 'memory') {
      global.gc?.();
      process.send?.({ heapUsed: process.memoryUsage().heapUsed });
    }
    if (message.kind === 'stop') process.exit(0);
  });
}

// --------------------------------------------------------------- parent

function statusOf(pid: number): { hwm: number; rss: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number =>
    Number(new RegExp(`${key}:\\s+(\\d+)`).exec(text)?.[1] ?? 0) * 1024;
  return { hwm: kb('VmHWM'), rss: kb('VmRSS') };
}

function post(
  url: string,
  body: Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': body.length },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8').slice(0, 160),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function get(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    httpRequest(url, res => {
      res.resume();
      res.on('end', resolve);
    })
      .on('error', reject)
      .end();
  });
}

function message<T>(
  process_: ChildProcess,
  filter: (m: unknown) => m is T,
): Promise<T> {
  return new Promise(resolve => {
    const onMessage = (m: unknown): void => {
      if (!filter(m)) return;
      process_.off('message', onMessage);
      resolve(m);
    };
    process_.on('message', onMessage);
  });
}

async function runCase(testCase: Case): Promise<string> {
  const raw = testCase.body();
  const body = testCase.gzip === true ? gzipSync(raw, { level: 9 }) : raw;
  const worker = fork(new URL(import.meta.url).pathname, ['--child'], {
    execArgv: ['--max-old-space-size=1024', '--expose-gc', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const { url } = await message(
      worker,
      (m): m is { url: string } =>
        typeof (m as { url?: unknown }).url === 'string',
    );
    const base = new URL(url);
    const traces = new URL('/v1/traces', base).toString();
    const healthz = new URL('/healthz', base).toString();
    // Warm up the code paths with a small request of each format.
    await post(traces, requestOf(tinySpan()), {
      'content-type': 'application/x-protobuf',
    });
    await post(traces, Buffer.from(emptyResourceSpansJson(1)), {
      'content-type': 'application/json',
    });
    worker.send({ kind: 'memory' });
    const { heapUsed: heapBefore } = await message(
      worker,
      (m): m is { heapUsed: number } =>
        typeof (m as { heapUsed?: unknown }).heapUsed === 'number',
    );
    const before = statusOf(worker.pid as number);
    let done = false;
    let worstHealthz = 0;
    const probe = (async () => {
      while (!done) {
        const started = performance.now();
        await get(healthz);
        worstHealthz = Math.max(worstHealthz, performance.now() - started);
        await new Promise(resolve => setTimeout(resolve, 5));
      }
    })();
    const started = performance.now();
    const responses = await Promise.all(
      Array.from({ length: testCase.concurrent ?? 1 }, () =>
        post(traces, body, {
          'content-type':
            testCase.format === 'json'
              ? 'application/json'
              : 'application/x-protobuf',
          ...(testCase.gzip === true ? { 'content-encoding': 'gzip' } : {}),
        }),
      ),
    );
    const response =
      responses.find(answer => answer.status !== 200) ?? responses[0]!;
    const took = performance.now() - started;
    done = true;
    await probe;
    const after = statusOf(worker.pid as number);
    worker.send({ kind: 'memory' });
    const { heapUsed: heapAfter } = await message(
      worker,
      (m): m is { heapUsed: number } =>
        typeof (m as { heapUsed?: unknown }).heapUsed === 'number',
    );
    const peak = after.hwm - before.rss;
    return [
      testCase.name,
      `${testCase.concurrent === undefined ? '' : `${testCase.concurrent} x `}${(raw.length / MiB).toFixed(1)} MiB${testCase.gzip === true ? ` (gzip ${(body.length / 1024).toFixed(0)} KB)` : ''}`,
      `${response.status}`,
      `${(peak / MiB).toFixed(0)} MiB`,
      `${(peak / (raw.length * (testCase.concurrent ?? 1))).toFixed(1)}x`,
      `${((heapAfter - heapBefore) / MiB).toFixed(1)} MiB`,
      `${took.toFixed(0)} ms`,
      `${worstHealthz.toFixed(0)} ms`,
      response.status === 200 ? '' : response.text.replace(/\s+/g, ' '),
    ].join(' | ');
  } finally {
    worker.send({ kind: 'stop' });
  }
}

async function parent(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const only = process.argv[process.argv.indexOf('--only') + 1];
  console.log(
    `decode limits: ${JSON.stringify(LIMITS)}; ${quick ? 'quick (1/10 scale)' : 'full scale'}`,
  );
  console.log(
    '| case | body | status | peak RSS growth | / body | heap kept after | request | worst /healthz | answer |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const testCase of cases(quick)) {
    if (process.argv.includes('--only') && !testCase.name.includes(only ?? ''))
      continue;
    console.log(`| ${await runCase(testCase)} |`);
  }
}

if (process.argv.includes('--child')) await child();
else await parent();

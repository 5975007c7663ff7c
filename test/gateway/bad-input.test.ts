/**
 * Bad input gets the right status and a message the sender can act on, and
 * the gateway keeps serving: a good request afterwards is forwarded.
 */
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeExportTraceRequest } from '../../src/gateway/otlp/decode-export-trace-request.js';
import { encodeExportTraceRequest } from '../../src/gateway/otlp/encode-export-trace-request.js';
import {
  startGatewayFixture,
  type GatewayFixture,
} from './helpers/gateway-fixture.js';
import { gzipBomb } from './helpers/gzip-bomb.js';
import {
  rawRequest,
  rpcStatusOf,
  type RawResponse,
} from './helpers/raw-http.js';

const TOKEN = 's3cret-token';
const MAX_BODY_BYTES = 1024 * 1024;
const PROTOBUF = {
  'content-type': 'application/x-protobuf',
  authorization: `Bearer ${TOKEN}`,
};
const JSON_HEADERS = {
  'content-type': 'application/json',
  authorization: `Bearer ${TOKEN}`,
};

let spanCounter = 0;
function goodJson(model = 'gpt-4o-mini'): Buffer {
  spanCounter += 1;
  return Buffer.from(
    JSON.stringify({
      resourceSpans: [
        {
          resource: {
            attributes: [
              { key: 'service.name', value: { stringValue: 'python-app' } },
            ],
          },
          scopeSpans: [
            {
              scope: { name: 'opentelemetry.instrumentation.openai_v2' },
              spans: [
                {
                  traceId: spanCounter.toString(16).padStart(32, 'a'),
                  spanId: spanCounter.toString(16).padStart(16, 'b'),
                  name: `chat ${model}`,
                  kind: 3,
                  startTimeUnixNano: '1767225600000000000',
                  endTimeUnixNano: '1767225601000000000',
                  attributes: [
                    {
                      key: 'gen_ai.operation.name',
                      value: { stringValue: 'chat' },
                    },
                    {
                      key: 'gen_ai.provider.name',
                      value: { stringValue: 'openai' },
                    },
                    {
                      key: 'gen_ai.request.model',
                      value: { stringValue: model },
                    },
                    {
                      key: 'gen_ai.usage.input_tokens',
                      value: { intValue: '1000' },
                    },
                    {
                      key: 'gen_ai.usage.output_tokens',
                      value: { intValue: 200 },
                    },
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

function goodProtobuf(): Uint8Array {
  return encodeExportTraceRequest(decodeExportTraceRequest(goodJson(), 'json'));
}

let fixture: GatewayFixture;
beforeAll(async () => {
  fixture = await startGatewayFixture({
    authToken: TOKEN,
    maxBodyBytes: MAX_BODY_BYTES,
  });
});
afterAll(async () => {
  await fixture.close();
});

async function expectStillServing(): Promise<void> {
  const before = fixture.sink.accepted.length;
  const response = await rawRequest(fixture.gateway.url, {
    headers: PROTOBUF,
    body: goodProtobuf(),
  });
  expect(response.status).toBe(200);
  expect(fixture.sink.accepted.length).toBe(before + 1);
}

function expectError(
  response: RawResponse,
  status: number,
  message: string | RegExp,
): void {
  const rpc = rpcStatusOf(response);
  expect({ status: response.status, message: rpc.message }).toEqual({
    status,
    message:
      typeof message === 'string' ? message : expect.stringMatching(message),
  });
}

describe('malformed payloads get 400 with a message', () => {
  it('a truncated protobuf body', async () => {
    const body = goodProtobuf();
    const response = await rawRequest(fixture.gateway.url, {
      headers: PROTOBUF,
      body: body.subarray(0, body.length - 10),
    });
    expect(response.headers['content-type']).toBe('application/x-protobuf');
    expectError(
      response,
      400,
      /^invalid protobuf ExportTraceServiceRequest: index out of range/,
    );
    expect(rpcStatusOf(response).code).toBe(3); // INVALID_ARGUMENT
    await expectStillServing();
  });

  it('invalid JSON', async () => {
    const response = await rawRequest(fixture.gateway.url, {
      headers: JSON_HEADERS,
      body: Buffer.from('{"resourceSpans": ['),
    });
    expect(response.headers['content-type']).toBe('application/json');
    expectError(response, 400, /^invalid JSON ExportTraceServiceRequest: /);
    await expectStillServing();
  });

  it('wrong types in JSON, with the path of the field', async () => {
    const body = Buffer.from(
      goodJson().toString().replace('"kind":3', '"kind":{"value":3}'),
    );
    const response = await rawRequest(fixture.gateway.url, {
      headers: JSON_HEADERS,
      body,
    });
    expectError(
      response,
      400,
      /^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.kind: expected an enum number or one of SPAN_KIND_UNSPECIFIED/,
    );
    await expectStillServing();
  });

  it('a corrupt gzip stream', async () => {
    const gz = gzipSync(goodJson());
    gz[gz.length - 5] = (gz[gz.length - 5] ?? 0) ^ 0xff; // breaks the CRC
    const response = await rawRequest(fixture.gateway.url, {
      headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' },
      body: gz,
    });
    expectError(response, 400, /^invalid gzip request body: /);
    await expectStillServing();
  });

  it('an unsupported Content-Encoding', async () => {
    const response = await rawRequest(fixture.gateway.url, {
      headers: { ...JSON_HEADERS, 'content-encoding': 'br' },
      body: goodJson(),
    });
    expectError(
      response,
      400,
      'unsupported Content-Encoding "br": use gzip, deflate or none',
    );
    await expectStillServing();
  });
});

describe('size limits give 413', () => {
  // How much is decompressed before the cut is checked in http/read-request-body.test.ts.
  it('a gzip bomb (512 MiB of zeros, streamed, within --max-body-bytes on the wire) is cut off after the decompressed limit', async () => {
    const bomb = gzipBomb(512 * 1024 ** 2);
    const response = await rawRequest(fixture.gateway.url, {
      headers: { ...PROTOBUF, 'content-encoding': 'gzip' },
      body: bomb.stream,
    });
    expectError(
      response,
      413,
      'decompressed request body exceeds 67108864 bytes (--max-decompressed-bytes)',
    );
    // The wire is read as it arrives (not at the inflater's pace): the
    // connection is closed only if part of the body was still unread.
    expect(['close', 'keep-alive']).toContain(response.headers.connection);
    await expectStillServing();
  });

  it('a body declared larger than --max-body-bytes, refused before it is read', async () => {
    const body = Buffer.alloc(MAX_BODY_BYTES + 1);
    const response = await rawRequest(fixture.gateway.url, {
      headers: PROTOBUF,
      body,
    });
    expectError(
      response,
      413,
      `request body of ${MAX_BODY_BYTES + 1} bytes exceeds ${MAX_BODY_BYTES} bytes (--max-body-bytes)`,
    );
    await expectStillServing();
  });

  it('a chunked body that grows past --max-body-bytes', async () => {
    const body = Readable.from(
      (function* () {
        for (let i = 0; i < 8; i++) yield Buffer.alloc(256 * 1024, 0x0a);
      })(),
    );
    const response = await rawRequest(fixture.gateway.url, {
      headers: PROTOBUF,
      body,
    });
    expectError(
      response,
      413,
      `request body exceeds ${MAX_BODY_BYTES} bytes (--max-body-bytes)`,
    );
    await expectStillServing();
  });
});

describe('requests the gateway does not serve', () => {
  it('a wrong content type gets 415', async () => {
    const response = await rawRequest(fixture.gateway.url, {
      headers: {
        'content-type': 'text/plain',
        authorization: `Bearer ${TOKEN}`,
      },
      body: goodJson(),
    });
    expectError(
      response,
      415,
      'unsupported Content-Type "text/plain": use application/x-protobuf or application/json',
    );
    await expectStillServing();
  });

  it('GET on /v1/traces gets 405 and an unknown path 404', async () => {
    const get = await rawRequest(fixture.gateway.url, { method: 'GET' });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    const other = await rawRequest(
      fixture.gateway.url.replace('/v1/traces', '/v1/logs'),
      { headers: JSON_HEADERS, body: goodJson() },
    );
    expect(other.status).toBe(404);
    await expectStillServing();
  });
});

describe('authentication', () => {
  it('a missing token gets 401', async () => {
    const response = await rawRequest(fixture.gateway.url, {
      headers: { 'content-type': 'application/json' },
      body: goodJson(),
    });
    expectError(response, 401, 'missing or invalid bearer token');
    expect(response.headers['www-authenticate']).toBe('Bearer');
    await expectStillServing();
  });

  it('a wrong token gets 401 before the body is read', async () => {
    // A body that never ends: the answer can only come before reading it.
    const endless = new Readable({ read() {} });
    endless.push(Buffer.from('{"resourceSpans": ['));
    const response = await rawRequest(fixture.gateway.url, {
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer wrong',
      },
      body: endless,
    });
    expectError(response, 401, 'missing or invalid bearer token');
    expect(response.headers.connection).toBe('close');
    endless.destroy();
    await expectStillServing();
  });
});

describe('partial success', () => {
  it('rejects spans with invalid ids, forwards the rest, and says so', async () => {
    const request = JSON.parse(goodJson().toString()) as {
      resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[];
    };
    const spans = request.resourceSpans[0]?.scopeSpans[0]?.spans ?? [];
    const valid = spans[0] as Record<string, unknown>;
    spans.push(
      { ...valid, spanId: '00'.repeat(8) },
      { ...valid, traceId: 'ab'.repeat(8), spanId: 'cd'.repeat(8) },
    );
    const before = fixture.sink.accepted.length;
    const response = await rawRequest(fixture.gateway.url, {
      headers: JSON_HEADERS,
      body: Buffer.from(JSON.stringify(request)),
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body.toString())).toEqual({
      partialSuccess: {
        rejectedSpans: '2',
        errorMessage:
          '2 span(s) rejected: invalid trace_id or span_id (must be 16 and 8 bytes, not all zero)',
      },
    });
    expect(fixture.sink.accepted.length).toBe(before + 1);
    expect(
      fixture.forwardedSpans().filter(span => span.spanId === valid.spanId),
    ).toHaveLength(1);
  });

  it('warns (0 rejected) about LLM calls it could not price, and forwards them', async () => {
    const response = await rawRequest(fixture.gateway.url, {
      headers: PROTOBUF,
      body: encodeExportTraceRequest(
        decodeExportTraceRequest(goodJson('gpt-unreleased-9'), 'json'),
      ),
    });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/x-protobuf');
    // Decode the ExportTraceServiceResponse by hand: field 1 (partial_success) { 1: rejected, 2: message }.
    const text = response.body.toString('latin1');
    expect(text).toContain(
      '1 LLM call(s) forwarded without a cost (no price): unknown_model openai/gpt-unreleased-9 x1',
    );
    const last = fixture.forwardedSpans().at(-1);
    expect(last?.attributes['gen_ai.cost.source']).toEqual({
      s: 'unpriced',
    });
    expect(last?.attributes['gen_ai.cost.unpriced_reason']).toEqual({
      s: 'unknown_model',
    });
    expect(last?.attributes['gen_ai.usage.cost']).toBeUndefined();
  });

  it('answers an empty request with success', async () => {
    const response = await rawRequest(fixture.gateway.url, {
      headers: JSON_HEADERS,
      body: Buffer.from('{}'),
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body.toString())).toEqual({});
  });
});

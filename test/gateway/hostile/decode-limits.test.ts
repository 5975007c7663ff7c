/**
 * Issue 9, cases 1, 6c, 6d and 6f through a running gateway: bodies that
 * decode into far more than their size answer 413 (or 400 when nested too
 * deep, or not protobuf at all) with the setting named, nothing of them is
 * forwarded, and honest requests keep being served; 64-bit JSON integers
 * reach the next hop exact.
 */
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startGatewayFixture,
  type GatewayFixture,
} from '../helpers/gateway-fixture.js';
import {
  AMPLIFYING_SHAPES,
  amplifyingProtobuf,
  deepValue,
  deepValueJson,
  emptyResourceSpans,
  emptyResourceSpansJson,
  jsonRequest,
  requestOf,
  tinyAttributesJson,
  tinySpan,
} from '../helpers/hostile-bodies.js';
import { chatAttributes, otlpJson } from '../helpers/otlp-json.js';
import { rawRequest, rpcStatusOf } from '../helpers/raw-http.js';
import { referenceDecode } from '../helpers/reference-decoder.js';

const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const JSON_TYPE = { 'content-type': 'application/json' };
const GZIP = { 'content-encoding': 'gzip' };

let fixture: GatewayFixture;
beforeAll(async () => {
  // Default decode limits (10,000 spans, 1,000,000 items, depth 16).
  fixture = await startGatewayFixture();
});
afterAll(async () => {
  await fixture.close();
});

let honestId = 0;
/** An honest LLM call is priced and forwarded: the gateway still serves. */
async function expectHonestServed(target = fixture): Promise<void> {
  honestId += 1;
  const forwarded = target.sink.accepted.length;
  const response = await rawRequest(target.gateway.url, {
    headers: JSON_TYPE,
    body: otlpJson([
      {
        traceId: honestId.toString(16).padStart(32, 'c'),
        spanId: honestId.toString(16).padStart(16, 'd'),
        name: 'chat gpt-4o-mini',
        startMillis: 0,
        endMillis: 10,
        attributes: chatAttributes(1_000_000, 1_000_000),
      },
    ]),
  });
  expect(response.status).toBe(200);
  expect(target.sink.accepted).toHaveLength(forwarded + 1);
  // gpt-4o-mini: $0.15 per million input tokens, $0.60 per million output.
  const last = target.sink.accepted.at(-1)?.body as Buffer;
  const cost = referenceDecode(last)[0]?.attributes['gen_ai.usage.cost'];
  expect(cost).toEqual({ d: 0.75 });
}

async function post(
  body: Buffer,
  headers: Record<string, string>,
  target = fixture,
): Promise<{ status: number; message: string }> {
  const response = await rawRequest(target.gateway.url, { headers, body });
  return { status: response.status, message: rpcStatusOf(response).message };
}

describe('case 1: a small body that decodes into millions of messages', () => {
  it('the reported shape (empty ResourceSpans then one span), gzipped, at 1/16 scale: 413, nothing forwarded', async () => {
    // 4 MiB of 0x0a 0x00: 2,097,152 empty ResourceSpans (the report used
    // 63 MiB; decode-full-size.test.ts sends that one to the built CLI).
    const body = gzipSync(emptyResourceSpans(4 * 1024 * 1024), { level: 9 });
    expect(body.length).toBeLessThan(8 * 1024);
    const before = fixture.sink.received.length;
    const { status, message } = await post(body, { ...PROTOBUF, ...GZIP });
    expect(status).toBe(413);
    expect(message).toMatch(
      /^request decodes into more than 1000000 items .*\(--max-items-per-request\)$/,
    );
    expect(fixture.sink.received).toHaveLength(before);
    await expectHonestServed();
  });

  it('the same in OTLP/JSON: 413', async () => {
    const body = gzipSync(emptyResourceSpansJson(1_000_001));
    const { status, message } = await post(body, { ...JSON_TYPE, ...GZIP });
    expect(status).toBe(413);
    expect(message).toContain('(--max-items-per-request)');
    await expectHonestServed();
  });

  it('just under the limit it is forwarded, byte for byte', async () => {
    const body = emptyResourceSpans(2 * 999_990);
    const { status } = await post(body, PROTOBUF);
    expect(status).toBe(200);
    expect(fixture.sink.accepted.at(-1)?.body.equals(body)).toBe(true);
  });
});

describe('generated amplifying shapes, both formats, gzip or not', () => {
  const LIMITS = {
    maxSpansPerRequest: 40,
    maxItemsPerRequest: 400,
    maxValueDepth: 6,
  };
  let small: GatewayFixture;
  beforeAll(async () => {
    small = await startGatewayFixture(LIMITS);
  });
  afterAll(async () => {
    await small.close();
  });

  it('over a limit: 413 (or 400 for depth) naming the setting; under: 200; honest requests served throughout', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...AMPLIFYING_SHAPES),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        async (shape, times, gzip) => {
          const spans = shape === 'empty-spans' || shape === 'tiny-spans';
          const over =
            times *
              (spans ? LIMITS.maxSpansPerRequest : LIMITS.maxItemsPerRequest) +
            1;
          const body = amplifyingProtobuf(shape, over);
          const { status, message } = await post(
            gzip ? gzipSync(body) : body,
            gzip ? { ...PROTOBUF, ...GZIP } : PROTOBUF,
            small,
          );
          expect(status).toBe(413);
          expect(message).toContain(
            spans ? '(--max-spans-per-request)' : '(--max-items-per-request)',
          );
          const under = amplifyingProtobuf(shape, spans ? 10 : 100);
          expect((await post(under, PROTOBUF, small)).status).toBe(200);
        },
      ),
      { numRuns: 25 },
    );
    await expectHonestServed(small);
  });

  it('JSON shapes over the limits: 413; deep values: 400', async () => {
    for (const body of [
      emptyResourceSpansJson(401),
      tinyAttributesJson(201),
      `{"resourceSpans":[{"scopeSpans":[{"spans":[${'{},'.repeat(40)}{}]}]}]}`,
    ]) {
      expect((await post(Buffer.from(body), JSON_TYPE, small)).status).toBe(
        413,
      );
    }
    for (const kind of ['array', 'kvlist'] as const) {
      const json = await post(
        Buffer.from(deepValueJson(7, kind)),
        JSON_TYPE,
        small,
      );
      expect(json.status).toBe(400);
      expect(json.message).toContain('(--max-value-depth');
      const protobuf = await post(
        requestOf(tinySpan(deepValue(7, kind))),
        PROTOBUF,
        small,
      );
      expect(protobuf).toEqual({
        status: 400,
        message:
          'an attribute value nests arrays or key-value lists more than 6 levels deep (--max-value-depth)',
      });
      expect(
        (await post(Buffer.from(deepValueJson(6, kind)), JSON_TYPE, small))
          .status,
      ).toBe(200);
    }
    await expectHonestServed(small);
  });
});

describe('case 6c: JSON kvlist nested 1,000 to 10,000 deep', () => {
  it.each([1_000, 10_000])('%i deep answers 400, not 500', async depth => {
    const { status, message } = await post(
      Buffer.from(deepValueJson(depth, 'kvlist')),
      JSON_TYPE,
    );
    expect(status).toBe(400);
    expect(message).toContain('(--max-value-depth');
    await expectHonestServed();
  });
});

describe('case 6f: protobuf field number 0', () => {
  it('1 MiB of zero bytes answers 400 and forwards nothing', async () => {
    const before = fixture.sink.received.length;
    const { status, message } = await post(Buffer.alloc(1024 * 1024), PROTOBUF);
    expect(status).toBe(400);
    expect(message).toBe(
      'invalid protobuf ExportTraceServiceRequest: field number 0 at offset 0 (in Request)',
    );
    expect(fixture.sink.received).toHaveLength(before);
    await expectHonestServed();
  });
});

describe('case 6d: JSON integers above 2^53', () => {
  it('a span the gateway does not touch keeps "intValue": 9007199254740993 exact, and so does an LLM span', async () => {
    const body = `{"resourceSpans":[{"scopeSpans":[{"scope":{"name":"test"},"spans":[${[
      {
        spanId: '0000000000000e01',
        attributes: '[{"key":"big","value":{"intValue":9007199254740993}}]',
      },
      {
        spanId: '0000000000000e02',
        attributes: `[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.provider.name","value":{"stringValue":"openai"}},{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":1000000}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":"1000000"}},{"key":"big","value":{"intValue":-9223372036854775807}}]`,
      },
    ]
      .map(
        ({ spanId, attributes }) =>
          `{"traceId":"00000000000000000000000000000e00","spanId":"${spanId}","name":"s","startTimeUnixNano":1767225600000000001,"endTimeUnixNano":1767225600000000003,"attributes":${attributes}}`,
      )
      .join(',')}]}]}]}`;
    const { status } = await post(Buffer.from(body), JSON_TYPE);
    expect(status).toBe(200);
    const spans = fixture
      .forwardedSpans()
      .filter(span => span.traceId === '00000000000000000000000000000e00');
    expect(spans.map(span => span.attributes['big'])).toEqual([
      { i: '9007199254740993' },
      { i: '-9223372036854775807' },
    ]);
    expect(spans.map(span => span.endTimeUnixNano)).toEqual([
      '1767225600000000003',
      '1767225600000000003',
    ]);
    expect(spans[0]?.startTimeUnixNano).toBe('1767225600000000001');
    // gpt-4o: $2.50 per million input tokens, $10 per million output.
    expect(spans[1]?.attributes['gen_ai.usage.cost']).toEqual({ d: 12.5 });
  });

  it('and the same request with decimal strings forwards the same bytes', async () => {
    const asNumber = jsonRequest(
      '[{"key":"big","value":{"intValue":12345678901234567890}}]',
    );
    expect((await post(Buffer.from(asNumber), JSON_TYPE)).status).toBe(400);
    const exact = jsonRequest(
      '[{"key":"big","value":{"intValue":1234567890123456789}}]',
    );
    const asString = exact.replace(
      '1234567890123456789',
      '"1234567890123456789"',
    );
    expect((await post(Buffer.from(exact), JSON_TYPE)).status).toBe(200);
    const first = fixture.sink.accepted.at(-1)?.body;
    expect((await post(Buffer.from(asString), JSON_TYPE)).status).toBe(200);
    expect(fixture.sink.accepted.at(-1)?.body.equals(first as Buffer)).toBe(
      true,
    );
  });
});

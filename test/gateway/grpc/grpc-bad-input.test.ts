/**
 * Bad input over OTLP/gRPC gets the status the HTTP receiver's answer maps
 * to (INVALID_ARGUMENT for 400, RESOURCE_EXHAUSTED for 413,
 * UNAUTHENTICATED for 401), nothing is forwarded or counted, and the
 * gateway keeps serving. Mirrors test/gateway/bad-input.test.ts.
 */
import { status } from '@grpc/grpc-js';
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startGatewayFixture,
  type GatewayFixture,
} from '../helpers/gateway-fixture.js';
import { chatAttributes, otlpJson } from '../helpers/otlp-json.js';
import {
  GrpcTestClient,
  partialSuccessOf,
  protobufOf,
  retryInfoOf,
} from './grpc-test-client.js';

const TOKEN = 's3cret-token';
const MAX_MESSAGE_BYTES = 1024 * 1024;
const MAX_SPANS = 50;

let counter = 0;
function chatRequest(model = 'gpt-4o-mini', spans = 1): Uint8Array {
  counter += 1;
  return protobufOf(
    otlpJson(
      Array.from({ length: spans }, (_, index) => ({
        traceId: counter.toString(16).padStart(32, 'a'),
        spanId: (counter * 1000 + index).toString(16).padStart(16, 'b'),
        name: `chat ${model}`,
        scope: 'opentelemetry.instrumentation.openai_v2',
        startMillis: 0,
        endMillis: 1000,
        attributes: {
          ...chatAttributes(1000, 200),
          'gen_ai.request.model': model,
        },
      })),
    ),
  );
}

let fixture: GatewayFixture;
let client: GrpcTestClient;
let gzipClient: GrpcTestClient;
beforeAll(async () => {
  fixture = await startGatewayFixture({
    listenGrpc: { host: '127.0.0.1', port: 0 },
    authToken: TOKEN,
    maxDecompressedBytes: MAX_MESSAGE_BYTES,
    maxSpansPerRequest: MAX_SPANS,
  });
  const address = fixture.gateway.grpcAddress as string;
  client = new GrpcTestClient(address, { token: TOKEN });
  gzipClient = new GrpcTestClient(address, { token: TOKEN, gzip: true });
});
afterAll(async () => {
  client.close();
  gzipClient.close();
  await fixture.close();
});

/** Nothing of a refused call reached the next hop or a sink; a good call still does. */
async function expectNothingTakenAndStillServing(before: {
  accepted: number;
  records: number;
}): Promise<void> {
  expect(fixture.sink.accepted.length).toBe(before.accepted);
  expect(fixture.records.length).toBe(before.records);
  const good = await client.export(chatRequest());
  expect(good.code, good.details).toBe(status.OK);
  expect(fixture.sink.accepted.length).toBe(before.accepted + 1);
  expect(fixture.records.length).toBe(before.records + 1);
}

function counts(): { accepted: number; records: number } {
  return {
    accepted: fixture.sink.accepted.length,
    records: fixture.records.length,
  };
}

describe('malformed messages get INVALID_ARGUMENT with the reason', () => {
  it('a truncated protobuf message', async () => {
    const before = counts();
    const body = chatRequest();
    const answer = await client.export(body.subarray(0, body.length - 7));
    expect(answer.code).toBe(status.INVALID_ARGUMENT);
    expect(answer.details).toMatch(/past the end|truncated|length/i);
    // Not retryable: no retry info.
    expect(retryInfoOf(answer.trailers)).toBeUndefined();
    await expectNothingTakenAndStillServing(before);
  });

  it('garbage bytes (generated): never OK unless they happen to be a valid request, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        async bytes => {
          const answer = await client.export(bytes);
          expect([
            status.OK,
            status.INVALID_ARGUMENT,
            status.RESOURCE_EXHAUSTED,
          ]).toContain(answer.code);
        },
      ),
      { numRuns: 60 },
    );
    await expectNothingTakenAndStillServing({
      ...counts(),
    });
  });

  it('field number 0 and wire type 7 are refused', async () => {
    const before = counts();
    for (const bytes of [
      [0x00, 0x01],
      [0x0f, 0x01],
      [0x0a, 0x05, 0x01],
    ]) {
      const answer = await client.export(Uint8Array.from(bytes));
      expect(answer.code, JSON.stringify(bytes)).toBe(status.INVALID_ARGUMENT);
    }
    await expectNothingTakenAndStillServing(before);
  });
});

describe('size limits give RESOURCE_EXHAUSTED, not retried', () => {
  it('a message larger than --max-decompressed-bytes', async () => {
    const before = counts();
    // A valid request made large by one long attribute value.
    const large = protobufOf(
      otlpJson([
        {
          traceId: 'ee'.repeat(16),
          spanId: 'ef'.repeat(8),
          name: 'chat gpt-4o-mini',
          startMillis: 0,
          endMillis: 1,
          attributes: {
            ...chatAttributes(1, 1),
            'gen_ai.prompt': 'x'.repeat(MAX_MESSAGE_BYTES + 10),
          },
        },
      ]),
    );
    const answer = await client.export(large);
    expect(answer.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(retryInfoOf(answer.trailers)).toBeUndefined();
    await expectNothingTakenAndStillServing(before);
  });

  it('a gzip bomb (8 MiB of zeros in a few KB) is cut off at the limit once inflated', async () => {
    const before = counts();
    // grpc-js compresses it (grpc-encoding gzip): a few KB on the wire.
    expect(gzipSync(Buffer.alloc(8 * MAX_MESSAGE_BYTES)).length).toBeLessThan(
      64 * 1024,
    );
    const answer = await gzipClient.export(Buffer.alloc(8 * MAX_MESSAGE_BYTES));
    expect(answer.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(answer.details).toMatch(/larger than 1048576/);
    await expectNothingTakenAndStillServing(before);
  });

  it('more spans than --max-spans-per-request, naming the setting', async () => {
    const before = counts();
    const answer = await client.export(
      chatRequest('gpt-4o-mini', MAX_SPANS + 1),
    );
    expect(answer.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(answer.details).toBe(
      `request has more than ${MAX_SPANS} spans (--max-spans-per-request)`,
    );
    await expectNothingTakenAndStillServing(before);
  });

  it('a compressed message within the limit is accepted (gzip per grpc-js)', async () => {
    const before = counts();
    const answer = await gzipClient.export(chatRequest());
    expect(answer.code, answer.details).toBe(status.OK);
    expect(fixture.sink.accepted.length).toBe(before.accepted + 1);
  });
});

describe('authentication', () => {
  it('a missing token gets UNAUTHENTICATED', async () => {
    const before = counts();
    const bare = new GrpcTestClient(fixture.gateway.grpcAddress as string);
    const answer = await bare.export(chatRequest());
    bare.close();
    expect(answer.code).toBe(status.UNAUTHENTICATED);
    expect(answer.details).toBe('missing or invalid bearer token');
    await expectNothingTakenAndStillServing(before);
  });

  it('a wrong token gets UNAUTHENTICATED, whatever the message', async () => {
    const before = counts();
    for (const token of ['wrong', `${TOKEN}x`, TOKEN.slice(1), '']) {
      const answer = await client.export(chatRequest(), token);
      expect(answer.code, token).toBe(status.UNAUTHENTICATED);
    }
    const large = await client.export(
      Buffer.alloc(4 * MAX_MESSAGE_BYTES, 1),
      'wrong',
    );
    // Refused on its metadata: the size limit is never reached.
    expect(large.code).toBe(status.UNAUTHENTICATED);
    await expectNothingTakenAndStillServing(before);
  });
});

describe('partial success, as over HTTP', () => {
  it('rejects spans with invalid ids, forwards the rest, and says so', async () => {
    const before = counts();
    const answer = await client.export(
      protobufOf(
        otlpJson([
          {
            traceId: 'c1'.repeat(16),
            spanId: 'c2'.repeat(8),
            name: 'chat gpt-4o-mini',
            startMillis: 0,
            endMillis: 10,
            attributes: chatAttributes(1000, 200),
          },
          {
            traceId: 'c1'.repeat(16),
            spanId: '00'.repeat(8),
            name: 'chat gpt-4o-mini',
            startMillis: 0,
            endMillis: 10,
            attributes: chatAttributes(1000, 200),
          },
        ]),
      ),
    );
    expect(answer.code).toBe(status.OK);
    expect(partialSuccessOf(answer.response)).toEqual({
      rejectedSpans: 1,
      errorMessage:
        '1 span(s) rejected: invalid trace_id or span_id (must be 16 and 8 bytes, not all zero)',
    });
    expect(fixture.sink.accepted.length).toBe(before.accepted + 1);
    expect(fixture.records.length).toBe(before.records + 1);
  });

  it('warns (0 rejected) about LLM calls it could not price, and forwards them', async () => {
    const answer = await client.export(chatRequest('gpt-unreleased-9'));
    expect(answer.code).toBe(status.OK);
    expect(partialSuccessOf(answer.response)).toEqual({
      rejectedSpans: 0,
      errorMessage:
        '1 LLM call(s) forwarded without a cost (no price): unknown_model openai/gpt-unreleased-9 x1',
    });
    const last = fixture.forwardedSpans().at(-1);
    expect(last?.attributes['gen_ai.cost.source']).toEqual({ s: 'unpriced' });
  });

  it('answers an empty request with an empty response', async () => {
    const answer = await client.export(new Uint8Array(0));
    expect(answer.code).toBe(status.OK);
    expect(answer.response?.length).toBe(0);
  });
});

/**
 * Issue 9, case 3 through the gateway: with `OTEL_GENAI_COST_HMAC_SECRET`
 * set, no raw e-mail or user id is forwarded, whatever the request hides:
 * metadata JSON over 65,536 characters (protobuf and OTLP/JSON), a
 * `KeyValue` with two `key` fields (protobuf keeps the last), the same key
 * twice, a value sent twice (a Collector merges them), an ambiguous
 * `AnyValue`, a map or bytes value, arrays; and generated hiding places.
 * Without a secret, no raw e-mail on LLM spans. Requests are built byte by
 * byte; the forwarded bytes are searched with escapes undone.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hiddenValuesArb,
  leaks,
} from '../../attribution/pseudonymize-hiding-places.js';
import {
  startGatewayFixture,
  type GatewayFixture,
} from '../helpers/gateway-fixture.js';
import { rawRequest } from '../helpers/raw-http.js';

const SECRET = 'gateway-identity-secret';
const EMAIL = 'victim.user@example.com';
const PROTOBUF = { 'content-type': 'application/x-protobuf' };

function hmac(value: string): string {
  return `hmac:${createHmac('sha256', SECRET).update(value).digest('hex').slice(0, 32)}`;
}

// --- A protobuf writer small enough to read: every field by hand. ---

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}
/** A length-delimited field. */
const ld = (field: number, body: Buffer | string): Buffer => {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return Buffer.concat([varint((field << 3) | 2), varint(bytes.length), bytes]);
};
const varintField = (field: number, value: number): Buffer =>
  Buffer.concat([varint(field << 3), varint(value)]);
const fixed64 = (field: number, value: bigint): Buffer => {
  const out = Buffer.alloc(9);
  out[0] = (field << 3) | 1;
  out.writeBigUInt64LE(value, 1);
  return out;
};

/** AnyValue encodings. */
const str = (value: string): Buffer => ld(1, value);
const int = (value: number): Buffer => varintField(3, value);
const arr = (...values: Buffer[]): Buffer =>
  ld(5, Buffer.concat(values.map(value => ld(1, value))));
const kvlist = (...pairs: Buffer[]): Buffer =>
  ld(6, Buffer.concat(pairs.map(pair => ld(1, pair))));
/** KeyValue: its fields in the order given (keys and values may repeat). */
const kvFields = (...fields: Buffer[]): Buffer => Buffer.concat(fields);
const key = (name: string): Buffer => ld(1, name);
const value = (anyValue: Buffer): Buffer => ld(2, anyValue);
const kv = (name: string, anyValue: Buffer): Buffer =>
  kvFields(key(name), value(anyValue));

/** An attribute value as the SDK would encode it. */
function anyValueOf(input: string | number | readonly string[]): Buffer {
  if (typeof input === 'string') return str(input);
  if (typeof input === 'number') return int(input);
  return arr(...input.map(str));
}

/** gpt-4o chat call attributes (1,000 in / 100 out). */
const LLM = [
  kv('gen_ai.operation.name', str('chat')),
  kv('gen_ai.provider.name', str('openai')),
  kv('gen_ai.request.model', str('gpt-4o')),
  kv('gen_ai.usage.input_tokens', int(1000)),
  kv('gen_ai.usage.output_tokens', int(100)),
];
/** gpt-4o: $2.50/M input, $10/M output. */
const LLM_COST = (1000 * 2.5 + 100 * 10) / 1e6;

let spanCounter = 0;
/** One request holding one span whose KeyValues are given as raw bytes. */
function request(keyValues: readonly Buffer[], llm = true): Buffer {
  spanCounter += 1;
  const traceId = Buffer.alloc(16, 0);
  traceId.writeUInt32BE(spanCounter, 12);
  const spanId = Buffer.alloc(8, 0);
  spanId.writeUInt32BE(spanCounter, 4);
  const start = 1_767_225_600_000_000_000n + BigInt(spanCounter) * 1_000_000n;
  const span = Buffer.concat([
    ld(1, traceId),
    ld(2, spanId),
    ld(5, llm ? 'chat gpt-4o' : 'db.query'),
    varintField(6, 3),
    fixed64(7, start),
    fixed64(8, start + 500_000n),
    ...[...(llm ? LLM : []), ...keyValues].map(keyValue => ld(9, keyValue)),
  ]);
  const scopeSpans = Buffer.concat([ld(1, ld(1, 'test-scope')), ld(2, span)]);
  const resource = ld(1, ld(1, kv('service.name', str('svc'))));
  return ld(1, Buffer.concat([resource, ld(2, scopeSpans)]));
}

async function post(fixture: GatewayFixture, body: Buffer): Promise<string> {
  const before = fixture.sink.accepted.length;
  const response = await rawRequest(fixture.gateway.url, {
    headers: PROTOBUF,
    body,
  });
  expect(response.status).toBe(200);
  expect(fixture.sink.accepted.length).toBe(before + 1);
  return fixture.sink.accepted[before]!.body.toString('utf8');
}

describe('gateway with a secret', () => {
  let fixture: GatewayFixture;
  beforeAll(async () => {
    fixture = await startGatewayFixture({
      env: { OTEL_GENAI_COST_HMAC_SECRET: SECRET },
    });
  });
  afterAll(() => fixture.close());

  it('pseudonymizes an e-mail userId in protobuf metadata of 70,000+ characters', async () => {
    const metadata = JSON.stringify({
      userId: EMAIL,
      note: 'x'.repeat(70_000),
    });
    const forwarded = await post(
      fixture,
      request([kv('metadata', str(metadata))]),
    );
    expect(leaks(forwarded, [EMAIL])).toEqual([]);
    const [span] = fixture.forwardedSpans().slice(-1);
    expect(span?.attributes['user.id']).toEqual({ s: hmac(EMAIL) });
    const bag = span?.attributes['metadata'] as { s: string };
    expect(JSON.parse(bag.s)).toEqual({
      userId: hmac(EMAIL),
      note: 'x'.repeat(70_000),
    });
    const cost = span?.attributes['gen_ai.usage.cost'] as { d: number };
    expect(cost.d).toBeCloseTo(LLM_COST, 12);
  });

  it('pseudonymizes it in OTLP/JSON too', async () => {
    const metadata = JSON.stringify({
      userId: EMAIL,
      note: 'x'.repeat(70_000),
    });
    const body = Buffer.from(
      JSON.stringify({
        resourceSpans: [
          {
            scopeSpans: [
              {
                scope: { name: 'openinference' },
                spans: [
                  {
                    traceId: '0af7651916cd43dd8448eb211c80319c',
                    spanId: 'b7ad6b7169203331',
                    name: 'ChatCompletion',
                    kind: 3,
                    startTimeUnixNano: '1767225600000000000',
                    endTimeUnixNano: '1767225600500000000',
                    attributes: [
                      {
                        key: 'openinference.span.kind',
                        value: { stringValue: 'LLM' },
                      },
                      { key: 'llm.provider', value: { stringValue: 'openai' } },
                      {
                        key: 'llm.model_name',
                        value: { stringValue: 'gpt-4o' },
                      },
                      {
                        key: 'llm.token_count.prompt',
                        value: { intValue: '1000' },
                      },
                      {
                        key: 'llm.token_count.completion',
                        value: { intValue: '100' },
                      },
                      { key: 'metadata', value: { stringValue: metadata } },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    const before = fixture.sink.accepted.length;
    const response = await rawRequest(fixture.gateway.url, {
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(200);
    expect(
      leaks(fixture.sink.accepted[before]!.body.toString('utf8'), [EMAIL]),
    ).toEqual([]);
  });

  it('scrubs the key the readers see when a KeyValue carries two key fields', async () => {
    // protobufjs and the Collector keep the LAST key: this is user.id.
    const crafted = kvFields(
      key('harmless'),
      key('user.id'),
      value(str('raw-user-1')),
    );
    const forwarded = await post(fixture, request([crafted]));
    expect(leaks(forwarded, ['raw-user-1'])).toEqual([]);
    const [span] = fixture.forwardedSpans().slice(-1);
    expect(span?.attributes['user.id']).toEqual({ s: hmac('raw-user-1') });
  });

  it('rewrites every copy of a key sent twice (a Collector reads the first)', async () => {
    const forwarded = await post(
      fixture,
      request(
        [kv('user.id', str('raw-user-2')), kv('user.id', str(hmac('someone')))],
        false,
      ),
    );
    expect(leaks(forwarded, ['raw-user-2'])).toEqual([]);
  });

  it('rewrites a value sent twice, the last one empty (a Collector merges them)', async () => {
    const crafted = kvFields(
      key('user.id'),
      value(str('raw-user-3')),
      value(Buffer.alloc(0)),
    );
    const forwarded = await post(fixture, request([crafted]));
    expect(leaks(forwarded, ['raw-user-3'])).toEqual([]);
  });

  it('rewrites an AnyValue holding two kinds of value', async () => {
    // Read as its last kind ('fine', nothing to rewrite); the bytes still hold the e-mail.
    const ambiguous = Buffer.concat([arr(str(EMAIL)), str('fine')]);
    const forwarded = await post(
      fixture,
      request([kv('ai.telemetry.metadata.contact', ambiguous)], false),
    );
    expect(leaks(forwarded, [EMAIL])).toEqual([]);
  });

  it('rewrites identity attributes it cannot read (a map, bytes)', async () => {
    const forwarded = await post(
      fixture,
      request([
        kv('metadata', kvlist(kv('userId', str(EMAIL)))),
        kv('user.email', ld(7, EMAIL)),
      ]),
    );
    expect(leaks(forwarded, [EMAIL])).toEqual([]);
  });

  it('rewrites identity lists and nested metadata on spans that are not LLM calls', async () => {
    const forwarded = await post(
      fixture,
      request(
        [
          kv('langfuse.trace.tags', arr(str('production'), str(EMAIL))),
          kv('ai.telemetry.metadata.userIds', arr(str('raw-user-4'))),
          kv(
            'langfuse.trace.metadata',
            str(
              JSON.stringify({
                a: { b: { c: { d: { owner: EMAIL, user_id: 'raw-user-5' } } } },
              }),
            ),
          ),
        ],
        false,
      ),
    );
    expect(leaks(forwarded, [EMAIL, 'raw-user-4', 'raw-user-5'])).toEqual([]);
  });

  it('forwards no generated hiding place raw (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(hiddenValuesArb, fc.boolean(), async (hidden, llm) => {
        const keyValues = Object.entries(hidden.attributes).map(
          ([name, input]) => kv(name, anyValueOf(input)),
        );
        const forwarded = await post(fixture, request(keyValues, llm));
        expect(leaks(forwarded, [...hidden.emails, ...hidden.ids])).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});

describe('gateway without a secret', () => {
  let fixture: GatewayFixture;
  beforeAll(async () => {
    fixture = await startGatewayFixture();
  });
  afterAll(() => fixture.close());

  it('forwards no raw e-mail on LLM spans (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(hiddenValuesArb, async hidden => {
        const keyValues = Object.entries(hidden.attributes).map(
          ([name, input]) => kv(name, anyValueOf(input)),
        );
        const forwarded = await post(fixture, request(keyValues));
        expect(leaks(forwarded, hidden.emails)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});

/**
 * Attack finding 6 (issue 9 hardening): a token count the core cannot
 * represent is present and invalid, never missing. Through the gateway, a
 * count sent as an OTLP `kvlistValue`, `bytesValue`, an empty `AnyValue` or
 * a `KeyValue` without a value leaves the call unpriced (`invalid_usage`)
 * instead of pricing the other counts alone; a model or provider sent that
 * way still reads as absent. In the core, a usage bag that is not a JSON
 * object (Langfuse `usage_details` as an array, a number, `null`; AI SDK
 * `ai.response.providerMetadata` as an array) is invalid too.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeSpan } from '../../src/core/normalize/normalize-span.js';
import type { SpanAttributes, SpanLike } from '../../src/core/span-like.js';
import { readOtlpAttributes } from '../../src/gateway/span/otlp-attribute-values.js';
import { expectedCost, GPT_4O_MINI } from '../helpers/prices.js';
import {
  startGatewayFixture,
  type GatewayFixture,
} from '../gateway/helpers/gateway-fixture.js';
import { numberOf } from '../gateway/helpers/forwarded-assertions.js';
import { ld, requestOf, varint } from '../gateway/helpers/hostile-bodies.js';
import { rawRequest } from '../gateway/helpers/raw-http.js';
import {
  referenceDecode,
  type ComparableSpan,
} from '../gateway/helpers/reference-decoder.js';

const PROTOBUF = { 'content-type': 'application/x-protobuf' };

const str = (value: string): Buffer => ld(0x0a, Buffer.from(value));
const kv = (key: string, value: Buffer | undefined): Buffer =>
  value === undefined
    ? ld(0x4a, ld(0x0a, Buffer.from(key)))
    : ld(0x4a, ld(0x0a, Buffer.from(key)), ld(0x12, value));
const intValue = (value: number): Buffer =>
  Buffer.concat([Buffer.from([0x18]), varint(value)]);
const kvlistValue = ld(
  0x32,
  ld(0x0a, ld(0x0a, Buffer.from('n')), ld(0x12, intValue(1000))),
);
const bytesValue = ld(0x3a, Buffer.from('1000'));
const EMPTY_ANY_VALUE = Buffer.alloc(0);

let nextId = 1;
function ids(): { traceId: Buffer; spanId: Buffer; hex: string } {
  const id = nextId++;
  const traceId = Buffer.alloc(16, 0x7a);
  traceId.writeUInt32BE(id, 12);
  const spanId = Buffer.alloc(8, 0x6b);
  spanId.writeUInt32BE(id, 4);
  return { traceId, spanId, hex: spanId.toString('hex') };
}

const time = (tag: number, nanos: bigint): Buffer => {
  const out = Buffer.alloc(9);
  out[0] = tag;
  out.writeBigUInt64LE(nanos, 1);
  return out;
};

/** A span with the given attribute fields (already encoded). */
function span(id: ReturnType<typeof ids>, ...attributes: Buffer[]): Buffer {
  return Buffer.concat([
    ld(0x0a, id.traceId),
    ld(0x12, id.spanId),
    ld(0x2a, Buffer.from('chat gpt-4o-mini')),
    Buffer.from([0x30, 3]),
    time(0x39, 1_767_225_600_000_000_000n),
    time(0x41, 1_767_225_600_100_000_000n),
    ...attributes,
  ]);
}

/** A gpt-4o-mini chat span, 200 output tokens, plus `extra` attributes. */
function chatSpan(id: ReturnType<typeof ids>, ...extra: Buffer[]): Buffer {
  return span(
    id,
    kv('gen_ai.operation.name', str('chat')),
    kv('gen_ai.provider.name', str('openai')),
    kv('gen_ai.request.model', str('gpt-4o-mini')),
    kv('gen_ai.usage.output_tokens', intValue(200)),
    ...extra,
  );
}

let fixture: GatewayFixture;
beforeAll(async () => {
  fixture = await startGatewayFixture();
});
afterAll(async () => {
  await fixture.close();
});

interface Outcome {
  /** The forwarded span (undefined when the reference decoder cannot read it). */
  readonly span: ComparableSpan | undefined;
  /** The unpriced reason of the call the gateway counted, or 'priced'. */
  readonly counted: string | undefined;
}

async function forwardedOf(
  id: ReturnType<typeof ids>,
  body: Buffer,
): Promise<Outcome> {
  const recordsBefore = fixture.records.length;
  const response = await rawRequest(fixture.gateway.url, {
    headers: PROTOBUF,
    body,
  });
  expect(response.status).toBe(200);
  const records = fixture.records.slice(recordsBefore);
  expect(records).toHaveLength(1);
  const cost = records[0]?.cost;
  let span: ComparableSpan | undefined;
  try {
    const last = fixture.sink.accepted.at(-1)?.body ?? Buffer.alloc(0);
    span = referenceDecode(last).find(each => each.spanId === id.hex);
  } catch {
    // protobufjs's toObject gives a KeyValue without a value as null,
    // which the reference decoder does not read.
    span = undefined;
  }
  return {
    span,
    counted:
      cost === undefined ? undefined : cost.priced ? 'priced' : cost.reason,
  };
}

describe('token counts the core cannot represent (gateway)', () => {
  it.each([
    ['kvlistValue', kvlistValue],
    ['bytesValue', bytesValue],
    ['an empty AnyValue', EMPTY_ANY_VALUE],
    ['a KeyValue without a value', undefined],
  ])(
    'an input token count sent as %s is invalid_usage, not priced as missing',
    async (_, value) => {
      const id = ids();
      const { span: forwarded, counted } = await forwardedOf(
        id,
        requestOf(chatSpan(id, kv('gen_ai.usage.input_tokens', value))),
      );
      expect(counted).toBe('invalid_usage');
      if (value !== undefined) {
        expect(forwarded?.attributes['gen_ai.cost.unpriced_reason']).toEqual({
          s: 'invalid_usage',
        });
        expect(forwarded?.attributes['gen_ai.usage.cost']).toBeUndefined();
      }
    },
  );

  it('a Langfuse usage_details that is a JSON array is invalid_usage (docs: "not a JSON object is invalid")', async () => {
    const id = ids();
    const { span: forwarded } = await forwardedOf(
      id,
      requestOf(
        span(
          id,
          kv('langfuse.observation.type', str('generation')),
          kv('langfuse.observation.model.name', str('gpt-4o-mini')),
          kv('gen_ai.system', str('openai')),
          kv('langfuse.observation.usage_details', str('[1000,10]')),
        ),
      ),
    );
    expect(forwarded?.attributes['gen_ai.cost.unpriced_reason']).toEqual({
      s: 'invalid_usage',
    });
  });

  it('a model sent as a kvlistValue still reads as absent (unpriced for its model, not its usage); valid counts beside it are unchanged', async () => {
    const id = ids();
    const { span: forwarded, counted } = await forwardedOf(
      id,
      requestOf(
        span(
          id,
          kv('gen_ai.operation.name', str('chat')),
          kv('gen_ai.provider.name', str('openai')),
          kv('gen_ai.request.model', kvlistValue),
          kv('gen_ai.usage.input_tokens', intValue(1000)),
          kv('gen_ai.usage.output_tokens', intValue(200)),
        ),
      ),
    );
    expect(counted).toBe('missing_model');
    expect(forwarded?.attributes['gen_ai.cost.unpriced_reason']).toEqual({
      s: 'missing_model',
    });
  });

  it('the same span with integer counts is priced at the published gpt-4o-mini price', async () => {
    const id = ids();
    const { span: forwarded } = await forwardedOf(
      id,
      requestOf(chatSpan(id, kv('gen_ai.usage.input_tokens', intValue(1000)))),
    );
    expect(numberOf(forwarded?.attributes['gen_ai.usage.cost'])).toBeCloseTo(
      expectedCost(GPT_4O_MINI, { uncachedInput: 1000, output: 200 }).total,
      12,
    );
  });

  const unrepresentable = fc.oneof(
    fc.constant(EMPTY_ANY_VALUE),
    fc.constant(undefined),
    fc.uint8Array({ maxLength: 8 }).map(bytes => ld(0x3a, Buffer.from(bytes))),
    fc
      .array(fc.nat({ max: 2_000 }), { maxLength: 3 })
      .map(values =>
        ld(
          0x32,
          ...values.map((value, index) =>
            ld(
              0x0a,
              ld(0x0a, Buffer.from(`k${index}`)),
              ld(0x12, intValue(value)),
            ),
          ),
        ),
      ),
  );
  // Count keys of the readers the gateway serves, each with the rest of a
  // span that is otherwise priced.
  const families: readonly {
    readonly keys: readonly string[];
    readonly base: (count: Buffer[]) => Buffer[];
  }[] = [
    {
      keys: ['gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens'],
      base: count => [
        kv('gen_ai.operation.name', str('chat')),
        kv('gen_ai.provider.name', str('openai')),
        kv('gen_ai.request.model', str('gpt-4o-mini')),
        ...count,
      ],
    },
    {
      keys: ['llm.token_count.prompt', 'llm.token_count.completion'],
      base: count => [
        kv('openinference.span.kind', str('LLM')),
        kv('llm.provider', str('openai')),
        kv('llm.model_name', str('gpt-4o-mini')),
        ...count,
      ],
    },
    {
      keys: ['ai.usage.promptTokens', 'ai.usage.completionTokens'],
      base: count => [
        kv('ai.operationId', str('ai.generateText.doGenerate')),
        kv('ai.model.provider', str('openai.chat')),
        kv('ai.model.id', str('gpt-4o-mini')),
        ...count,
      ],
    },
  ];

  it('generated: any unrepresentable value under any count key of any reader is invalid_usage; the same span with valid counts is priced', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: families.length - 1 }),
        fc.nat({ max: 1 }),
        unrepresentable,
        fc.nat({ max: 100_000 }),
        async (familyIndex, keyIndex, value, other) => {
          const family = families[familyIndex]!;
          const [badKey, otherKey] =
            keyIndex === 0
              ? [family.keys[0]!, family.keys[1]!]
              : [family.keys[1]!, family.keys[0]!];
          const id = ids();
          const bad = await forwardedOf(
            id,
            requestOf(
              span(
                id,
                ...family.base([
                  kv(badKey, value),
                  kv(otherKey, intValue(other)),
                ]),
              ),
            ),
          );
          expect(bad.counted).toBe('invalid_usage');
          const valid = ids();
          const priced = await forwardedOf(
            valid,
            requestOf(
              span(
                valid,
                ...family.base([
                  kv(badKey, intValue(1000)),
                  kv(otherKey, intValue(other)),
                ]),
              ),
            ),
          );
          expect(priced.counted).toBe('priced');
          expect(priced.span?.attributes['gen_ai.cost.source']).toEqual({
            s: 'price_table',
          });
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);
});

function spanLike(attributes: SpanAttributes): SpanLike {
  return {
    name: 'generation',
    scopeName: 'langfuse-sdk',
    traceId: 'ab'.repeat(16),
    spanId: 'cd'.repeat(8),
    parentSpanId: undefined,
    startTimeMillis: 1_767_225_600_000,
    attributes,
  };
}

describe('usage bags that are not JSON objects (core)', () => {
  const langfuse = (details: SpanAttributes[string]) =>
    normalizeSpan(
      spanLike({
        'langfuse.observation.type': 'generation',
        'langfuse.observation.model.name': 'gpt-4o-mini',
        'gen_ai.system': 'openai',
        'langfuse.observation.usage_details': details,
      }),
      'langfuse',
    );

  it.each([
    ['[1000,10]'],
    ['[]'],
    ['[{"input":1000}]'],
    ['123'],
    ['null'],
    ['"abc"'],
    ['true'],
    ['abc'],
    [''],
    ['{"input":1000'],
  ])('Langfuse usage_details %j is invalid_usage', details => {
    const call = langfuse(details);
    expect(call.issues).toContain('invalid_usage');
    expect(call.usage).toBeUndefined();
  });

  it('Langfuse usage_details as a JSON object is read (Langfuse convention: input is uncached)', () => {
    const call = langfuse('{"input":1000,"output":10}');
    expect(call.issues).not.toContain('invalid_usage');
    expect(call.usage?.inputTokens).toBe(1000);
    expect(call.usage?.outputTokens).toBe(10);
  });

  it('generated: any JSON value that is not an object is invalid_usage', () => {
    fc.assert(
      fc.property(
        fc
          .jsonValue()
          .filter(
            value =>
              value === null ||
              typeof value !== 'object' ||
              Array.isArray(value),
          ),
        value => {
          const call = langfuse(JSON.stringify(value));
          expect(call.issues).toContain('invalid_usage');
        },
      ),
    );
  });

  const aiSdk = (metadata: string | undefined) =>
    normalizeSpan(
      spanLike({
        'ai.operationId': 'ai.generateText.doGenerate',
        'ai.model.provider': 'openai.chat',
        'ai.model.id': 'gpt-4o-mini',
        'ai.usage.promptTokens': 1000,
        'ai.usage.completionTokens': 10,
        ...(metadata === undefined
          ? {}
          : { 'ai.response.providerMetadata': metadata }),
      }),
      'ai_sdk',
    );

  it.each([
    ['[]'],
    ['[{"openai":{"cachedPromptTokens":10}}]'],
    ['42'],
    ['null'],
  ])(
    'AI SDK providerMetadata %j (valid JSON, not an object) is invalid_usage',
    metadata => {
      expect(aiSdk(metadata).issues).toContain('invalid_usage');
    },
  );

  it('AI SDK providerMetadata that is an object, absent, or cut short by an attribute length limit is not an error', () => {
    expect(
      aiSdk('{"openai":{"cachedPromptTokens":100}}').usage?.cacheReadTokens,
    ).toBe(100);
    expect(aiSdk(undefined).issues).not.toContain('invalid_usage');
    expect(aiSdk('{"openai":{"cachedPro').issues).not.toContain(
      'invalid_usage',
    );
  });
});

describe('readOtlpAttributes: one rule for values the core cannot represent', () => {
  it('maps, bytes, empty values and missing values read as present and empty; arrays keep unreadable elements as null', () => {
    const attributes = readOtlpAttributes([
      { key: 'map', value: { kvlistValue: { values: [] } } },
      { key: 'bytes', value: { bytesValue: new Uint8Array([1]) } },
      { key: 'empty', value: {} },
      { key: 'none', value: undefined },
      { key: 'text', value: { stringValue: 'x' } },
      {
        key: 'list',
        value: {
          arrayValue: {
            values: [{ stringValue: 'a' }, { bytesValue: new Uint8Array() }],
          },
        },
      },
    ]);
    expect(attributes).toEqual({
      map: '',
      bytes: '',
      empty: '',
      none: '',
      text: 'x',
      list: ['a', null],
    });
  });
});

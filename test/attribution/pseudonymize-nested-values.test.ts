/**
 * Issue 9 hardening, attack finding 5: an object under a pseudonymized key
 * was kept raw (`{"userId":{"id":"customer-81723"}}`, and the "c" of
 * `{"userId":["a",{"x":"c"}]}`). The rule now: with a secret, under a key
 * that names a pseudonymized tag, every string, number and boolean (as its
 * text) and every object key is pseudonymized, at any depth; `null` stays.
 * One core rule, so the scrubber, the processor, the exporter wrapper and
 * the gateway all apply it.
 */
import { createHmac } from 'node:crypto';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  IdentityPolicy,
  scrubIdentityAttributes,
} from '../../src/entries/core.js';
import {
  CostEnrichingSpanExporter,
  CostSpanProcessor,
} from '../../src/index.js';
import {
  startGatewayFixture,
  type GatewayFixture,
} from '../gateway/helpers/gateway-fixture.js';
import { ld, requestOf, varint } from '../gateway/helpers/hostile-bodies.js';
import { rawRequest } from '../gateway/helpers/raw-http.js';

const SECRET = 'nested-values-secret';

/** HMAC-SHA256 computed here, independently of the library. */
function hmac(value: string): string {
  return `hmac:${createHmac('sha256', SECRET).update(value).digest('hex').slice(0, 32)}`;
}

const withSecret = (options = {}): IdentityPolicy =>
  new IdentityPolicy({ hmacSecret: SECRET, ...options });

function scrubbedBag(metadata: string, policy = withSecret()): unknown {
  const update = scrubIdentityAttributes({ metadata }, policy);
  return JSON.parse((update?.['metadata'] as string | undefined) ?? metadata);
}

describe('values under a pseudonymized key, in the core rule', () => {
  it('pseudonymizes an object under userId, its keys included', () => {
    expect(scrubbedBag('{"userId":{"id":"customer-81723"}}')).toEqual({
      userId: { [hmac('id')]: hmac('customer-81723') },
    });
  });

  it('pseudonymizes every element of an array under userId, objects inside too', () => {
    expect(scrubbedBag('{"userId":["a",{"x":"c"}]}')).toEqual({
      userId: [hmac('a'), { [hmac('x')]: hmac('c') }],
    });
  });

  it('pseudonymizes numbers and booleans as their text, keeps null', () => {
    expect(
      scrubbedBag('{"user_id":{"n":81723,"ok":true,"none":null},"plan":"pro"}'),
    ).toEqual({
      user_id: {
        [hmac('n')]: hmac('81723'),
        [hmac('ok')]: hmac('true'),
        [hmac('none')]: null,
      },
      plan: 'pro',
    });
  });

  it('applies to a tag spelled over several keys, and under flattened attribute names', () => {
    expect(scrubbedBag('{"ctx":{"user":{"id":{"value":"u-1"}}}}')).toEqual({
      ctx: { user: { id: { [hmac('value')]: hmac('u-1') } } },
    });
    const update = scrubIdentityAttributes(
      {
        'ai.telemetry.metadata.userId.id': 'customer-1',
        'metadata.user_id.value': 42,
        'traceloop.association.properties.user.id.ref': ['r-1', 'r-2'],
      },
      withSecret(),
    );
    expect(update).toEqual({
      'ai.telemetry.metadata.userId.id': hmac('customer-1'),
      'metadata.user_id.value': hmac('42'),
      'traceloop.association.properties.user.id.ref': [
        hmac('r-1'),
        hmac('r-2'),
      ],
    });
  });

  it('leaves other keys alone: plan, userIdentity, users', () => {
    const metadata =
      '{"plan":{"id":"pro"},"userIdentity":{"kind":"sso"},"users":{"count":3}}';
    expect(scrubIdentityAttributes({ metadata }, withSecret())).toBeUndefined();
  });

  it('follows pseudonymizeKeys: a configured tenant key pseudonymizes its subtree', () => {
    const policy = withSecret({ pseudonymizeKeys: ['userId', 'tenantId'] });
    expect(
      scrubbedBag('{"tenant":{"name":"Acme"},"plan":"pro"}', policy),
    ).toEqual({ tenant: { [hmac('name')]: hmac('Acme') }, plan: 'pro' });
  });

  it('without a secret, ids under userId stay (only e-mail addresses are replaced)', () => {
    expect(
      scrubbedBag(
        '{"userId":{"id":"customer-81723","mail":"a.b@example.com"}}',
        new IdentityPolicy(),
      ),
    ).toEqual({ userId: { id: 'customer-81723', mail: 'redacted-email' } });
  });

  it('any JSON value under userId becomes its pseudonymized copy, and a second pass changes nothing (fast-check)', () => {
    const policy = withSecret();
    /** The expected rewrite, computed here from the rule as documented. */
    const pseudonymized = (value: unknown): unknown => {
      if (value === null) return null;
      if (Array.isArray(value)) return value.map(pseudonymized);
      if (typeof value === 'object') {
        const out: Record<string, unknown> = {};
        for (const [key, child] of Object.entries(value)) {
          Object.defineProperty(out, text(key), {
            value: pseudonymized(child),
            enumerable: true,
            configurable: true,
            writable: true,
          });
        }
        return out;
      }
      return text(String(value));
    };
    const text = (value: string): string =>
      value.trim() === '' ? value : hmac(value.trim());
    fc.assert(
      // The plan holds no '@': a plan that looks like an e-mail address
      // ("!@!.!") is redacted by the e-mail rule, which is not under test.
      fc.property(
        fc.jsonValue(),
        fc.string().filter(s => !s.includes('@')),
        (value, plan) => {
          const metadata = JSON.stringify({ plan, userId: value });
          const parsed = JSON.parse(metadata) as { userId: unknown };
          const expected = JSON.stringify({
            plan,
            userId: pseudonymized(parsed.userId),
          });
          const once =
            (scrubIdentityAttributes({ metadata }, policy)?.['metadata'] as
              string | undefined) ?? metadata;
          expect(once).toBe(expected);
          expect(
            scrubIdentityAttributes({ metadata: once }, policy),
          ).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('values under a pseudonymized key, in every shell', () => {
  let fixture: GatewayFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  const BAGS = [
    '{"userId":{"id":"customer-81723"}}',
    '{"userId":["a",{"x":"customer-92834"}]}',
  ];
  const RAW = ['customer-81723', 'customer-92834'];
  /** An OpenInference LLM span (gpt-4o, 1,000 in / 100 out). */
  const LLM = {
    'openinference.span.kind': 'LLM',
    'llm.provider': 'openai',
    'llm.model_name': 'gpt-4o',
    'llm.token_count.prompt': 1000,
    'llm.token_count.completion': 100,
  };

  for (const shell of ['processor', 'exporter wrapper'] as const) {
    it(`${shell}: no raw id under userId reaches the exporter`, async () => {
      const env = { OTEL_GENAI_COST_HMAC_SECRET: SECRET };
      const exporter = new InMemorySpanExporter();
      const provider = new BasicTracerProvider({
        spanProcessors:
          shell === 'processor'
            ? [
                new CostSpanProcessor({ env }),
                new SimpleSpanProcessor(exporter),
              ]
            : [
                new SimpleSpanProcessor(
                  new CostEnrichingSpanExporter(exporter, { env }),
                ),
              ],
      });
      const tracer = provider.getTracer('nested-values-test');
      for (const metadata of BAGS) {
        tracer
          .startSpan('ChatCompletion', { attributes: { ...LLM, metadata } })
          .end();
        tracer.startSpan('chain', { attributes: { metadata } }).end();
      }
      await provider.forceFlush();
      const spans = exporter.getFinishedSpans();
      expect(spans).toHaveLength(4);
      const written = JSON.stringify(spans.map(span => span.attributes));
      for (const raw of RAW) expect(written).not.toContain(raw);
      expect(JSON.parse(spans[0]!.attributes['metadata'] as string)).toEqual({
        userId: { [hmac('id')]: hmac('customer-81723') },
      });
      // gpt-4o: $2.50/M input, $10/M output.
      expect(spans[0]!.attributes['gen_ai.usage.cost']).toBeCloseTo(
        (1000 * 2.5 + 100 * 10) / 1e6,
        12,
      );
      await provider.shutdown();
    });
  }

  it('gateway: an object under a userId key in a metadata bag is pseudonymized too', async () => {
    fixture = await startGatewayFixture({
      env: { OTEL_GENAI_COST_HMAC_SECRET: SECRET },
    });
    const str = (value: string): Buffer => ld(0x0a, Buffer.from(value));
    const kv = (key: string, value: Buffer): Buffer =>
      ld(0x4a, ld(0x0a, Buffer.from(key)), ld(0x12, value));
    const intValue = (value: number): Buffer =>
      Buffer.concat([Buffer.from([0x18]), varint(value)]);
    const spans = BAGS.map((bag, i) => {
      const traceId = Buffer.alloc(16, 0x3c);
      traceId.writeUInt32BE(i + 1, 12);
      const spanId = Buffer.alloc(8, 0x4d);
      spanId.writeUInt32BE(i + 1, 4);
      return Buffer.concat([
        ld(0x0a, traceId),
        ld(0x12, spanId),
        ld(0x2a, Buffer.from('chat gpt-4o-mini')),
        Buffer.from([0x30, 3]),
        kv('gen_ai.operation.name', str('chat')),
        kv('gen_ai.provider.name', str('openai')),
        kv('gen_ai.request.model', str('gpt-4o-mini')),
        kv('gen_ai.usage.input_tokens', intValue(1000)),
        kv('gen_ai.usage.output_tokens', intValue(200)),
        kv('metadata', str(bag)),
      ]);
    });
    const response = await rawRequest(fixture.gateway.url, {
      headers: { 'content-type': 'application/x-protobuf' },
      body: requestOf(...spans),
    });
    expect(response.status).toBe(200);
    const forwarded = fixture.sink.accepted.at(-1)?.body ?? Buffer.alloc(0);
    // Before: {"userId":{"id":"customer-81723"}} forwarded as is (an array
    // under userId was rewritten, an object was not).
    for (const raw of RAW) {
      expect(forwarded.includes(Buffer.from(raw))).toBe(false);
    }
    expect(forwarded.includes(Buffer.from(hmac('customer-81723')))).toBe(true);
    expect(forwarded.includes(Buffer.from(hmac('customer-92834')))).toBe(true);
  });
});

/**
 * Issue 9, case 2, through the gateway: a span whose token count is int64
 * max (`intValue`, as protobuf and as OTLP/JSON) is forwarded unpriced with
 * reason `invalid_usage`, no cost number, and counted without a cost or
 * tokens; a valid span in the same request is priced at published prices.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { otlpMessageTypes } from '../../src/gateway/otlp/otlp-message-types.js';
import { GPT_4O } from '../core/price/published-prices.js';
import {
  startGatewayFixture,
  type GatewayFixture,
} from '../gateway/helpers/gateway-fixture.js';
import { rawRequest } from '../gateway/helpers/raw-http.js';
import type { ComparableSpan } from '../gateway/helpers/reference-decoder.js';

const INT64_MAX = '9223372036854775807';
const START_NANOS = '1767225600000000000';
const END_NANOS = '1767225601000000000';

let fixture: GatewayFixture;
beforeAll(async () => {
  fixture = await startGatewayFixture();
});
afterAll(async () => {
  await fixture.close();
});

let counter = 0;
function ids(): { traceId: string; spanId: string } {
  counter += 1;
  const n = counter.toString(16).padStart(4, '0');
  return {
    traceId: `${n}`.padStart(32, 'a'),
    spanId: `${n}`.padStart(16, 'b'),
  };
}

/** OTLP/JSON with integers written as strings, exactly as given. */
function jsonRequest(
  spans: readonly { traceId: string; spanId: string; input: string }[],
): Buffer {
  return Buffer.from(
    JSON.stringify({
      resourceSpans: [
        {
          resource: {
            attributes: [
              { key: 'service.name', value: { stringValue: 'app' } },
            ],
          },
          scopeSpans: [
            {
              scope: { name: 'test' },
              spans: spans.map(span => ({
                traceId: span.traceId,
                spanId: span.spanId,
                name: 'chat gpt-4o',
                kind: 3,
                startTimeUnixNano: START_NANOS,
                endTimeUnixNano: END_NANOS,
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
                    value: { stringValue: 'gpt-4o' },
                  },
                  {
                    key: 'gen_ai.usage.input_tokens',
                    value: { intValue: span.input },
                  },
                  {
                    key: 'gen_ai.usage.output_tokens',
                    value: { intValue: '100' },
                  },
                ],
              })),
            },
          ],
        },
      ],
    }),
  );
}

/** The same request as binary protobuf (int64 fields from decimal strings). */
function protobufRequest(
  spans: readonly { traceId: string; spanId: string; input: string }[],
): Uint8Array {
  const json = JSON.parse(jsonRequest(spans).toString('utf8')) as {
    resourceSpans: {
      scopeSpans: { spans: { traceId: string; spanId: string }[] }[];
    }[];
  };
  for (const span of json.resourceSpans[0]!.scopeSpans[0]!.spans) {
    (span as unknown as Record<string, unknown>).traceId = Buffer.from(
      span.traceId,
      'hex',
    );
    (span as unknown as Record<string, unknown>).spanId = Buffer.from(
      span.spanId,
      'hex',
    );
  }
  const type = otlpMessageTypes().request;
  return type.encode(type.fromObject(json)).finish();
}

function forwarded(spanId: string): ComparableSpan {
  const span = fixture.forwardedSpans().find(s => s.spanId === spanId);
  if (span === undefined) throw new Error(`span ${spanId} not forwarded`);
  return span;
}

describe.each([
  ['OTLP/JSON', 'application/json', jsonRequest],
  ['protobuf', 'application/x-protobuf', protobufRequest],
] as const)(
  'gateway, %s: input tokens intValue int64 max',
  (_label, type, build) => {
    it('is forwarded unpriced (invalid_usage) with no cost; a valid span beside it is priced', async () => {
      const bad = { ...ids(), input: INT64_MAX };
      const good = { ...ids(), input: '1000' };
      const recordsBefore = fixture.records.length;
      const response = await rawRequest(fixture.gateway.url, {
        headers: { 'content-type': type },
        body: build([bad, good]),
      });
      expect(response.status).toBe(200);

      const badSpan = forwarded(bad.spanId);
      expect(badSpan.attributes['gen_ai.cost.source']).toEqual({
        s: 'unpriced',
      });
      expect(badSpan.attributes['gen_ai.cost.unpriced_reason']).toEqual({
        s: 'invalid_usage',
      });
      expect(badSpan.attributes['gen_ai.usage.cost']).toBeUndefined();
      expect(badSpan.attributes['gen_ai.cost.input']).toBeUndefined();

      const goodSpan = forwarded(good.spanId);
      const cost = goodSpan.attributes['gen_ai.usage.cost'] as { d: number };
      expect(cost.d).toBeCloseTo(
        (1000 * GPT_4O.inputPerMTok + 100 * GPT_4O.outputPerMTok) / 1e6,
        12,
      );

      // What the gateway counted: the bad call unpriced, with no usage, and
      // the good call with exactly the cost written on its span.
      const records = fixture.records.slice(recordsBefore);
      expect(records).toHaveLength(2);
      const unpriced = records.filter(record => !record.cost.priced);
      expect(unpriced).toHaveLength(1);
      expect(unpriced[0]?.cost).toEqual({
        priced: false,
        reason: 'invalid_usage',
      });
      expect(unpriced[0]?.call.usage).toBeUndefined();
      const priced = records.find(record => record.cost.priced);
      expect(priced?.cost.priced && priced.cost.totalUsd).toBe(cost.d);
    });
  },
);

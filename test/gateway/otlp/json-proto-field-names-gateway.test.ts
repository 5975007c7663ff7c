/**
 * Through the gateway's HTTP receiver: an OTLP/JSON request written with
 * the proto's field names (`resource_spans`, `scope_spans`, `trace_id`,
 * `int_value`...), as the Collector accepts it, is priced and forwarded
 * like the same request in lowerCamelCase, not answered 200 and dropped.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { expectedCost, GPT_4O_MINI } from '../../helpers/prices.js';
import { numberOf } from '../helpers/forwarded-assertions.js';
import {
  startGatewayFixture,
  type GatewayFixture,
} from '../helpers/gateway-fixture.js';
import {
  chatAttributes,
  JSON_HEADERS,
  otlpJson,
  type JsonSpanSpec,
} from '../helpers/otlp-json.js';
import { rawRequest } from '../helpers/raw-http.js';

let fixture: GatewayFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

// gpt-4o-mini at its published $0.15 / $0.60 per million tokens.
const COST_1000_200 = expectedCost(GPT_4O_MINI, {
  uncachedInput: 1000,
  output: 200,
}).total;

const CHAT: JsonSpanSpec = {
  traceId: '5b8efff798038103d269b633813fc60c',
  spanId: 'eee19b7ec3c1b174',
  name: 'chat gpt-4o-mini',
  startMillis: 0,
  endMillis: 1200,
  attributes: chatAttributes(1000, 200),
};

/** Every object key in snake_case (attribute keys are values: unchanged). */
function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key.replace(/[A-Z]/g, letter => `_${letter.toLowerCase()}`),
      snakeKeys(inner),
    ]),
  );
}

async function post(body: Uint8Array): Promise<void> {
  const response = await rawRequest((fixture as GatewayFixture).gateway.url, {
    headers: JSON_HEADERS,
    body,
  });
  expect(response.status, response.body.toString()).toBe(200);
}

describe('gateway: OTLP/JSON with proto (snake_case) field names', () => {
  it('prices and forwards a snake_case LLM span as its camelCase twin', async () => {
    const camelBody = otlpJson([CHAT]);
    const snakeText = JSON.stringify(
      snakeKeys(JSON.parse(camelBody.toString())),
    );
    expect(snakeText).toContain('"resource_spans"');
    expect(snakeText).toContain('"start_time_unix_nano"');
    expect(snakeText).toContain('"int_value"');
    expect(snakeText).not.toContain('"scopeSpans"');

    fixture = await startGatewayFixture();
    await post(Buffer.from(snakeText));
    expect(fixture.records).toHaveLength(1);
    const [record] = fixture.records;
    expect(record?.spanId).toBe(CHAT.spanId);
    const cost = record?.cost;
    if (cost?.priced !== true) throw new Error(`not priced: ${String(cost)}`);
    expect(cost.totalUsd).toBeCloseTo(COST_1000_200, 12);
    const snakeForwarded = fixture.forwardedSpans();
    expect(snakeForwarded).toHaveLength(1);
    const [span] = snakeForwarded;
    expect(span?.traceId).toBe(CHAT.traceId);
    expect(span?.name).toBe(CHAT.name);
    expect(span?.endTimeUnixNano).toBe('1767225601200000000');
    expect(numberOf(span?.attributes['gen_ai.usage.cost'])).toBeCloseTo(
      COST_1000_200,
      12,
    );
    await fixture.close();
    fixture = undefined;

    fixture = await startGatewayFixture();
    await post(camelBody);
    expect(fixture.forwardedSpans()).toEqual(snakeForwarded);
  });
});

/**
 * Exactly once across requests: redelivered batches (raw or already
 * enriched) are forwarded again but priced identically and counted once;
 * nested LLM spans are priced once whichever request or order they arrive
 * in, within the trace window.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { expectedCost, GPT_4O_MINI } from '../helpers/prices.js';
import {
  startGatewayFixture,
  type GatewayFixture,
} from './helpers/gateway-fixture.js';
import { numberOf } from './helpers/forwarded-assertions.js';
import {
  chatAttributes,
  JSON_HEADERS,
  otlpJson,
  type JsonSpanSpec,
} from './helpers/otlp-json.js';
import { rawRequest } from './helpers/raw-http.js';
import {
  referenceDecode,
  type ComparableSpan,
} from './helpers/reference-decoder.js';

let fixture: GatewayFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const TRACE = 'a1'.repeat(16);
const COST_1000_200 = expectedCost(GPT_4O_MINI, {
  uncachedInput: 1000,
  output: 200,
}).total;

async function post(
  body: Uint8Array,
  headers: Record<string, string> = JSON_HEADERS,
): Promise<void> {
  const response = await rawRequest((fixture as GatewayFixture).gateway.url, {
    headers,
    body,
  });
  expect(response.status, response.body.toString()).toBe(200);
}

function forwarded(spanId: string): ComparableSpan[] {
  return (fixture as GatewayFixture)
    .forwardedSpans()
    .filter(span => span.spanId === spanId);
}

/** An OpenInference LLM span around an OpenAI-instrumentation chat span (no response ids). */
function nested(trace = TRACE): { child: JsonSpanSpec; parent: JsonSpanSpec } {
  const parent: JsonSpanSpec = {
    traceId: trace,
    spanId: 'b1'.repeat(8),
    name: 'ChatOpenAI',
    scope: 'openinference.instrumentation.langchain',
    startMillis: 0,
    endMillis: 900,
    attributes: {
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'gpt-4o-mini',
      'llm.provider': 'openai',
      'llm.token_count.prompt': 1000,
      'llm.token_count.completion': 200,
    },
  };
  const child: JsonSpanSpec = {
    traceId: trace,
    spanId: 'c1'.repeat(8),
    parentSpanId: parent.spanId,
    name: 'chat gpt-4o-mini',
    scope: 'opentelemetry.instrumentation.openai_v2',
    startMillis: 10,
    endMillis: 800,
    attributes: chatAttributes(1000, 200),
  };
  return { child, parent };
}

describe('redelivery', () => {
  it('a batch delivered twice is forwarded twice with the same attributes and counted once', async () => {
    fixture = await startGatewayFixture();
    const { child, parent } = nested();
    const body = otlpJson([child, parent]);
    await post(body);
    await post(body);
    const [first, second] = fixture.sink.accepted.map(request =>
      referenceDecode(request.body),
    );
    expect(second).toEqual(first);
    expect(
      numberOf(
        first?.find(span => span.spanId === child.spanId)?.attributes[
          'gen_ai.usage.cost'
        ],
      ),
    ).toBeCloseTo(COST_1000_200, 12);
    expect(fixture.records).toHaveLength(1);
  });

  it('an enriched batch sent again passes through unchanged and is not counted again', async () => {
    fixture = await startGatewayFixture();
    const { child, parent } = nested();
    await post(otlpJson([child, parent]));
    const enriched = fixture.sink.accepted[0]?.body as Buffer;
    await post(enriched, { 'content-type': 'application/x-protobuf' });
    const [first, second] = fixture.sink.accepted.map(request =>
      referenceDecode(request.body),
    );
    expect(second).toEqual(first);
    expect(fixture.records).toHaveLength(1);
  });

  it('spans priced elsewhere (gen_ai.cost.source set) are not re-priced or counted', async () => {
    fixture = await startGatewayFixture();
    const priced: JsonSpanSpec = {
      ...nested().child,
      attributes: {
        ...chatAttributes(1000, 200),
        'gen_ai.usage.cost': 0.5,
        'gen_ai.cost.source': 'price_table',
      },
    };
    await post(otlpJson([priced]));
    const [copy] = forwarded(priced.spanId);
    expect(copy?.attributes['gen_ai.usage.cost']).toEqual({ d: 0.5 });
    expect(copy?.attributes['gen_ai.cost.skipped']).toBeUndefined();
    expect(fixture.records).toHaveLength(0);
  });
});

describe('nested LLM spans', () => {
  it('are priced once when the child and the parent arrive in separate requests', async () => {
    fixture = await startGatewayFixture();
    const { child, parent } = nested();
    await post(otlpJson([child]));
    await post(otlpJson([parent]));
    expect(
      numberOf(forwarded(child.spanId)[0]?.attributes['gen_ai.usage.cost']),
    ).toBeCloseTo(COST_1000_200, 12);
    const [parentCopy] = forwarded(parent.spanId);
    expect(parentCopy?.attributes['gen_ai.usage.cost']).toBeUndefined();
    expect(parentCopy?.attributes['gen_ai.cost.skipped']).toEqual({
      s: 'covered_by_descendant',
    });
    expect(fixture.records).toHaveLength(1);
  });

  it('stay priced once when the parent request is delivered again on its own', async () => {
    fixture = await startGatewayFixture();
    const { child, parent } = nested();
    await post(otlpJson([child]));
    await post(otlpJson([parent]));
    await post(otlpJson([parent])); // its 200 was lost: the Collector retries
    for (const copy of forwarded(parent.spanId)) {
      expect(copy.attributes['gen_ai.usage.cost']).toBeUndefined();
      expect(copy.attributes['gen_ai.cost.skipped']).toEqual({
        s: 'covered_by_descendant',
      });
    }
    expect(forwarded(parent.spanId)).toHaveLength(2);
    expect(fixture.records).toHaveLength(1);
  });

  it('are taken in end-time order, whatever their order in the request', async () => {
    fixture = await startGatewayFixture();
    const { child, parent } = nested();
    await post(otlpJson([parent, child]));
    expect(
      forwarded(child.spanId)[0]?.attributes['gen_ai.usage.cost'],
    ).toBeDefined();
    expect(
      forwarded(parent.spanId)[0]?.attributes['gen_ai.cost.skipped'],
    ).toEqual({ s: 'covered_by_descendant' });
    expect(fixture.records).toHaveLength(1);
  });

  it('are priced twice once the trace was forgotten (cap reached): the documented limit', async () => {
    // With stacked matching on (the default), these two layered scopes
    // would still be matched across traces (test/gateway/stacked-*.test.ts);
    // the trace cap's limit shows with it off.
    fixture = await startGatewayFixture({ maxTraces: 1, emitters: 'all' });
    const first = nested('a2'.repeat(16));
    const other = nested('a3'.repeat(16));
    await post(otlpJson([first.child]));
    await post(otlpJson([other.child])); // evicts the first trace
    await post(otlpJson([first.parent]));
    expect(
      forwarded(first.parent.spanId).at(-1)?.attributes['gen_ai.usage.cost'],
    ).toBeDefined();
    expect(fixture.gateway.status().details).toMatchObject({
      traces: { tracked: 1, evictedEarly: 2 },
    });
  });
});

describe('AI SDK wrappers', () => {
  it('are never priced, even alone in a request', async () => {
    fixture = await startGatewayFixture();
    const wrapper: JsonSpanSpec = {
      traceId: TRACE,
      spanId: 'd1'.repeat(8),
      name: 'ai.generateText',
      scope: 'ai',
      startMillis: 0,
      endMillis: 1000,
      attributes: {
        'ai.operationId': 'ai.generateText',
        'ai.model.id': 'gpt-4o-mini',
        'ai.model.provider': 'openai.chat',
        'ai.usage.promptTokens': 1000,
        'ai.usage.completionTokens': 200,
      },
    };
    await post(otlpJson([wrapper]));
    const [copy] = forwarded(wrapper.spanId);
    expect(
      Object.keys(copy?.attributes ?? {}).filter(key =>
        key.startsWith('gen_ai.usage.cost'),
      ),
    ).toEqual([]);
    expect(fixture.records).toHaveLength(0);
  });
});

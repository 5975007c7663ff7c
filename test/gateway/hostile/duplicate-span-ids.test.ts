/**
 * Issue 9, case 6b: two different LLM calls with the same trace and span
 * id. The first (in end-time order, then request order) is priced and
 * counted; a different span with the same ids, in the same request or a
 * later one within the trace window, is rejected in `partial_success` and
 * not forwarded, never written with the first one's cost. A true
 * redelivery (the same bytes) is still forwarded again and counted once.
 * Expected costs come from OpenAI's published gpt-4o-mini prices.
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
import type { ComparableSpan } from '../helpers/reference-decoder.js';

let fixture: GatewayFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const TRACE = 'd1'.repeat(16);
const SPAN = 'e1'.repeat(8);
const cost = (input: number, output: number): number =>
  expectedCost(GPT_4O_MINI, { uncachedInput: input, output }).total;

function chat(
  input: number,
  output: number,
  ids: { traceId?: string; spanId?: string; parentSpanId?: string } = {},
): JsonSpanSpec {
  return {
    traceId: ids.traceId ?? TRACE,
    spanId: ids.spanId ?? SPAN,
    ...(ids.parentSpanId === undefined
      ? {}
      : { parentSpanId: ids.parentSpanId }),
    name: 'chat gpt-4o-mini',
    startMillis: 0,
    endMillis: 400,
    attributes: chatAttributes(input, output),
  };
}

interface PartialSuccess {
  readonly rejectedSpans?: string;
  readonly errorMessage?: string;
}

async function post(spans: readonly JsonSpanSpec[]): Promise<PartialSuccess> {
  const response = await rawRequest((fixture as GatewayFixture).gateway.url, {
    headers: JSON_HEADERS,
    body: otlpJson(spans),
  });
  expect(response.status, response.body.toString()).toBe(200);
  const body = JSON.parse(response.body.toString()) as {
    partialSuccess?: PartialSuccess;
  };
  return body.partialSuccess ?? {};
}

function forwarded(spanId = SPAN): ComparableSpan[] {
  return (fixture as GatewayFixture)
    .forwardedSpans()
    .filter(span => span.spanId === spanId);
}

const costOf = (span: ComparableSpan | undefined): number =>
  numberOf(span?.attributes['gen_ai.usage.cost']);

const countedCosts = (): number[] =>
  (fixture as GatewayFixture).records.map(record =>
    record.cost.priced ? record.cost.totalUsd : NaN,
  );

describe('two different LLM calls with the same trace and span id', () => {
  it('in one request: the second is rejected in partial_success, not forwarded with the first cost', async () => {
    fixture = await startGatewayFixture();
    const answer = await post([chat(1000, 200), chat(3000, 500)]);
    expect(answer.rejectedSpans).toBe('1');
    expect(answer.errorMessage).toMatch(
      /1 span\(s\) rejected: trace_id and span_id already used by a different span/,
    );
    const copies = forwarded();
    expect(copies).toHaveLength(1);
    expect(costOf(copies[0])).toBeCloseTo(cost(1000, 200), 12);
    expect(countedCosts()).toHaveLength(1);
    expect(countedCosts()[0]).toBeCloseTo(cost(1000, 200), 12);
    expect(fixture.gateway.stats.spansRejected).toBe(1);
  });

  it('in one request, the one that ends first is kept (spans are taken in end-time order)', async () => {
    fixture = await startGatewayFixture();
    const early = { ...chat(3000, 500), endMillis: 100 };
    const answer = await post([chat(1000, 200), early]);
    expect(answer.rejectedSpans).toBe('1');
    expect(forwarded()).toHaveLength(1);
    expect(costOf(forwarded()[0])).toBeCloseTo(cost(3000, 500), 12);
    expect(countedCosts()).toEqual([expect.closeTo(cost(3000, 500), 12)]);
  });

  it('across two requests: the later one is rejected, the other spans of its request are forwarded and counted', async () => {
    fixture = await startGatewayFixture();
    expect(await post([chat(1000, 200)])).toEqual({});
    const other = chat(2000, 100, { spanId: 'e2'.repeat(8) });
    const answer = await post([chat(3000, 500), other]);
    expect(answer.rejectedSpans).toBe('1');
    expect(forwarded()).toHaveLength(1);
    expect(costOf(forwarded()[0])).toBeCloseTo(cost(1000, 200), 12);
    expect(costOf(forwarded(other.spanId)[0])).toBeCloseTo(cost(2000, 100), 12);
    expect(countedCosts()).toEqual([
      expect.closeTo(cost(1000, 200), 12),
      expect.closeTo(cost(2000, 100), 12),
    ]);
  });

  it('a different call reusing the id of a covered parent is rejected, not skipped as covered', async () => {
    fixture = await startGatewayFixture();
    const parentId = 'e3'.repeat(8);
    const child = chat(1000, 200, { parentSpanId: parentId });
    const parent: JsonSpanSpec = {
      ...chat(1000, 200, { spanId: parentId }),
      name: 'ChatOpenAI',
      endMillis: 900,
    };
    await post([child, parent]);
    expect(forwarded(parentId)[0]?.attributes['gen_ai.cost.skipped']).toEqual({
      s: 'covered_by_descendant',
    });
    const impostor = chat(5000, 900, { spanId: parentId });
    const answer = await post([impostor]);
    expect(answer.rejectedSpans).toBe('1');
    expect(forwarded(parentId)).toHaveLength(1);
    expect(countedCosts()).toEqual([expect.closeTo(cost(1000, 200), 12)]);
  });

  it('a non-LLM span reusing an LLM span id is rejected, not written with its cost', async () => {
    fixture = await startGatewayFixture();
    await post([chat(1000, 200)]);
    const database: JsonSpanSpec = {
      traceId: TRACE,
      spanId: SPAN,
      name: 'SELECT users',
      startMillis: 0,
      endMillis: 400,
      attributes: { 'db.system.name': 'postgresql' },
    };
    const answer = await post([database]);
    expect(answer.rejectedSpans).toBe('1');
    expect(forwarded()).toHaveLength(1);
    expect(fixture.records).toHaveLength(1);
  });
});

describe('spans evaluated upstream under a remembered id', () => {
  it('our own enriched copy passes through unchanged and is not counted again', async () => {
    fixture = await startGatewayFixture();
    await post([chat(1000, 200)]);
    const enriched = fixture.sink.accepted[0]?.body as Buffer;
    const response = await rawRequest(fixture.gateway.url, {
      headers: { 'content-type': 'application/x-protobuf' },
      body: enriched,
    });
    expect(response.status).toBe(200);
    expect(response.body.byteLength).toBe(0); // no partial_success
    const [first, second] = forwarded();
    expect(second).toEqual(first);
    expect(fixture.records).toHaveLength(1);
  });

  it('a different span carrying its own upstream cost keeps that cost, and is not counted', async () => {
    fixture = await startGatewayFixture();
    await post([chat(1000, 200)]);
    const pricedElsewhere: JsonSpanSpec = {
      ...chat(3000, 500),
      attributes: {
        ...chatAttributes(3000, 500),
        'gen_ai.usage.cost': 0.125,
        'gen_ai.cost.source': 'price_table',
      },
    };
    expect(await post([pricedElsewhere])).toEqual({});
    const copies = forwarded();
    expect(copies).toHaveLength(2);
    expect(copies[1]?.attributes['gen_ai.usage.cost']).toEqual({ d: 0.125 });
    expect(countedCosts()).toEqual([expect.closeTo(cost(1000, 200), 12)]);
  });
});

describe('a true redelivery (the same bytes) keeps its behaviour', () => {
  it('the same request twice: forwarded twice with the same cost, counted once, nothing rejected', async () => {
    fixture = await startGatewayFixture();
    const batch = [
      chat(1000, 200),
      chat(2000, 100, { spanId: 'e4'.repeat(8) }),
    ];
    expect(await post(batch)).toEqual({});
    expect(await post(batch)).toEqual({});
    const copies = forwarded();
    expect(copies).toHaveLength(2);
    expect(copies[1]).toEqual(copies[0]);
    expect(costOf(copies[1])).toBeCloseTo(cost(1000, 200), 12);
    expect(countedCosts()).toEqual([
      expect.closeTo(cost(1000, 200), 12),
      expect.closeTo(cost(2000, 100), 12),
    ]);
  });

  it('the same span twice in one request: both forwarded, counted once', async () => {
    fixture = await startGatewayFixture();
    expect(await post([chat(1000, 200), chat(1000, 200)])).toEqual({});
    const copies = forwarded();
    expect(copies).toHaveLength(2);
    for (const copy of copies) {
      expect(costOf(copy)).toBeCloseTo(cost(1000, 200), 12);
    }
    expect(countedCosts()).toEqual([expect.closeTo(cost(1000, 200), 12)]);
  });

  it('the redelivered span, in another request with other spans, gets its own cost and is not counted again', async () => {
    fixture = await startGatewayFixture();
    await post([chat(1000, 200)]);
    const other = chat(2000, 100, { spanId: 'e5'.repeat(8) });
    expect(await post([other, chat(1000, 200)])).toEqual({});
    expect(forwarded()).toHaveLength(2);
    expect(costOf(forwarded()[1])).toBeCloseTo(cost(1000, 200), 12);
    expect(countedCosts()).toEqual([
      expect.closeTo(cost(1000, 200), 12),
      expect.closeTo(cost(2000, 100), 12),
    ]);
  });
});

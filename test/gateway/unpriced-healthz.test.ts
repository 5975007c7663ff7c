import { afterEach, describe, expect, it } from 'vitest';
import {
  startGatewayFixture,
  type GatewayFixture,
} from './helpers/gateway-fixture.js';
import {
  chatAttributes,
  JSON_HEADERS,
  otlpJson,
  type JsonSpanSpec,
} from './helpers/otlp-json.js';
import { rawRequest } from './helpers/raw-http.js';

let fixture: GatewayFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

function hex(n: number, length: number): string {
  return n.toString(16).padStart(length, '0');
}

function span(n: number, model: string | undefined): JsonSpanSpec {
  const attributes: Record<string, string | number> = chatAttributes(1000, 200);
  if (model === undefined) delete attributes['gen_ai.request.model'];
  else attributes['gen_ai.request.model'] = model;
  return {
    traceId: hex(n + 1, 32),
    spanId: hex(n + 1, 16),
    name: 'chat',
    startMillis: 0,
    endMillis: 10,
    attributes,
  };
}

async function post(spans: readonly JsonSpanSpec[]): Promise<void> {
  const response = await rawRequest(fixture!.gateway.url, {
    headers: JSON_HEADERS,
    body: otlpJson(spans),
  });
  expect(response.status).toBe(200);
}

async function healthz(): Promise<Record<string, unknown>> {
  const url = new URL('/healthz', fixture!.gateway.url);
  const response = await rawRequest(url.href, { method: 'GET' });
  expect(response.status).toBe(200);
  return JSON.parse(response.body.toString('utf8')) as Record<string, unknown>;
}

describe('/healthz unpriced', () => {
  it('is an empty list before any unpriced call', async () => {
    fixture = await startGatewayFixture();
    await post([span(0, 'gpt-4o-mini')]);
    const body = await healthz();
    expect(body.unpriced).toEqual([]);
    expect(body.unpricedOverflowCalls).toBe(0);
  });

  it('lists unpriced calls by reason, provider and model, most calls first, counted once per span', async () => {
    fixture = await startGatewayFixture();
    const batch = [
      span(0, 'acme-llm-1'),
      span(1, 'acme-llm-1'),
      span(2, 'acme-llm-1'),
      span(3, 'other-llm'),
      span(4, undefined),
      span(5, 'gpt-4o-mini'),
    ];
    await post(batch);
    await post(batch); // a redelivery is not counted again
    const body = await healthz();
    expect(body.unpriced).toEqual([
      {
        reason: 'unknown_model',
        provider: 'openai',
        model: 'acme-llm-1',
        calls: 3,
      },
      {
        reason: 'unknown_model',
        provider: 'openai',
        model: 'other-llm',
        calls: 1,
      },
      { reason: 'missing_model', provider: 'openai', model: '', calls: 1 },
    ]);
    const unpricedCalls = fixture.records.filter(r => !r.cost.priced).length;
    expect(unpricedCalls).toBe(5);
  });

  it('lists at most 100 of 1,500 distinct models and keeps 1,000, the rest counted as overflow', async () => {
    fixture = await startGatewayFixture();
    const spans: JsonSpanSpec[] = [];
    for (let i = 0; i < 1500; i++) spans.push(span(i, `flood-model-${i}`));
    // The first model twice more: it leads the list.
    spans.push(span(2000, 'flood-model-0'), span(2001, 'flood-model-0'));
    for (let i = 0; i < spans.length; i += 500)
      await post(spans.slice(i, i + 500));
    const body = await healthz();
    const list = body.unpriced as { model: string; calls: number }[];
    expect(list).toHaveLength(100);
    expect(list[0]).toEqual({
      reason: 'unknown_model',
      provider: 'openai',
      model: 'flood-model-0',
      calls: 3,
    });
    expect(body.unpricedOverflowCalls).toBe(500);
  });
});

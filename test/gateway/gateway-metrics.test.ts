/**
 * `--metrics`: the gateway serves the cost counters for Prometheus, and a
 * redelivered batch does not count twice.
 */
import { afterEach, expect, it } from 'vitest';
import { expectedCost, GPT_4O_MINI } from '../helpers/prices.js';
import {
  startGatewayFixture,
  type GatewayFixture,
} from './helpers/gateway-fixture.js';
import { chatAttributes, JSON_HEADERS, otlpJson } from './helpers/otlp-json.js';
import { rawRequest } from './helpers/raw-http.js';

let fixture: GatewayFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

/** Sum of every sample of a metric in a Prometheus text exposition. */
function sumOf(text: string, metric: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${metric}(?:\\{[^}]*\\})? (\\S+)`).exec(line);
    if (match !== null) sum += Number(match[1]);
  }
  return sum;
}

it('serves cost counters on /metrics and counts a redelivered batch once', async () => {
  fixture = await startGatewayFixture({
    metrics: { host: '127.0.0.1', port: 0 },
  });
  const metricsUrl = fixture.gateway.metricsUrl as string;
  expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  const body = otlpJson(
    [1, 2, 3].map(n => ({
      traceId: n.toString(16).padStart(32, 'e'),
      spanId: n.toString(16).padStart(16, 'f'),
      name: 'chat gpt-4o-mini',
      startMillis: 0,
      endMillis: 500,
      attributes: { ...chatAttributes(1000, 200), 'tenant.id': 'acme' },
    })),
  );
  for (let delivery = 0; delivery < 2; delivery++) {
    const response = await rawRequest(fixture.gateway.url, {
      headers: JSON_HEADERS,
      body,
    });
    expect(response.status).toBe(200);
  }
  const scrape = await rawRequest(metricsUrl, { method: 'GET' });
  expect(scrape.status).toBe(200);
  const text = scrape.body.toString();
  const expected =
    3 * expectedCost(GPT_4O_MINI, { uncachedInput: 1000, output: 200 }).total;
  expect(
    Math.abs(sumOf(text, 'gen_ai_client_cost_total') - expected),
  ).toBeLessThan(1e-12);
  expect(sumOf(text, 'gen_ai_client_cost_calls_total')).toBe(3);
  // No user or span ids as labels.
  expect(text).not.toMatch(/user|span_id|trace_id/);
  expect(fixture.sink.accepted).toHaveLength(2);
});

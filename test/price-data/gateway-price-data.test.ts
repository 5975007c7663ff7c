/**
 * The refresh in the gateway (in process): calls counted after the swap
 * carry the new price and version, `/healthz` names the data version and
 * the last outcome, a failing source keeps the data in use. gpt-4o:
 * published $2.50 / $10 per million; the served data says $3 input.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PRICE_CORRECTIONS_VERSION } from '../../src/core/price/corrections/price-corrections-data.js';
import { EFFECTIVE_PRICES_VERSION } from '../../src/core/price/price-corrections.js';
import { resolveGatewayOptions } from '../../src/gateway/gateway-options.js';
import {
  startGatewayFixture,
  type GatewayFixture,
} from '../gateway/helpers/gateway-fixture.js';
import {
  chatAttributes,
  JSON_HEADERS,
  otlpJson,
} from '../gateway/helpers/otlp-json.js';
import { rawRequest } from '../gateway/helpers/raw-http.js';
import {
  changedPriceData,
  expectedDataVersion,
  startPriceDataServer,
  type PriceDataServer,
} from './helpers/price-data-server.js';
import { captureWarnings } from './helpers/warnings.js';

let fixture: GatewayFixture | undefined;
let server: PriceDataServer | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
  await server?.close();
  server = undefined;
});

let n = 0;
async function postGpt4o(): Promise<void> {
  n++;
  const response = await rawRequest(fixture!.gateway.url, {
    headers: JSON_HEADERS,
    body: otlpJson([
      {
        traceId: n.toString(16).padStart(32, '0'),
        spanId: n.toString(16).padStart(16, '0'),
        name: 'chat gpt-4o',
        startMillis: Date.parse('2026-11-30T12:00:00Z'),
        endMillis: Date.parse('2026-11-30T12:00:01Z'),
        attributes: {
          ...chatAttributes(1_000_000, 1_000_000),
          'gen_ai.request.model': 'gpt-4o',
        },
      },
    ]),
  });
  expect(response.status).toBe(200);
}

async function prices(): Promise<Record<string, unknown>> {
  const url = new URL('/healthz', fixture!.gateway.url);
  const response = await rawRequest(url.href, { method: 'GET' });
  const body = JSON.parse(response.body.toString('utf8')) as Record<
    string,
    unknown
  >;
  return body['prices'] as Record<string, unknown>;
}

async function untilOutcome(): Promise<Record<string, unknown>> {
  for (let i = 0; i < 300; i++) {
    const status = await prices();
    const refresh = status['refresh'] as Record<string, unknown>;
    if (refresh['lastOutcome'] !== null) return status;
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  throw new Error('no refresh outcome');
}

describe('gateway --price-data-url', () => {
  it('prices from the refreshed data and reports it on /healthz', async () => {
    const body = await changedPriceData();
    server = await startPriceDataServer({ kind: 'body', body });
    fixture = await startGatewayFixture({
      priceDataUrl: server.url,
      priceDataCacheFile: 'none',
    });
    const status = await untilOutcome();
    const version = `${expectedDataVersion(body)}+corrections.${PRICE_CORRECTIONS_VERSION}`;
    expect(status['version']).toBe(version);
    expect((status['refresh'] as Record<string, unknown>)['lastOutcome']).toBe(
      'ok',
    );
    await postGpt4o();
    const cost = fixture.records.at(-1)?.cost;
    expect(cost?.priced && cost.totalUsd).toBeCloseTo(3 + 10, 9);
    expect(cost?.priced && cost.priceVersion).toBe(version);
  });

  it('a 404 keeps the bundled data and says so on /healthz', async () => {
    const warnings = captureWarnings();
    try {
      server = await startPriceDataServer({ kind: 'status', status: 404 });
      fixture = await startGatewayFixture({
        priceDataUrl: server.url,
        priceDataCacheFile: 'none',
      });
      const status = await untilOutcome();
      expect(status['version']).toBe(EFFECTIVE_PRICES_VERSION);
      expect(
        (status['refresh'] as Record<string, unknown>)['lastOutcome'],
      ).toBe('http_404');
      await postGpt4o();
      const cost = fixture.records.at(-1)?.cost;
      expect(cost?.priced && cost.totalUsd).toBeCloseTo(2.5 + 10, 9);
      expect(warnings.messages.filter(m => /HTTP 404/.test(m))).toHaveLength(1);
    } finally {
      warnings.stop();
    }
  });

  it('is off by default; /healthz says so', async () => {
    fixture = await startGatewayFixture();
    expect(await prices()).toEqual({
      version: EFFECTIVE_PRICES_VERSION,
      refresh: 'off',
    });
  });

  it('refuses a bad flag value at start', () => {
    const base = { forward: new URL('http://127.0.0.1:9/v1/traces'), env: {} };
    expect(() =>
      resolveGatewayOptions({ ...base, priceDataRefreshSeconds: 10 }),
    ).toThrow(/priceDataRefreshSeconds|price-data-refresh-seconds/);
    expect(() =>
      resolveGatewayOptions({ ...base, priceDataUrl: 'ftp://example.com/d' }),
    ).toThrow(/http\(s\) URL or a file path/);
    expect(
      resolveGatewayOptions({
        ...base,
        env: { OTEL_GENAI_COST_PRICE_DATA_URL: 'https://example.com/d.json' },
      }).priceData,
    ).toMatchObject({
      source: 'https://example.com/d.json',
      refreshSeconds: 3600,
      timeoutSeconds: 15,
      cacheFile: expect.stringMatching(
        /otel-genai-cost(-\d+)?[\\/]price-data-[0-9a-f]{16}\.json$/,
      ),
    });
  });
});

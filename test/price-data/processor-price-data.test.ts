/**
 * The refresh through `CostSpanProcessor` (options and environment): spans
 * ended after the swap carry the new price and version; while the source
 * hangs, spans end at once, priced by the data in use; off by default.
 * gpt-4o: published $2.50 / $10 per million; the served data says $3 input.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PRICE_CORRECTIONS_VERSION } from '../../src/core/price/corrections/price-corrections-data.js';
import { EFFECTIVE_PRICES_VERSION } from '../../src/core/price/price-corrections.js';
import { ATTR_COST, ATTR_COST_PRICE_VERSION } from '../../src/semconv.js';
import { attrs, chatSpan } from '../helpers/chat-span.js';
import { setupTracing, type TestTracing } from '../helpers/tracing.js';
import {
  changedPriceData,
  expectedDataVersion,
  startPriceDataServer,
  type PriceDataServer,
} from './helpers/price-data-server.js';
import { captureWarnings } from './helpers/warnings.js';

let tracing: TestTracing | undefined;
let server: PriceDataServer | undefined;

afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
  await server?.close();
  server = undefined;
});

function gpt4oSpan(t: TestTracing): Record<string, unknown> {
  return attrs(
    chatSpan(t.tracer(), {
      model: 'gpt-4o',
      input: 1_000_000,
      output: 1_000_000,
    }),
  );
}

/** Ends spans until one is priced from the refreshed data (bounded). */
async function untilRefreshed(
  t: TestTracing,
): Promise<Record<string, unknown>> {
  for (let i = 0; i < 300; i++) {
    const span = gpt4oSpan(t);
    if (span[ATTR_COST_PRICE_VERSION] !== EFFECTIVE_PRICES_VERSION) return span;
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  throw new Error('the price data was never refreshed');
}

describe('CostSpanProcessor with priceDataUrl', () => {
  it('prices spans from the refreshed data once it arrives', async () => {
    const body = await changedPriceData();
    server = await startPriceDataServer({ kind: 'body', body });
    tracing = setupTracing({
      priceDataUrl: server.url,
      priceDataCacheFile: 'none',
    });
    const span = await untilRefreshed(tracing);
    expect(span[ATTR_COST]).toBeCloseTo(3 + 10, 9);
    expect(span[ATTR_COST_PRICE_VERSION]).toBe(
      `${expectedDataVersion(body)}+corrections.${PRICE_CORRECTIONS_VERSION}`,
    );
  });

  it('reads the environment variables too', async () => {
    const body = await changedPriceData();
    server = await startPriceDataServer({ kind: 'body', body });
    tracing = setupTracing({
      env: {
        OTEL_GENAI_COST_PRICE_DATA_URL: server.url,
        OTEL_GENAI_COST_PRICE_DATA_CACHE_FILE: 'none',
      },
    });
    const span = await untilRefreshed(tracing);
    expect(span[ATTR_COST]).toBeCloseTo(13, 9);
  });

  it('span.end() never waits: a hanging source, spans priced by the cache', async () => {
    const body = await changedPriceData();
    const cacheFile = join(
      mkdtempSync(join(tmpdir(), 'proc-cache-')),
      'd.json',
    );
    writeFileSync(cacheFile, body);
    server = await startPriceDataServer({ kind: 'hang' });
    tracing = setupTracing({
      priceDataUrl: server.url,
      priceDataCacheFile: cacheFile,
    });
    for (let i = 0; i < 50; i++) {
      const span = gpt4oSpan(tracing);
      expect(span[ATTR_COST]).toBeCloseTo(13, 9);
    }
    // Shutdown stops the refresh and aborts the hanging read.
    await tracing.shutdown();
    tracing = undefined;
  });

  it('a hanging source without cache: spans priced by the bundled data', async () => {
    server = await startPriceDataServer({ kind: 'hang' });
    tracing = setupTracing({
      priceDataUrl: server.url,
      priceDataCacheFile: 'none',
    });
    const span = gpt4oSpan(tracing);
    expect(span[ATTR_COST]).toBeCloseTo(2.5 + 10, 9);
    expect(span[ATTR_COST_PRICE_VERSION]).toBe(EFFECTIVE_PRICES_VERSION);
  });

  it('is off by default, and a refresh below 60 s is refused with a warning', async () => {
    const warnings = captureWarnings();
    try {
      tracing = setupTracing({
        env: { OTEL_GENAI_COST_PRICE_DATA_REFRESH_SECONDS: '5' },
      });
      const span = gpt4oSpan(tracing);
      expect(span[ATTR_COST_PRICE_VERSION]).toBe(EFFECTIVE_PRICES_VERSION);
      expect(warnings.messages.join('\n')).toMatch(
        /OTEL_GENAI_COST_PRICE_DATA_REFRESH_SECONDS/,
      );
    } finally {
      warnings.stop();
    }
  });
});

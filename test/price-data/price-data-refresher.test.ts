/**
 * The run-time price data refresh against a real local server: good data
 * swaps the pricer (new price, new version), every failure keeps the data
 * in use with one warning per kind, the cache is used at start and kept
 * whole. Expected prices: OpenAI's published gpt-4o rates ($2.50 / $10
 * per million tokens), with the served data's input rate set to $3 here.
 */
import {
  chownSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PRICE_CORRECTIONS_VERSION } from '../../src/core/price/corrections/price-corrections-data.js';
import { EFFECTIVE_PRICES_VERSION } from '../../src/core/price/price-corrections.js';
import { createPricer, type PriceInput } from '../../src/core/price/pricer.js';
import { SwappablePricer } from '../../src/core/price/swappable-pricer.js';
import { PriceDataRefresher } from '../../src/price-data/price-data-refresher.js';
import { startPriceDataRefresh } from '../../src/price-data/start-price-data-refresh.js';
import {
  changedPriceData,
  expectedDataVersion,
  startPriceDataServer,
  type PriceDataServer,
} from './helpers/price-data-server.js';
import { captureWarnings } from './helpers/warnings.js';

const NOW = Date.parse('2026-11-30T12:00:00Z');
/** 1M input + 1M output tokens of gpt-4o. */
const GPT4O: PriceInput = {
  provider: 'openai',
  model: 'gpt-4o',
  usage: { inputTokens: 1_000_000, outputTokens: 1_000_000 },
  timestamp: NOW,
};
/** Published: $2.50 input + $10 output. */
const BUNDLED_USD = 12.5;
/** Served data: $3 input + $10 output. */
const REFRESHED_USD = 13;

let server: PriceDataServer | undefined;
let refresher: PriceDataRefresher | undefined;
let warnings: ReturnType<typeof captureWarnings>;
let dir: string;
let body: string;

beforeEach(async () => {
  warnings = captureWarnings();
  dir = mkdtempSync(join(tmpdir(), 'price-data-test-'));
  body ??= await changedPriceData();
});

afterEach(async () => {
  refresher?.shutdown();
  refresher = undefined;
  await server?.close();
  server = undefined;
  warnings.stop();
});

function start(
  source: string,
  options: { cacheFile?: string | undefined; timeoutSeconds?: number } = {},
): SwappablePricer {
  const pricer = new SwappablePricer(createPricer());
  refresher = startPriceDataRefresh(
    {
      priceData: {
        source,
        refreshSeconds: 3600,
        timeoutSeconds: options.timeoutSeconds ?? 15,
        cacheFile: options.cacheFile,
      },
      overrides: [],
    },
    pricer,
  );
  return pricer;
}

function total(pricer: SwappablePricer, input: PriceInput = GPT4O): number {
  const cost = pricer.price(input);
  if (!cost.priced) throw new Error(`unpriced: ${cost.reason}`);
  return cost.totalUsd;
}

describe('good data', () => {
  it('swaps in the new prices, named by the data hash, and caches the bytes', async () => {
    server = await startPriceDataServer({ kind: 'body', body });
    const cacheFile = join(dir, 'cache', 'data.json');
    const pricer = start(server.url, { cacheFile });
    // Before the fetch answers: the bundled data.
    expect(total(pricer)).toBeCloseTo(BUNDLED_USD, 9);
    await refresher?.refreshNow();
    const cost = pricer.price(GPT4O);
    expect(cost.priced && cost.totalUsd).toBeCloseTo(REFRESHED_USD, 9);
    expect(cost.priced && cost.inputUsd).toBeCloseTo(3, 9);
    const version = `${expectedDataVersion(body)}+corrections.${PRICE_CORRECTIONS_VERSION}`;
    expect(cost.priced && cost.priceVersion).toBe(version);
    expect(version).not.toBe(EFFECTIVE_PRICES_VERSION);
    expect(readFileSync(cacheFile, 'utf8')).toBe(body);
    // Only the cache file is left (no temporary file).
    expect(readdirSync(join(dir, 'cache'))).toEqual(['data.json']);
    expect(refresher?.status().lastOutcome).toBe('ok');
    expect(warnings.messages).toEqual([]);
  });

  it('keeps the bundled corrections above the refreshed data', async () => {
    // DeepSeek V3.2 (api-docs.deepseek.com pricing, from 2025-09-29):
    // $0.28 input (cache miss), $0.42 output per million; the served data
    // says $9 / $9.
    server = await startPriceDataServer({ kind: 'body', body });
    const pricer = start(server.url);
    await refresher?.refreshNow();
    const cost = pricer.price({
      provider: 'deepseek',
      model: 'deepseek-chat',
      usage: { inputTokens: 1_000_000, outputTokens: 1_000_000 },
      timestamp: Date.parse('2025-12-01T12:00:00Z'),
    });
    expect(cost.priced && cost.totalUsd).toBeCloseTo(0.28 + 0.42, 9);
    expect(cost.priced && cost.priceVersion).toBe(
      `${expectedDataVersion(body)}+corrections.${PRICE_CORRECTIONS_VERSION}`,
    );
  });

  it('asks again with If-None-Match and keeps the pricer on 304', async () => {
    server = await startPriceDataServer({ kind: 'body', body, etag: true });
    const pricer = start(server.url);
    await refresher?.refreshNow();
    const inUse = pricer.current;
    await refresher?.refreshNow();
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.ifNoneMatch).toMatch(/^"[0-9a-f]{16}"$/);
    expect(refresher?.status().lastOutcome).toBe('not_modified');
    expect(pricer.current).toBe(inUse);
  });

  it('the same bytes again keep the pricer (and its memo) and the cache', async () => {
    server = await startPriceDataServer({ kind: 'body', body });
    const cacheFile = join(dir, 'data.json');
    const pricer = start(server.url, { cacheFile });
    await refresher?.refreshNow();
    const inUse = pricer.current;
    writeFileSync(cacheFile, 'untouched');
    await refresher?.refreshNow();
    expect(server.requests).toHaveLength(2);
    expect(pricer.current).toBe(inUse);
    expect(readFileSync(cacheFile, 'utf8')).toBe('untouched');
  });

  it('reads a file path as well', async () => {
    const file = join(dir, 'data.json');
    writeFileSync(file, body);
    const pricer = start(file);
    await refresher?.refreshNow();
    expect(total(pricer)).toBeCloseTo(REFRESHED_USD, 9);
  });
});

describe('failures keep the data in use, one warning per kind', () => {
  const bad: [string, string, RegExp][] = [
    ['broken JSON', '[{"id": "openai", "models": [', /is not JSON/],
    ['wrong shape', '{"providers": []}', /not genai-prices data/],
    ['a provider without models', '[{"id":"openai"}]', /has no models/],
    ['no model at all', '[]', /holds no model/],
  ];
  for (const [name, served, message] of bad) {
    it(name, async () => {
      server = await startPriceDataServer({ kind: 'body', body: served });
      const pricer = start(server.url, { cacheFile: join(dir, 'c.json') });
      const bundled = pricer.current;
      await refresher?.refreshNow();
      await refresher?.refreshNow();
      expect(pricer.current).toBe(bundled);
      expect(total(pricer)).toBeCloseTo(BUNDLED_USD, 9);
      expect(warnings.messages).toHaveLength(1);
      expect(warnings.messages[0]).toMatch(message);
      expect(readdirSync(dir)).toEqual([]);
    });
  }

  it('404 then 500: one warning each, whatever the retries', async () => {
    server = await startPriceDataServer({ kind: 'status', status: 404 });
    const pricer = start(server.url);
    await refresher?.refreshNow();
    await refresher?.refreshNow();
    server.answer = { kind: 'status', status: 500 };
    await refresher?.refreshNow();
    await refresher?.refreshNow();
    expect(total(pricer)).toBeCloseTo(BUNDLED_USD, 9);
    expect(warnings.messages).toHaveLength(2);
    expect(warnings.messages[0]).toMatch(/HTTP 404/);
    expect(warnings.messages[1]).toMatch(/HTTP 500/);
    expect(refresher?.status().lastOutcome).toBe('http_500');
  });

  it('a server that never answers times out; spans are priced meanwhile', async () => {
    server = await startPriceDataServer({ kind: 'hang' });
    const pricer = start(server.url, { timeoutSeconds: 0.3 });
    const pending = refresher?.refreshNow();
    // While the fetch hangs, pricing answers at once with the data in use.
    for (let i = 0; i < 100; i++) {
      expect(total(pricer)).toBeCloseTo(BUNDLED_USD, 9);
    }
    await pending;
    expect(refresher?.status().lastOutcome).toBe('timeout');
    expect(warnings.messages).toHaveLength(1);
    expect(warnings.messages[0]).toMatch(/did not answer in time/);
  });

  it('a body over the cap, declared or streamed, is refused', async () => {
    const seen: string[] = [];
    server = await startPriceDataServer({ kind: 'body', body });
    const capped = new PriceDataRefresher({
      source: server.url,
      refreshMillis: 3_600_000,
      timeoutMillis: 5000,
      cacheFile: undefined,
      maxBytes: 4096,
      onData: data => seen.push(data.version),
    });
    refresher = capped;
    await capped.refreshNow();
    expect(capped.status().lastOutcome).toBe('too_large');
    // No content-length: counted while streaming.
    server.answer = { kind: 'chunks', chunk: ' '.repeat(1024), count: 64 };
    await capped.refreshNow();
    expect(capped.status().lastOutcome).toBe('too_large');
    expect(seen).toEqual([]);
    expect(warnings.messages).toHaveLength(1);
    expect(warnings.messages[0]).toMatch(/larger than 4096 bytes/);
  });

  it('a server that goes down after a good fetch: the last good data stays', async () => {
    server = await startPriceDataServer({ kind: 'body', body });
    const pricer = start(server.url);
    await refresher?.refreshNow();
    await server.close();
    server = undefined;
    await refresher?.refreshNow();
    expect(refresher?.status().lastOutcome).toBe('unreachable');
    expect(total(pricer)).toBeCloseTo(REFRESHED_USD, 9);
    expect(warnings.messages).toHaveLength(1);
    expect(warnings.messages[0]).toMatch(/keeping genai-prices-data@sha256:/);
  });
});

describe('cache', () => {
  it('is used at start, before the network answers', async () => {
    const cacheFile = join(dir, 'data.json');
    writeFileSync(cacheFile, body);
    server = await startPriceDataServer({ kind: 'hang' });
    const pricer = start(server.url, { cacheFile });
    // Synchronously after start: the cached data prices.
    const cost = pricer.price(GPT4O);
    expect(cost.priced && cost.totalUsd).toBeCloseTo(REFRESHED_USD, 9);
    expect(cost.priced && cost.priceVersion).toBe(
      `${expectedDataVersion(body)}+corrections.${PRICE_CORRECTIONS_VERSION}`,
    );
    expect(refresher?.status().lastOutcome).toBe('cache');
    // shutdown aborts the hanging fetch: it settles without a warning.
    const pending = refresher?.refreshNow();
    refresher?.shutdown();
    await pending;
    expect(warnings.messages).toEqual([]);
  });

  it('a corrupt cache is ignored with one warning, then replaced', async () => {
    const cacheFile = join(dir, 'data.json');
    writeFileSync(cacheFile, '[{"id": "openai", "mod');
    server = await startPriceDataServer({ kind: 'body', body });
    const pricer = start(server.url, { cacheFile });
    expect(total(pricer)).toBeCloseTo(BUNDLED_USD, 9);
    await refresher?.refreshNow();
    expect(total(pricer)).toBeCloseTo(REFRESHED_USD, 9);
    expect(warnings.messages).toHaveLength(1);
    expect(warnings.messages[0]).toMatch(/cache .* is not JSON/);
    expect(readFileSync(cacheFile, 'utf8')).toBe(body);
  });

  it('a cache file of another user is not read (needs root to chown)', async () => {
    const cacheFile = join(dir, 'data.json');
    writeFileSync(cacheFile, body);
    if (process.getuid?.() !== 0) return; // cannot make a file of another user
    chownSync(cacheFile, 65534, 65534);
    server = await startPriceDataServer({ kind: 'hang' });
    const pricer = start(server.url, { cacheFile, timeoutSeconds: 0.2 });
    expect(total(pricer)).toBeCloseTo(BUNDLED_USD, 9);
    expect(warnings.messages[0]).toMatch(/belongs to another user/);
  });

  it('a cache path that is a directory is reported once, not thrown', async () => {
    server = await startPriceDataServer({ kind: 'status', status: 404 });
    const pricer = start(server.url, { cacheFile: dir });
    await refresher?.refreshNow();
    expect(total(pricer)).toBeCloseTo(BUNDLED_USD, 9);
    expect(warnings.messages.filter(m => /cache/.test(m))).toHaveLength(1);
  });
});

describe('timer and shutdown', () => {
  it('reads again every refreshMillis, and not after shutdown', async () => {
    server = await startPriceDataServer({ kind: 'body', body, etag: true });
    const timed = new PriceDataRefresher({
      source: server.url,
      refreshMillis: 20,
      timeoutMillis: 5000,
      cacheFile: undefined,
      onData: () => undefined,
    });
    refresher = timed;
    timed.start();
    for (let i = 0; i < 200 && server.requests.length < 3; i++) {
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    expect(server.requests.length).toBeGreaterThanOrEqual(3);
    timed.shutdown();
    await timed.refreshNow();
    const after = server.requests.length;
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(server.requests.length).toBe(after);
  });
});

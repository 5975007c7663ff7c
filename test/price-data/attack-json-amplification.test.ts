/**
 * Attack: a body under the 32 MiB cap that is cheap to send and costly to
 * parse. `JSON.parse` builds an object per value: 32 MiB of `{},{},...`
 * took 5.4 s of blocked event loop and 750 MB of heap, 32 MiB of
 * `[[[...]]]` 13 s and 970 MB (measured with --expose-gc), enough to stall
 * every request of the host and get a container killed, before the shape
 * check refused it. Now text with more than 500,000 values or nested
 * deeper than 32 is refused by one pass over its characters, before
 * `JSON.parse` sees it (genai-prices' own data: about 23,000 values, 10
 * deep). Expected prices: OpenAI's published gpt-4o rates ($2.50 / $10
 * per million tokens).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { createPricer } from '../../src/core/price/pricer.js';
import { SwappablePricer } from '../../src/core/price/swappable-pricer.js';
import type { PriceDataRefresher } from '../../src/price-data/price-data-refresher.js';
import { startPriceDataRefresh } from '../../src/price-data/start-price-data-refresh.js';
import { bundledProviders } from './helpers/price-data-server.js';
import { captureWarnings } from './helpers/warnings.js';

const GPT4O = {
  provider: 'openai',
  model: 'gpt-4o',
  usage: { inputTokens: 1_000_000, outputTokens: 1_000_000 },
};
/** Published: $2.50 input + $10 output. */
const PUBLISHED_USD = 12.5;

let bundledText: string;
let warnings: ReturnType<typeof captureWarnings>;
let refresher: PriceDataRefresher | undefined;
let dir: string;

beforeAll(async () => {
  bundledText = JSON.stringify(await bundledProviders(), null, 2);
});

beforeEach(() => {
  warnings = captureWarnings();
  dir = mkdtempSync(join(tmpdir(), 'attack-json-'));
});

afterEach(() => {
  refresher?.shutdown();
  refresher = undefined;
  warnings.stop();
  vi.restoreAllMocks();
});

async function refreshFrom(text: string): Promise<SwappablePricer> {
  const file = join(dir, 'data.json');
  writeFileSync(file, text);
  const pricer = new SwappablePricer(createPricer());
  refresher = startPriceDataRefresh(
    {
      priceData: {
        source: file,
        refreshSeconds: 3600,
        timeoutSeconds: 5,
        cacheFile: undefined,
      },
      overrides: [],
    },
    pricer,
  );
  await refresher?.refreshNow();
  return pricer;
}

/** Hostile shapes: `n` values, or `n` levels deep. */
const hostile = fc.oneof(
  fc
    .integer({ min: 500_001, max: 700_000 })
    .map(n => `[${'{},'.repeat(n - 1)}{}]`),
  fc
    .integer({ min: 500_001, max: 700_000 })
    .map(n => `[${'0,'.repeat(n - 1)}0]`),
  fc
    .integer({ min: 33, max: 100_000 })
    .map(n => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc
    .integer({ min: 33, max: 5_000 })
    .map(
      n => `[{"id":"openai","models":${'[{"a":'.repeat(n)}1${'}]'.repeat(n)}}]`,
    ),
);

it('hostile structures are refused before JSON.parse builds them', async () => {
  await fc.assert(
    fc.asyncProperty(hostile, async text => {
      warnings.messages.length = 0;
      refresher?.shutdown();
      const parse = vi.spyOn(JSON, 'parse');
      const pricer = await refreshFrom(text);
      const parsedHere = parse.mock.calls.filter(([arg]) => arg === text);
      parse.mockRestore();
      expect(parsedHere).toEqual([]);
      expect(warnings.messages).toHaveLength(1);
      expect(warnings.messages[0]).toMatch(
        /more than 500000 values|nested deeper than 32/,
      );
      const cost = pricer.price(GPT4O);
      expect(cost.priced && cost.totalUsd).toBeCloseTo(PUBLISHED_USD, 9);
    }),
    { numRuns: 12 },
  );
});

it('braces and commas inside strings are not counted', async () => {
  // The bundled data, pretty-printed, with a long description full of
  // structure characters and escaped quotes: still usable.
  const noisy = bundledText.replace(
    '"id": "openai"',
    `"id": "openai", "description": "${'{[,\\"'.repeat(200_000)}"`,
  );
  await refreshFrom(noisy);
  expect(refresher?.status().version).toBeDefined();
  expect(warnings.messages).toEqual([]);
});

/**
 * Attack: refreshed data with valid structure but absurd prices. Before
 * the fix only "prices is an object or a list" was checked, so
 * - thousands of tiers on one price froze the first call of that model
 *   inside `span.end()` (tiers are read once per tier: quadratic; 5,000
 *   tiers took 177 ms, the 1.4 million a 32 MiB file holds would take
 *   hours),
 * - a dated price whose date does not parse was skipped silently and the
 *   first price set priced every call (a wrong number, no flag),
 * - negative, text or unknown-constraint prices were accepted, replacing
 *   good data, and left the model `price_error` on every call.
 * Now such a file is refused whole (one warning, the data in use kept).
 * Expected prices: OpenAI's published gpt-4o rates ($2.50 / $10 per
 * million tokens).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Provider } from '@pydantic/genai-prices';
import fc from 'fast-check';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  checkPriceData,
  PriceDataShapeError,
} from '../../src/core/price/price-data-shape.js';
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
  timestamp: Date.parse('2026-11-30T12:00:00Z'),
};
/** Published: $2.50 input + $10 output. */
const PUBLISHED_USD = 12.5;

let bundled: Provider[];
let warnings: ReturnType<typeof captureWarnings>;
let refresher: PriceDataRefresher | undefined;
let dir: string;

beforeAll(async () => {
  bundled = await bundledProviders();
});

beforeEach(() => {
  warnings = captureWarnings();
  dir = mkdtempSync(join(tmpdir(), 'attack-prices-'));
});

afterEach(() => {
  refresher?.shutdown();
  refresher = undefined;
  warnings.stop();
});

/** The bundled data with gpt-4o's prices replaced by `prices`. */
function withGpt4oPrices(prices: unknown): Provider[] {
  const providers = structuredClone(bundled);
  const openai = providers.find(p => p.id === 'openai') as Provider;
  const gpt4o = openai.models.find(m => m.id === 'gpt-4o');
  if (gpt4o === undefined) throw new Error('bundled gpt-4o missing');
  (gpt4o as { prices: unknown }).prices = prices;
  return providers;
}

async function refreshFrom(providers: Provider[]): Promise<SwappablePricer> {
  const file = join(dir, 'data.json');
  writeFileSync(file, JSON.stringify(providers));
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

const manyTiers = Array.from({ length: 50_000 }, (_, i) => ({
  start: 1000 * (i + 1),
  price: 3,
}));

describe('a file with absurd prices is refused whole', () => {
  const cases: [string, unknown][] = [
    [
      '50,000 tiers on one price',
      { input_mtok: { base: 2.5, tiers: manyTiers }, output_mtok: 10 },
    ],
    [
      'a dated price whose date does not parse',
      [
        { prices: { input_mtok: 9, output_mtok: 9 } },
        {
          constraint: { type: 'start_date', start_date: 'soon' },
          prices: { input_mtok: 2.5, output_mtok: 10 },
        },
      ],
    ],
    [
      'an unknown constraint',
      [
        {
          constraint: { type: 'weekday', day: 'monday' },
          prices: { input_mtok: 2.5, output_mtok: 10 },
        },
      ],
    ],
    ['a negative price', { input_mtok: -2.5, output_mtok: 10 }],
    ['a price in text', { input_mtok: 'NaN', output_mtok: 10 }],
    [
      'an infinite price (1e999 in JSON)',
      { input_mtok: 2.5, output_mtok: Infinity },
    ],
    ['no dated price set', []],
  ];
  for (const [name, prices] of cases) {
    it(name, async () => {
      const providers = withGpt4oPrices(prices);
      let pricer: SwappablePricer;
      if (name.startsWith('an infinite')) {
        const file = join(dir, 'data.json');
        writeFileSync(
          file,
          JSON.stringify(
            withGpt4oPrices({ input_mtok: 2.5, output_mtok: 7.7777 }),
          ).replace(/"output_mtok":7\.7777/, '"output_mtok":1e999'),
        );
        pricer = new SwappablePricer(createPricer());
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
      } else {
        pricer = await refreshFrom(providers);
      }
      const cost = pricer.price(GPT4O);
      expect(cost.priced && cost.totalUsd).toBeCloseTo(PUBLISHED_USD, 9);
      expect(refresher?.status().version).toBeUndefined();
      expect(warnings.messages).toHaveLength(1);
      expect(warnings.messages[0]).toMatch(/prices of "openai"\/"gpt-4o"/);
    });
  }
});

describe('generated prices', () => {
  const rate = fc.double({ min: 0, max: 1000, noNaN: true });
  const tier = fc.record({ start: fc.nat({ max: 2_000_000 }), price: rate });
  const price = fc.oneof(
    rate,
    fc.record({ base: rate, tiers: fc.array(tier, { maxLength: 16 }) }),
  );
  const priceSet = fc.dictionary(
    fc.constantFrom(
      'input_mtok',
      'output_mtok',
      'cache_read_mtok',
      'requests_kcount',
    ),
    price,
  );
  const bad = fc.oneof(
    fc.double({ max: -Number.MIN_VALUE, noNaN: true }),
    fc.string(),
    fc.constant(null),
    fc.record({ base: fc.constant(-1), tiers: fc.constant([]) }),
    fc.record({
      base: rate,
      tiers: fc.array(tier, { minLength: 17, maxLength: 40 }),
    }),
  );

  it('well-formed prices are accepted, one bad value refuses the file', () => {
    fc.assert(
      fc.property(
        priceSet,
        bad,
        fc.constantFrom('input_mtok', 'output_mtok'),
        (good, worse, key) => {
          expect(() => checkPriceData(withGpt4oPrices(good))).not.toThrow();
          expect(() =>
            checkPriceData(withGpt4oPrices({ ...good, [key]: worse })),
          ).toThrow(PriceDataShapeError);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("genai-prices' own dated and time-of-day prices are accepted", () => {
    expect(() => checkPriceData(structuredClone(bundled))).not.toThrow();
    const dated = bundled
      .flatMap(p => p.models)
      .filter(m => Array.isArray(m.prices));
    expect(dated.length).toBeGreaterThan(0);
  });
});

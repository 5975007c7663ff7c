/**
 * Whatever a source holds, the refresh never throws, and the pricer
 * changes only for usable genai-prices data (checked here by an
 * independent reading of the shape: a list of providers with a string id
 * and a models list, each model with a string id, a match rule and
 * prices of at least 0, at least one model in all). Pricing after a swap never throws.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPricer } from '../../src/core/price/pricer.js';
import { SwappablePricer } from '../../src/core/price/swappable-pricer.js';
import { PriceDataRefresher } from '../../src/price-data/price-data-refresher.js';
import { captureWarnings } from './helpers/warnings.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A match rule: exactly one of genai-prices' keys; `or` / `and` a
 * non-empty list of rules (at most 8 deep), the others text (the
 * generators make no regex).
 */
function isRule(rule: unknown, depth: number): boolean {
  if (!isObject(rule) || depth > 8) return false;
  const keys = Object.keys(rule);
  if (keys.length !== 1) return false;
  const [key] = keys as [string];
  const value = rule[key];
  if (key === 'or' || key === 'and') {
    return (
      Array.isArray(value) &&
      value.length > 0 &&
      value.every(inner => isRule(inner, depth + 1))
    );
  }
  return (
    ['equals', 'starts_with', 'ends_with', 'contains'].includes(key) &&
    typeof value === 'string'
  );
}

const isRate = (v: unknown): boolean =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** Prices: numbers of at least 0, or a base and at most 16 such tiers. */
function isPrices(prices: unknown): boolean {
  if (!isObject(prices)) return false;
  return Object.values(prices).every(
    v =>
      isRate(v) ||
      (isObject(v) &&
        isRate(v['base']) &&
        Array.isArray(v['tiers']) &&
        v['tiers'].length <= 16 &&
        v['tiers'].every(
          (t: unknown) =>
            isObject(t) && isRate(t['start']) && isRate(t['price']),
        )),
  );
}

/** One set of prices, or 1 to 64 sets (the generators make no constraint). */
function isModelPrices(prices: unknown): boolean {
  if (!Array.isArray(prices)) return isPrices(prices);
  return (
    prices.length >= 1 &&
    prices.length <= 64 &&
    prices.every(
      e =>
        isObject(e) && e['constraint'] === undefined && isPrices(e['prices']),
    )
  );
}

function usable(text: string): boolean {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return false;
  }
  if (!Array.isArray(data)) return false;
  let models = 0;
  for (const p of data) {
    if (!isObject(p) || typeof p['id'] !== 'string') return false;
    if (!Array.isArray(p['models'])) return false;
    const fallbacks = p['fallback_model_providers'];
    if (
      fallbacks != null &&
      !(Array.isArray(fallbacks) && fallbacks.every(f => typeof f === 'string'))
    ) {
      return false;
    }
    for (const m of p['models'] as unknown[]) {
      if (!isObject(m) || typeof m['id'] !== 'string') return false;
      if (!isRule(m['match'], 1)) return false;
      if (!isModelPrices(m['prices'])) return false;
      models++;
    }
  }
  return models > 0;
}

/** Data close to valid: a provider whose parts are sometimes anything. */
const json = fc.jsonValue({ maxDepth: 3 });
const maybe = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: json });
const model = fc.record({
  id: maybe(fc.constantFrom('gpt-4o', 'm', '')),
  match: maybe(
    fc.oneof(
      fc.record({ equals: fc.constantFrom('gpt-4o', 'm') }),
      fc.record({ starts_with: fc.string() }),
      fc.record({ or: fc.array(fc.record({ contains: fc.string() })) }),
    ),
  ),
  prices: maybe(
    fc.oneof(
      fc.dictionary(
        fc.constantFrom('input_mtok', 'output_mtok', 'cache_read_mtok', 'x'),
        maybe(fc.double({ noNaN: true })),
      ),
      fc.array(fc.record({ prices: fc.record({ input_mtok: json }) })),
    ),
  ),
});
const provider = fc.record({
  id: maybe(fc.constantFrom('openai', 'azure', 'x')),
  api_pattern: fc.constant('x'),
  name: fc.constant('x'),
  models: maybe(fc.array(model, { maxLength: 3 })),
  fallback_model_providers: fc.option(fc.array(fc.constantFrom('openai'))),
});
/** Always usable: one provider with one well-formed model. */
const usableData = fc
  .record({
    id: fc.constantFrom('openai', 'x'),
    models: fc.array(
      fc.record({
        id: fc.constantFrom('gpt-4o', 'm'),
        match: fc.record({ equals: fc.constantFrom('gpt-4o', 'm') }),
        prices: fc.record({ input_mtok: fc.double({ min: 0, max: 100 }) }),
      }),
      { minLength: 1, maxLength: 2 },
    ),
  })
  .map(p => JSON.stringify([p]));
const bodies = fc.oneof(
  fc.string(),
  json.map(v => JSON.stringify(v)),
  {
    weight: 2,
    arbitrary: fc.array(provider, { maxLength: 3 }).map(v => JSON.stringify(v)),
  },
  usableData,
);

let dir: string;
let warnings: ReturnType<typeof captureWarnings>;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'price-bodies-'));
  warnings = captureWarnings();
});
afterAll(() => warnings.stop());

describe('arbitrary bodies', () => {
  it('never throw, and change the pricer only when usable', async () => {
    let n = 0;
    let swapped = 0;
    await fc.assert(
      fc.asyncProperty(bodies, async body => {
        const file = join(dir, `data-${n++}.json`);
        writeFileSync(file, body);
        const pricer = new SwappablePricer(createPricer());
        const before = pricer.current;
        const refresher = new PriceDataRefresher({
          source: file,
          refreshMillis: 3_600_000,
          timeoutMillis: 5000,
          cacheFile: join(dir, `cache-${n}.json`),
          onData: priceData => pricer.swap(createPricer({ priceData })),
        });
        await refresher.refreshNow();
        refresher.shutdown();
        const changed = pricer.current !== before;
        expect(changed).toBe(usable(body));
        if (changed) swapped++;
        // Pricing whatever was swapped in answers, priced or not.
        for (const model of ['gpt-4o', 'm', 'unknown']) {
          const cost = pricer.price({
            provider: 'openai',
            model,
            usage: { inputTokens: 10, outputTokens: 5 },
          });
          expect(typeof cost.priced).toBe('boolean');
        }
      }),
      { numRuns: 300 },
    );
    // The generator reaches the valid side, not only refusals.
    expect(swapped).toBeGreaterThan(30);
  });
});

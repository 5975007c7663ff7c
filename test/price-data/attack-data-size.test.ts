/**
 * Attack: a source that serves valid-looking but enormous data, or data
 * whose ids are made to be written into logs. Before the fix only the
 * 32 MiB byte cap bounded a data file: 480,000 models fit, so each new
 * model id seen in traffic scanned them all inside `span.end()` (about
 * 60 ms measured), and a refused file's warning repeated its provider
 * and model ids raw (a 100,000-character id with line breaks and terminal
 * escapes became a warning of that size, forging log lines). Now a file
 * may hold at most 20,000 models and 50,000 match rules (genai-prices'
 * own: 1,694 and 2,645), and ids in warnings are quoted, escaped and cut.
 * Expected prices: OpenAI's published gpt-4o rates ($2.50 / $10 per
 * million tokens).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Provider } from '@pydantic/genai-prices';
import fc from 'fast-check';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
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

let bundled: Provider[];
let warnings: ReturnType<typeof captureWarnings>;
let refresher: PriceDataRefresher | undefined;
let dir: string;

beforeAll(async () => {
  bundled = await bundledProviders();
});

beforeEach(() => {
  warnings = captureWarnings();
  dir = mkdtempSync(join(tmpdir(), 'attack-size-'));
});

afterEach(() => {
  refresher?.shutdown();
  refresher = undefined;
  warnings.stop();
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

/** The bundled data plus `count` models of a made-up provider. */
function withExtraModels(count: number, rulesEach: number): string {
  const models = Array.from({ length: count }, (_, i) => ({
    id: `m${i}`,
    match: {
      or: Array.from({ length: rulesEach }, (_, k) => ({
        starts_with: `zz${i}-${k}`,
      })),
    },
    prices: { input_mtok: 1 },
  }));
  return JSON.stringify([...bundled, { id: 'padding', models }]);
}

it('a file with more than 20,000 models is refused', async () => {
  const pricer = await refreshFrom(withExtraModels(20_000, 1));
  const cost = pricer.price(GPT4O);
  expect(cost.priced && cost.totalUsd).toBeCloseTo(PUBLISHED_USD, 9);
  expect(refresher?.status().version).toBeUndefined();
  expect(warnings.messages[0]).toMatch(/more than 20000 models/);
});

it('a file with more than 50,000 match rules is refused', async () => {
  const pricer = await refreshFrom(withExtraModels(5_000, 10));
  expect(refresher?.status().version).toBeUndefined();
  expect(pricer.price(GPT4O).priced).toBe(true);
  expect(warnings.messages[0]).toMatch(/more than 50000 match rules/);
});

it('a file within the limits is used', async () => {
  await refreshFrom(withExtraModels(10_000, 4));
  expect(refresher?.status().version).toBeDefined();
  expect(warnings.messages).toEqual([]);
});

it('ids from a refused file are quoted, escaped and cut in the warning', async () => {
  const control = fc.constantFrom('\n', '\r', '\u001b[31m', '\u0000');
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.oneof(control, fc.string({ maxLength: 20 })), {
        minLength: 1,
        maxLength: 40,
      }),
      fc.integer({ min: 0, max: 100_000 }),
      async (parts, padding) => {
        warnings.messages.length = 0;
        const id = `${parts.join('')}\n${'x'.repeat(padding)}`;
        refresher?.shutdown();
        await refreshFrom(JSON.stringify([{ id, models: 'none' }]));
        expect(warnings.messages).toHaveLength(1);
        const message = warnings.messages[0] as string;
        expect(message.length).toBeLessThan(400);
        const controls = [...message].filter(c => c.charCodeAt(0) < 0x20);
        expect(controls).toEqual([]);
      },
    ),
    { numRuns: 40 },
  );
});

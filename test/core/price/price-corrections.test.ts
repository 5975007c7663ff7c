/**
 * The bundled corrections data: every entry compiles, cites a source page
 * and a check date, and the price version names both layers.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  PRICE_CORRECTIONS,
  PRICE_CORRECTIONS_VERSION,
} from '../../../src/core/price/corrections/price-corrections-data.js';
import {
  bundledCorrections,
  correctionEntries,
  EFFECTIVE_PRICES_VERSION,
} from '../../../src/core/price/price-corrections.js';
import { parseEffectiveFrom } from '../../../src/core/price/price-schedule.js';
import { createPricer } from '../../../src/core/price/pricer.js';

const manifest = JSON.parse(
  readFileSync(
    new URL(
      '../../../node_modules/@pydantic/genai-prices/package.json',
      import.meta.url,
    ),
    'utf8',
  ),
) as { version: string };

describe('bundled corrections data', () => {
  it('compiles (validated like overrides)', () => {
    expect(bundledCorrections().size).toBe(
      new Set(
        PRICE_CORRECTIONS.flatMap(c => c.models.map(m => `${c.provider}/${m}`)),
      ).size,
    );
    expect(correctionEntries(PRICE_CORRECTIONS).length).toBeGreaterThan(0);
  });

  it.each(
    PRICE_CORRECTIONS.map(
      c => [`${c.provider} ${c.models.join(', ')}`, c] as const,
    ),
  )('%s: sources, check dates, dates in order', (_label, correction) => {
    expect(correction.reason.length).toBeGreaterThan(10);
    let previous = Number.NEGATIVE_INFINITY;
    for (const price of correction.prices) {
      expect(price.source).toMatch(/^https:\/\/[\w.-]+\//);
      expect(price.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      // The data version is the newest check date, never older.
      expect(price.checked <= PRICE_CORRECTIONS_VERSION).toBe(true);
      const from = parseEffectiveFrom(price.effectiveFrom, 'test');
      expect(from).toBeGreaterThan(previous);
      expect(from).toBeLessThanOrEqual(Date.parse(price.checked));
      previous = from;
    }
  });

  it('the version is the date of the newest check', () => {
    const newest = PRICE_CORRECTIONS.flatMap(c => c.prices.map(p => p.checked))
      .sort()
      .at(-1);
    expect(PRICE_CORRECTIONS_VERSION).toBe(newest);
  });
});

describe('gen_ai.cost.price_version names both layers', () => {
  const expected = `genai-prices@${manifest.version}+corrections.${PRICE_CORRECTIONS_VERSION}`;

  it('is genai-prices@<installed version>+corrections.<data date>', () => {
    expect(EFFECTIVE_PRICES_VERSION).toBe(expected);
  });

  it.each([
    ['a model only genai-prices prices', 'openai', 'gpt-4o'],
    ['a corrected model', 'deepseek', 'deepseek-chat'],
  ])('%s', (_label, provider, model) => {
    const result = createPricer().price({
      provider,
      model,
      usage: {
        inputTokens: 1_000,
        outputTokens: 100,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        reasoningTokens: 0,
      },
      timestamp: Date.parse('2026-01-15T12:00:00Z'),
    });
    expect(result).toMatchObject({
      priced: true,
      source: 'price_table',
      priceVersion: expected,
    });
  });

  it('an override still says override', () => {
    const result = createPricer({
      overrides: [
        { model: 'deepseek-chat', inputPerMTokUsd: 1, outputPerMTokUsd: 1 },
      ],
    }).price({
      provider: 'deepseek',
      model: 'deepseek-chat',
      usage: {
        inputTokens: 1_000,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        reasoningTokens: 0,
      },
    });
    expect(result).toMatchObject({
      source: 'override',
      priceVersion: 'override',
    });
  });

  it('a correction is scoped to its provider (mistral-small-2506 from another provider stays unknown)', () => {
    const result = createPricer().price({
      provider: 'acme.gateway',
      model: 'mistral-small-2506',
      usage: {
        inputTokens: 1_000,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        reasoningTokens: 0,
      },
    });
    expect(result).toEqual({ priced: false, reason: 'unknown_model' });
  });
});

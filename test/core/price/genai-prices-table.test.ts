import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { calcPrice } from '@pydantic/genai-prices';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GENAI_PRICES_VERSION,
  GenaiPricesTable,
} from '../../../src/core/price/genai-prices-table.js';

// These tests check our adapter against the library's own engine: the fast
// path (own arithmetic for flat prices) must agree with calcPrice. Expected
// dollar figures from published prices live in price-table.test.ts.

const MODELS: ReadonlyArray<readonly [string, string]> = [
  ['openai', 'gpt-4o'],
  ['openai', 'gpt-4o-mini-2024-07-18'],
  ['openai', 'gpt-4.1-nano'],
  ['openai', 'o4-mini'],
  ['openai', 'text-embedding-3-small'],
  ['anthropic', 'claude-3-5-haiku-20241022'],
  ['anthropic', 'claude-sonnet-4-5-20250929'],
  ['anthropic', 'claude-opus-4-1'],
  ['google', 'gemini-2.5-pro'],
  ['google', 'gemini-2.5-flash'],
  ['aws', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'],
  ['aws', 'anthropic.claude-3-haiku-20240307-v1:0'],
  ['azure', 'gpt-4o-mini'],
  ['mistral', 'codestral-2508'],
  ['deepseek', 'deepseek-chat'],
];

describe('GenaiPricesTable', () => {
  it('agrees with calcPrice on random usage for flat, tiered and timed prices', () => {
    const table = new GenaiPricesTable();
    fc.assert(
      fc.property(
        fc.constantFrom(...MODELS),
        fc.integer({ min: 0, max: 400_000 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 50_000 }),
        fc.integer({
          min: Date.parse('2025-01-01T00:00:00Z'),
          max: Date.parse('2026-11-01T00:00:00Z'),
        }),
        ([providerId, model], input, readPct, writePct, output, when) => {
          const cacheRead = Math.floor((input * readPct) / 200);
          const cacheWrite = Math.floor((input * writePct) / 200);
          const parts = table.price(
            providerId,
            model,
            {
              inputTokens: input,
              outputTokens: output,
              cacheReadTokens: cacheRead,
              cacheWriteTokens: cacheWrite,
              reasoningTokens: 0,
            },
            when,
          );
          const reference = calcPrice(
            {
              input_tokens: input,
              output_tokens: output,
              ...(cacheRead > 0 ? { cache_read_tokens: cacheRead } : {}),
              ...(cacheWrite > 0 ? { cache_write_tokens: cacheWrite } : {}),
            },
            model,
            { providerId, timestamp: new Date(when) },
          );
          expect(reference).not.toBeNull();
          expect(parts).toBeDefined();
          const total = reference?.total_price ?? Number.NaN;
          expect(Math.abs((parts?.totalUsd ?? 0) - total)).toBeLessThan(
            1e-9 + total * 1e-9,
          );
          const sum =
            (parts?.inputUsd ?? 0) +
            (parts?.outputUsd ?? 0) +
            (parts?.cacheReadUsd ?? 0) +
            (parts?.cacheWriteUsd ?? 0);
          expect(Math.abs(sum - (parts?.totalUsd ?? 0))).toBeLessThan(1e-11);
        },
      ),
      { numRuns: 3000, seed: 42 },
    );
  });

  it('returns undefined for a model the table does not know', () => {
    const table = new GenaiPricesTable();
    const usage = {
      inputTokens: 1,
      outputTokens: 1,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    };
    expect(
      table.price('openai', 'no-such-model-xyz', usage, 0),
    ).toBeUndefined();
  });

  it('keeps its memo bounded', () => {
    const table = new GenaiPricesTable(16);
    const usage = {
      inputTokens: 1,
      outputTokens: 1,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    };
    for (let i = 0; i < 200; i++)
      table.price('openai', `random-${i}`, usage, 0);
    expect(
      (table as unknown as { _resolutions: Map<string, unknown> })._resolutions
        .size,
    ).toBeLessThanOrEqual(16);
  });

  it('names the installed genai-prices version', () => {
    const require = createRequire(import.meta.url);
    const entry = require.resolve('@pydantic/genai-prices');
    let directory = dirname(entry);
    while (!directory.endsWith('genai-prices')) directory = dirname(directory);
    const manifest = JSON.parse(
      readFileSync(join(directory, 'package.json'), 'utf8'),
    ) as { version: string };
    expect(GENAI_PRICES_VERSION).toBe(`genai-prices@${manifest.version}`);
  });
});

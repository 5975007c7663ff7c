/**
 * Refreshed data must resolve every id exactly as the bundled data does:
 * a table given the bundled providers as "refreshed" data prices every
 * (provider, model) pair the same as the default table, which goes
 * through genai-prices' own global look-up.
 */
import type { MatchLogic, Provider } from '@pydantic/genai-prices';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TokenUsage } from '../../src/core/llm-call.js';
import { GenaiPricesTable } from '../../src/core/price/genai-prices-table.js';
import { bundledProviders } from './helpers/price-data-server.js';

const USAGE: TokenUsage = {
  inputTokens: 300_000,
  outputTokens: 20_000,
  cacheReadTokens: 1_000,
  cacheWriteTokens: 2_000,
  reasoningTokens: 5_000,
};
/** Day and night (DeepSeek's old discount), before and after price dates. */
const TIMES = [
  Date.parse('2025-03-01T03:00:00Z'),
  Date.parse('2026-11-30T12:00:00Z'),
];

function equalsValues(logic: MatchLogic, into: string[]): string[] {
  const l = logic as Record<string, unknown>;
  if ('or' in l) for (const m of l['or'] as MatchLogic[]) equalsValues(m, into);
  else if ('and' in l)
    for (const m of l['and'] as MatchLogic[]) equalsValues(m, into);
  else if ('equals' in l) into.push(String(l['equals']));
  else if ('starts_with' in l) into.push(`${String(l['starts_with'])}-x`);
  return into;
}

let providers: Provider[];
let pairs: [string | undefined, string][];

beforeAll(async () => {
  providers = await bundledProviders();
  pairs = [];
  for (const provider of providers) {
    for (const model of provider.models) {
      const ids = [model.id, ...equalsValues(model.match, [])];
      for (const id of new Set(ids)) {
        pairs.push([provider.id, id], [undefined, id]);
        pairs.push(['litellm', `${provider.id}/${id}`]);
        if (id.length % 3 === 0) {
          pairs.push([provider.id, ` ${id.toUpperCase()} `]);
        }
      }
    }
  }
  // Models a provider prices through its fallbacks (Azure: OpenAI's, ...).
  for (const provider of providers) {
    for (const fallbackId of provider.fallback_model_providers ?? []) {
      const fallback = providers.find(p => p.id === fallbackId);
      for (const model of fallback?.models ?? []) {
        pairs.push([provider.id, model.id]);
      }
    }
  }
  pairs.push(
    ['anthropic', 'claude-3-5-sonnet-20241022'],
    ['anthropic', 'claude-sonnet-4-20250514'],
    ['google', 'gemini-2.5-pro'],
    ['aws', 'anthropic.claude-3-haiku-20240307-v1:0'],
    ['openrouter', 'openai/gpt-4o'],
    ['no-such-provider', 'gpt-4o'],
    ['', 'gpt-4o'],
    ['litellm', 'gpt-4o'],
  );
});

function same(providerId: string | undefined, model: string): void {
  for (const time of TIMES) {
    const bundled = new GenaiPricesTable();
    const refreshed = new GenaiPricesTable(4096, providers);
    const a = bundled.resolution(providerId, model, time);
    const b = refreshed.resolution(providerId, model, time);
    expect(b.kind, `${providerId}/${model}`).toBe(a.kind);
    if (a.kind !== 'unknown' && b.kind !== 'unknown') {
      expect(b.modelId).toBe(a.modelId);
    }
    expect(refreshed.price(providerId, model, USAGE, time)).toEqual(
      bundled.price(providerId, model, USAGE, time),
    );
  }
}

describe('refreshed data resolves like the bundled data', () => {
  it('every model id, alias, litellm and case variant of every provider', () => {
    expect(pairs.length).toBeGreaterThan(1000);
    let known = 0;
    for (const [providerId, model] of pairs) {
      same(providerId, model);
      const r = new GenaiPricesTable(4096, providers).resolution(
        providerId,
        model,
        TIMES[1] as number,
      );
      if (r.kind !== 'unknown') known++;
    }
    // The comparison is not vacuous: most pairs are priced.
    expect(known).toBeGreaterThan(pairs.length / 2);
  });

  it('generated ids and provider names (fast-check)', () => {
    const ids = fc.oneof(
      fc.constantFrom(...pairs.map(([, model]) => model)),
      fc.string(),
      fc
        .tuple(fc.constantFrom(...pairs.map(([, m]) => m)), fc.string())
        .map(([m, s]) => m + s),
    );
    const providerIds = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom(...providers.map(p => p.id), 'litellm', 'LiteLLM'),
      fc.string(),
    );
    fc.assert(
      fc.property(providerIds, ids, (providerId, model) => {
        same(providerId, model);
      }),
      { numRuns: 300 },
    );
  });
});

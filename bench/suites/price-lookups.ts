/**
 * `createPricer().price(...)` throughput: memoized (the steady state of a
 * running service), and cold (a model's first lookup, which resolves it
 * through the genai-prices matching rules).
 */
import { findProvider } from '@pydantic/genai-prices';
import type { TokenUsage } from '../../src/core/llm-call.js';
import { createPricer, type PriceInput } from '../../src/index.js';
import { measureInterleaved, type Variant } from '../harness/interleaved.js';
import { collectGarbage } from '../harness/memory.js';
import { round } from '../harness/stats.js';

export interface PriceLookupOptions {
  readonly rounds: number;
  readonly warmupRounds: number;
  readonly lookupsPerRound: number;
}

export interface PriceLookupCase {
  readonly id: string;
  readonly label: string;
  readonly nsPerLookup: number;
  readonly lookupsPerSecond: number;
}

/** 12,000 input (8,192 of them cache reads), 800 output: a cached chat turn. */
const USAGE: TokenUsage = {
  inputTokens: 12_000,
  outputTokens: 800,
  cacheReadTokens: 8_192,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
};

const FLAT: PriceInput = {
  provider: 'openai',
  model: 'gpt-4o-mini-2024-07-18',
  usage: USAGE,
  timestamp: Date.UTC(2026, 10, 1),
};

const TIERED: PriceInput = {
  provider: 'anthropic',
  model: 'claude-sonnet-4-5-20250929',
  usage: USAGE,
  timestamp: Date.UTC(2026, 10, 1),
};

/** genai-prices provider id -> the GenAI provider name spans carry. */
const PROVIDERS: Readonly<Record<string, string>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  google: 'gcp.vertex_ai',
  mistral: 'mistral_ai',
  aws: 'aws.bedrock',
  'x-ai': 'x_ai',
  deepseek: 'deepseek',
  groq: 'groq',
};

/** Every model of the main providers, as distinct first lookups. */
function distinctModels(): PriceInput[] {
  const inputs: PriceInput[] = [];
  for (const [id, provider] of Object.entries(PROVIDERS)) {
    for (const model of findProvider({ providerId: id })?.models ?? []) {
      inputs.push({ ...FLAT, provider, model: model.id });
    }
  }
  return inputs;
}

export async function runPriceLookups(
  options: PriceLookupOptions,
): Promise<PriceLookupCase[]> {
  const memoized = createPricer();
  const models = distinctModels();
  let pricer = createPricer();
  let next = 0;
  const variants: Variant[] = [
    {
      name: 'memoized_flat',
      run: ops => {
        for (let i = 0; i < ops; i++) memoized.price(FLAT);
      },
    },
    {
      name: 'memoized_tiered',
      run: ops => {
        for (let i = 0; i < ops; i++) memoized.price(TIERED);
      },
    },
    {
      name: 'cold_new_pricer',
      run: ops => {
        for (let i = 0; i < ops; i++) createPricer().price(FLAT);
      },
    },
    {
      name: 'cold_distinct_models',
      run: ops => {
        for (let i = 0; i < ops; i++) {
          if (next === 0) pricer = createPricer();
          pricer.price(models[next] as PriceInput);
          next = (next + 1) % models.length;
        }
      },
    },
  ];
  collectGarbage();
  const lookups = Math.max(1, Math.floor(options.lookupsPerRound));
  const warm = await measureInterleaved(variants.slice(0, 2), {
    rounds: options.rounds,
    warmupRounds: options.warmupRounds,
    opsPerRound: lookups,
  });
  collectGarbage();
  // Cold lookups are ~1000x slower; fewer per round keeps rounds short.
  const cold = await measureInterleaved(variants.slice(2), {
    rounds: options.rounds,
    warmupRounds: options.warmupRounds,
    opsPerRound: Math.max(1, Math.floor(lookups / 100)),
  });
  const labels: Readonly<Record<string, string>> = {
    memoized_flat: 'memoized, flat price (gpt-4o-mini)',
    memoized_tiered: 'memoized, tiered price (claude-sonnet-4-5)',
    cold_new_pricer: 'cold: new pricer per lookup (gpt-4o-mini)',
    cold_distinct_models: `cold: first lookup of ${models.length} distinct models`,
  };
  return [...warm.timings, ...cold.timings].map(timing => ({
    id: timing.name,
    label: labels[timing.name] ?? timing.name,
    nsPerLookup: round(timing.medianNs),
    lookupsPerSecond: Math.round(1e9 / timing.medianNs),
  }));
}

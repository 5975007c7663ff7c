import {
  calcPrice,
  type ModelInfo,
  type ModelPrice,
  type Provider,
  type Usage,
} from '@pydantic/genai-prices';
import type { TokenUsage } from '../llm-call.js';
import { GenerationalMap } from '../select/generational-map.js';
import {
  assembleParts,
  costFromTokenPrices,
  type CostParts,
  type TokenPrices,
} from './token-prices.js';

/** Version of the bundled price data, written on every priced span. */
export const GENAI_PRICES_VERSION = 'genai-prices@0.1.8';

const PER_MTOK = 1e-6;
const FLAT_KEYS = new Set([
  'input_mtok',
  'output_mtok',
  'cache_read_mtok',
  'cache_write_mtok',
]);

type Resolution =
  | { readonly kind: 'unknown' }
  | {
      readonly kind: 'flat';
      readonly modelId: string;
      readonly prices: TokenPrices;
    }
  | {
      readonly kind: 'engine';
      readonly modelId: string;
      readonly provider: Provider;
    };

/** Cost parts plus the table's own id of the model that priced them. */
export interface TablePrice extends CostParts {
  readonly modelId: string;
}

const UNKNOWN: Resolution = { kind: 'unknown' };

/**
 * Adapter over `@pydantic/genai-prices`. Model resolution (a linear scan with
 * regexes in the library) is memoized per (provider, model) in a bounded map.
 * Flat prices are computed here; tiered and date-dependent prices go through
 * the library's own engine against a one-model provider.
 */
export class GenaiPricesTable {
  private readonly _resolutions: GenerationalMap<Resolution>;

  constructor(maxEntries = 4096) {
    this._resolutions = new GenerationalMap(maxEntries);
  }

  /** Cost parts, or `undefined` when the table has no such model. */
  price(
    providerId: string | undefined,
    model: string,
    usage: TokenUsage,
    timestampMillis: number,
  ): TablePrice | undefined {
    const key =
      providerId === undefined ? model : `${providerId}\u0000${model}`;
    let resolution = this._resolutions.get(key);
    if (resolution === undefined) {
      resolution = resolve(providerId, model, timestampMillis);
      this._resolutions.set(key, resolution);
    }
    switch (resolution.kind) {
      case 'unknown':
        return undefined;
      case 'flat':
        return {
          ...costFromTokenPrices(usage, resolution.prices),
          modelId: resolution.modelId,
        };
      case 'engine': {
        const parts = priceWithEngine(
          resolution.provider,
          model,
          usage,
          timestampMillis,
        );
        return parts && { ...parts, modelId: resolution.modelId };
      }
    }
  }
}

function resolve(
  providerId: string | undefined,
  model: string,
  timestampMillis: number,
): Resolution {
  const probe = calcPrice({ input_tokens: 1, output_tokens: 1 }, model, {
    ...(providerId === undefined ? {} : { providerId }),
    timestamp: new Date(timestampMillis),
  });
  if (probe === null) return UNKNOWN;
  // A model priced only per character, page or second cannot be priced from
  // token counts: unknown, not $0.
  if (!Object.keys(probe.model_price).some(key => key.endsWith('_mtok'))) {
    return UNKNOWN;
  }
  const flat = flatPrices(probe.model, probe.model_price);
  const modelId = probe.model.id;
  if (flat !== undefined) return { kind: 'flat', modelId, prices: flat };
  const { fallback_model_providers: _unused, ...provider } = probe.provider;
  return {
    kind: 'engine',
    modelId,
    provider: { ...provider, models: [probe.model] },
  };
}

/** Per-token rates when the model's price is one flat set of token prices. */
function flatPrices(
  model: ModelInfo,
  price: ModelPrice,
): TokenPrices | undefined {
  if (Array.isArray(model.prices)) return undefined; // date/time conditional
  for (const [key, value] of Object.entries(price)) {
    if (value === undefined) continue;
    if (typeof value !== 'number') return undefined; // tiered
    // Other token units (audio, reasoning, text/image splits) and the
    // per-request fee the engine charges on every call go to the engine.
    // Usage-driven units we never report (web searches, pages) cost 0 either way.
    if (
      key.endsWith('_mtok') ? !FLAT_KEYS.has(key) : key === 'requests_kcount'
    ) {
      return undefined;
    }
  }
  const input = price['input_mtok'];
  const output = price['output_mtok'];
  if (typeof input !== 'number' && typeof output !== 'number') return undefined;
  const inputRate = typeof input === 'number' ? input : 0;
  const cacheRead = price['cache_read_mtok'];
  const cacheWrite = price['cache_write_mtok'];
  return {
    inputUsd: inputRate * PER_MTOK,
    outputUsd: (typeof output === 'number' ? output : 0) * PER_MTOK,
    cacheReadUsd:
      (typeof cacheRead === 'number' ? cacheRead : inputRate) * PER_MTOK,
    cacheWriteUsd:
      (typeof cacheWrite === 'number' ? cacheWrite : inputRate) * PER_MTOK,
  };
}

function priceWithEngine(
  provider: Provider,
  model: string,
  usage: TokenUsage,
  timestampMillis: number,
): CostParts | undefined {
  const result = calcPrice(toEngineUsage(usage), model, {
    provider,
    timestamp: new Date(timestampMillis),
  });
  if (result === null) return undefined;
  const inputTokens = usage.inputTokens;
  const cacheRead =
    usage.cacheReadTokens *
    rate(result.model_price, 'cache_read_mtok', 'input_mtok', inputTokens);
  const cacheWrite =
    usage.cacheWriteTokens *
    rate(result.model_price, 'cache_write_mtok', 'input_mtok', inputTokens);
  // Whatever the engine charged beyond tokens (per-request fees) stays in
  // the input part, so the four parts always sum to the engine's total.
  const output = result.output_price;
  const input = Math.max(
    0,
    result.total_price - output - cacheRead - cacheWrite,
  );
  return assembleParts(input, output, cacheRead, cacheWrite);
}

/** The per-token rate of `key` (or `fallbackKey`) at this request's tier. */
function rate(
  price: ModelPrice,
  key: string,
  fallbackKey: string,
  inputTokens: number,
): number {
  const value = price[key] ?? price[fallbackKey];
  if (value === undefined) return 0;
  if (typeof value === 'number') return value * PER_MTOK;
  let current = value.base;
  for (const tier of value.tiers) {
    if (inputTokens > tier.start) current = tier.price;
  }
  return current * PER_MTOK;
}

/** Only keys the engine knows; unknown keys make it log on every call. */
function toEngineUsage(usage: TokenUsage): Usage {
  const engineUsage: Usage = {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
  };
  if (usage.cacheReadTokens > 0)
    engineUsage['cache_read_tokens'] = usage.cacheReadTokens;
  if (usage.cacheWriteTokens > 0)
    engineUsage['cache_write_tokens'] = usage.cacheWriteTokens;
  const reasoning = Math.min(usage.reasoningTokens, usage.outputTokens);
  if (reasoning > 0) engineUsage['output_reasoning_tokens'] = reasoning;
  if (usage.inputAudioTokens)
    engineUsage['input_audio_tokens'] = usage.inputAudioTokens;
  if (usage.outputAudioTokens)
    engineUsage['output_audio_tokens'] = usage.outputAudioTokens;
  return engineUsage;
}

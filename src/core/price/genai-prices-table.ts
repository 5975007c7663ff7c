import {
  calcPrice,
  type ModelInfo,
  type ModelPrice,
  type Provider,
  type Usage,
} from '@pydantic/genai-prices';
import type { TokenUsage } from '../llm-call.js';
import { GenerationalMap } from '../select/generational-map.js';
import { findPriceModel } from './find-price-model.js';
import {
  assembleParts,
  costFromTokenPrices,
  type CostParts,
  type TokenPrices,
} from './token-prices.js';

/** Version of the bundled price data, written on every priced span. */
export const GENAI_PRICES_VERSION = 'genai-prices@0.1.8';

const PER_MTOK = 1e-6;
/**
 * Price keys that need the engine: units we pass when the usage has them
 * (audio, reasoning) and the per-request fee charged on every call. Every
 * other key outside FLAT_KEYS prices a unit we never pass (1 h cache writes,
 * images, searches, pages), so it cannot change the price of our usage.
 */
const ENGINE_KEYS = new Set([
  'input_audio_mtok',
  'output_audio_mtok',
  'output_reasoning_mtok',
  'requests_kcount',
]);
const FLAT_KEYS = new Set([
  'input_mtok',
  'output_mtok',
  'cache_read_mtok',
  'cache_write_mtok',
]);

export type Resolution =
  | { readonly kind: 'unknown' }
  | {
      readonly kind: 'flat';
      readonly modelId: string;
      readonly prices: TokenPrices;
    }
  | {
      readonly kind: 'tiered';
      readonly modelId: string;
      /** Ascending thresholds: `prices[i]` applies when input > `starts[i]`. */
      readonly starts: readonly number[];
      readonly prices: readonly TokenPrices[];
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
const PROBE_USAGE: Usage = { input_tokens: 1, output_tokens: 1 };

/**
 * Adapter over `@pydantic/genai-prices`. Model resolution (a linear scan with
 * regexes in the library) is memoized per (provider, model) in a bounded map.
 * Flat prices are computed here; tiered and date-dependent prices go through
 * the library's own engine against a one-model provider.
 *
 * By default it prices from the data bundled with the library. Given
 * `providers` (refreshed genai-prices data), it finds models there instead
 * (`findPriceModel`: the library's matching rules, never its global data)
 * and prices them with the same engine and the same rules.
 */
export class GenaiPricesTable {
  private readonly _resolutions: GenerationalMap<Resolution>;
  private readonly _providers: readonly Provider[] | undefined;

  constructor(maxEntries = 4096, providers?: readonly Provider[]) {
    this._resolutions = new GenerationalMap(maxEntries);
    this._providers = providers;
  }

  /** Cost parts, or `undefined` when the table has no such model. */
  price(
    providerId: string | undefined,
    model: string,
    usage: TokenUsage,
    timestampMillis: number,
  ): TablePrice | undefined {
    return priceResolved(
      this.resolution(providerId, model, timestampMillis),
      model,
      usage,
      timestampMillis,
    );
  }

  /** How `model` is priced (memoized); hold it to skip the look-up. */
  resolution(
    providerId: string | undefined,
    model: string,
    timestampMillis: number,
  ): Resolution {
    const key =
      providerId === undefined ? model : `${providerId}\u0000${model}`;
    let resolution = this._resolutions.get(key);
    if (resolution === undefined) {
      resolution = resolve(this._providers, providerId, model, timestampMillis);
      this._resolutions.set(key, resolution);
    }
    return resolution;
  }
}

/** Cost parts of a resolution, or `undefined` for an unknown model. */
export function priceResolved(
  resolution: Resolution,
  model: string,
  usage: TokenUsage,
  timestampMillis: number,
): TablePrice | undefined {
  if (resolution.kind === 'unknown') return undefined;
  const parts = resolvedParts(resolution, model, usage, timestampMillis);
  return parts && tablePrice(parts, resolution.modelId);
}

/**
 * `priceResolved` without the model id (the resolution's `modelId`): for
 * the pricer, which reads the parts once (no copy per call to add the id).
 */
export function resolvedParts(
  resolution: Resolution,
  model: string,
  usage: TokenUsage,
  timestampMillis: number,
): CostParts | undefined {
  switch (resolution.kind) {
    case 'unknown':
      return undefined;
    case 'flat':
      return costFromTokenPrices(usage, resolution.prices);
    case 'tiered': {
      // Threshold semantics (genai-prices' rule): the whole request at the
      // highest tier whose start the total input exceeds.
      let prices = resolution.prices[0] as TokenPrices;
      for (let i = 1; i < resolution.starts.length; i++) {
        if (usage.inputTokens > (resolution.starts[i] as number)) {
          prices = resolution.prices[i] as TokenPrices;
        }
      }
      return costFromTokenPrices(usage, prices);
    }
    case 'engine':
      return priceWithEngine(
        resolution.provider,
        model,
        usage,
        timestampMillis,
      );
  }
}

/**
 * Cost parts plus the model id, field by field: `{ ...parts, modelId }`
 * takes V8's slow object-spread path (~0.5 µs) and returns a dictionary-mode
 * object that makes every later property read slow.
 */
export function tablePrice(parts: CostParts, modelId: string): TablePrice {
  return {
    inputUsd: parts.inputUsd,
    outputUsd: parts.outputUsd,
    cacheReadUsd: parts.cacheReadUsd,
    cacheWriteUsd: parts.cacheWriteUsd,
    totalUsd: parts.totalUsd,
    modelId,
  };
}

function resolve(
  providers: readonly Provider[] | undefined,
  providerId: string | undefined,
  model: string,
  timestampMillis: number,
): Resolution {
  const timestamp = new Date(timestampMillis);
  let probe: ReturnType<typeof calcPrice>;
  if (providers === undefined) {
    probe = calcPrice(PROBE_USAGE, model, {
      ...(providerId === undefined ? {} : { providerId }),
      timestamp,
    });
  } else {
    const found = findPriceModel(providers, providerId, model);
    if (found === undefined) return UNKNOWN;
    probe = calcPrice(PROBE_USAGE, found.modelId, {
      provider: found.provider,
      timestamp,
    });
  }
  if (probe === null) return UNKNOWN;
  // A model priced only per character, page or second cannot be priced from
  // token counts: unknown, not $0.
  if (!Object.keys(probe.model_price).some(key => key.endsWith('_mtok'))) {
    return UNKNOWN;
  }
  const flat = flatPrices(probe.model, probe.model_price);
  const modelId = probe.model.id;
  if (flat !== undefined) return { kind: 'flat', modelId, prices: flat };
  const tiered = tieredPrices(probe.model, probe.model_price);
  if (tiered !== undefined) return { kind: 'tiered', modelId, ...tiered };
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
    if (ENGINE_KEYS.has(key)) return undefined;
    if (!FLAT_KEYS.has(key)) continue; // a unit we never pass
    if (typeof value !== 'number') return undefined; // tiered
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

/**
 * Long-context tiers on token prices only (no date conditions, no engine
 * keys): one flat rate set per tier, so no engine call per request.
 */
function tieredPrices(
  model: ModelInfo,
  price: ModelPrice,
): { starts: number[]; prices: TokenPrices[] } | undefined {
  if (Array.isArray(model.prices)) return undefined;
  const starts = new Set<number>([Number.NEGATIVE_INFINITY]);
  for (const [key, value] of Object.entries(price)) {
    if (value === undefined) continue;
    if (ENGINE_KEYS.has(key)) return undefined;
    if (!FLAT_KEYS.has(key) || typeof value === 'number') continue;
    for (const tier of value.tiers) starts.add(tier.start);
  }
  const ordered = [...starts].sort((a, b) => a - b);
  const prices = ordered.map(start => {
    // Rates for an input just above `start` (rate() applies every tier
    // whose start is below the input).
    const input = start === Number.NEGATIVE_INFINITY ? 0 : start + 1;
    return {
      inputUsd: rate(price, 'input_mtok', 'input_mtok', input),
      outputUsd: rate(price, 'output_mtok', 'output_mtok', input),
      cacheReadUsd: rate(price, 'cache_read_mtok', 'input_mtok', input),
      cacheWriteUsd: rate(price, 'cache_write_mtok', 'input_mtok', input),
    };
  });
  return { starts: ordered, prices };
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

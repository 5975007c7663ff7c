import { normalizeProvider } from '../normalize/normalize-provider.js';
import { cleanModelId } from './clean-model-id.js';
import type { TokenPrices } from './token-prices.js';

/**
 * A price of your own for a model, in USD per million tokens. Wins over the
 * bundled table. Cache rates default to the input rate.
 */
export interface PriceOverride {
  /** GenAI provider name; omit to match the model from any provider. */
  readonly provider?: string;
  /** Exact model id (case-insensitive), or a prefix ending in `*`. */
  readonly model: string;
  readonly inputPerMTokUsd: number;
  readonly outputPerMTokUsd: number;
  readonly cacheReadPerMTokUsd?: number;
  readonly cacheWritePerMTokUsd?: number;
}

interface CompiledOverride {
  readonly provider: string | undefined;
  readonly model: string;
  readonly prefix: boolean;
  readonly prices: TokenPrices;
}

/** Thrown at configuration time only, never on the span path. */
export class InvalidPriceOverrideError extends Error {
  override name = 'InvalidPriceOverrideError';
}

/** Looks up overrides: exact matches first, then the longest prefix. */
export class PriceOverrides {
  private readonly _entries: readonly CompiledOverride[];

  constructor(overrides: readonly PriceOverride[]) {
    this._entries = overrides
      .map(compile)
      .sort(
        (a, b) =>
          Number(a.prefix) - Number(b.prefix) ||
          b.model.length - a.model.length,
      );
  }

  get size(): number {
    return this._entries.length;
  }

  /** The matching override's prices and its model id (`prefix*` for prefixes). */
  find(
    provider: string | undefined,
    model: string,
  ): { readonly modelId: string; readonly prices: TokenPrices } | undefined {
    if (this._entries.length === 0) return undefined;
    const id = cleanModelId(model).toLowerCase();
    for (const entry of this._entries) {
      if (entry.provider !== undefined && entry.provider !== provider) continue;
      if (entry.prefix ? id.startsWith(entry.model) : id === entry.model) {
        return {
          modelId: entry.prefix ? `${entry.model}*` : entry.model,
          prices: entry.prices,
        };
      }
    }
    return undefined;
  }
}

function compile(override: PriceOverride, index: number): CompiledOverride {
  const where = `price override #${index + 1}`;
  if (typeof override.model !== 'string' || override.model.trim() === '') {
    throw new InvalidPriceOverrideError(
      `${where}: "model" must be a non-empty string`,
    );
  }
  const rates = {
    inputPerMTokUsd: override.inputPerMTokUsd,
    outputPerMTokUsd: override.outputPerMTokUsd,
    cacheReadPerMTokUsd:
      override.cacheReadPerMTokUsd ?? override.inputPerMTokUsd,
    cacheWritePerMTokUsd:
      override.cacheWritePerMTokUsd ?? override.inputPerMTokUsd,
  };
  for (const [name, value] of Object.entries(rates)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new InvalidPriceOverrideError(
        `${where} (${override.model}): "${name}" must be a finite number >= 0, got ${String(value)}`,
      );
    }
  }
  const raw = override.model.trim().toLowerCase();
  const prefix = raw.endsWith('*');
  return {
    provider: normalizeProvider(override.provider),
    model: prefix ? raw.slice(0, -1) : cleanModelId(raw),
    prefix,
    prices: {
      inputUsd: rates.inputPerMTokUsd * 1e-6,
      outputUsd: rates.outputPerMTokUsd * 1e-6,
      cacheReadUsd: rates.cacheReadPerMTokUsd * 1e-6,
      cacheWriteUsd: rates.cacheWritePerMTokUsd * 1e-6,
    },
  };
}

import type { TokenUsage } from '../llm-call.js';
import { cleanModelId } from './clean-model-id.js';
import type { CostResult } from './cost-result.js';
import {
  GENAI_PRICES_VERSION,
  GenaiPricesTable,
  type TablePrice,
} from './genai-prices-table.js';
import { PriceOverrides, type PriceOverride } from './price-override.js';
import { priceProviderId } from './price-provider-id.js';
import { costFromTokenPrices, roundUsd } from './token-prices.js';

/**
 * A reported cost above this is treated as corrupt input and ignored (the
 * call is then priced from the table): no single LLM call costs a million
 * dollars.
 */
const MAX_REPORTED_COST_USD = 1_000_000;

export interface PriceInput {
  /** GenAI provider name (`openai`, `anthropic`, `aws.bedrock`, ...). */
  readonly provider?: string | undefined;
  readonly model: string | undefined;
  readonly usage: TokenUsage | undefined;
  /** A cost the provider or a gateway reported; wins over any price. */
  readonly reportedCostUsd?: number | undefined;
  /** When the call happened, ms since the epoch. Defaults to now. */
  readonly timestamp?: number | undefined;
}

export interface PricerOptions {
  /** Your own prices; they win over the bundled table. */
  readonly overrides?: readonly PriceOverride[];
}

export interface Pricer {
  price(input: PriceInput): CostResult;
}

/**
 * Prices one call. Order of precedence: a provider-reported cost, then your
 * overrides, then the bundled `@pydantic/genai-prices` table. An unknown model
 * or missing usage gives `{ priced: false, reason }`, never a zero.
 */
export function createPricer(options: PricerOptions = {}): Pricer {
  const overrides = new PriceOverrides(options.overrides ?? []);
  const table = new GenaiPricesTable();
  return {
    price(input: PriceInput): CostResult {
      const reported = input.reportedCostUsd;
      if (
        reported !== undefined &&
        Number.isFinite(reported) &&
        reported >= 0 &&
        reported <= MAX_REPORTED_COST_USD
      ) {
        return {
          priced: true,
          source: 'provider',
          totalUsd: roundUsd(reported),
          priceVersion: 'provider',
        };
      }
      const model = input.model?.trim();
      if (model === undefined || model === '') {
        return { priced: false, reason: 'missing_model' };
      }
      const usage = input.usage;
      if (usage === undefined || !isValidUsage(usage)) {
        return { priced: false, reason: 'missing_usage' };
      }
      const override = overrides.find(input.provider, model);
      if (override !== undefined) {
        return withParts(
          'override',
          {
            ...costFromTokenPrices(usage, override.prices),
            modelId: override.modelId,
          },
          'override',
        );
      }
      let parts: TablePrice | undefined;
      try {
        // The id as reported first: router tables (OpenRouter, Groq) key
        // models by `vendor/model`. Then without gateway prefixes.
        const providerId = priceProviderId(input.provider);
        const timestamp = input.timestamp ?? Date.now();
        const cleaned = cleanModelId(model);
        parts = table.price(providerId, model, usage, timestamp);
        if (parts === undefined && cleaned !== model) {
          parts = table.price(providerId, cleaned, usage, timestamp);
        }
      } catch {
        return { priced: false, reason: 'price_error' };
      }
      if (parts === undefined)
        return { priced: false, reason: 'unknown_model' };
      return withParts('price_table', parts, GENAI_PRICES_VERSION);
    },
  };
}

function withParts(
  source: 'price_table' | 'override',
  parts: TablePrice,
  priceVersion: string,
): CostResult {
  if (!Number.isFinite(parts.totalUsd) || parts.totalUsd < 0) {
    return { priced: false, reason: 'price_error' };
  }
  return { priced: true, source, ...parts, priceVersion };
}

function isValidUsage(usage: TokenUsage): boolean {
  for (const value of [
    usage.inputTokens,
    usage.outputTokens,
    usage.cacheReadTokens,
    usage.cacheWriteTokens,
    usage.reasoningTokens,
  ]) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      return false;
    }
  }
  return usage.cacheReadTokens + usage.cacheWriteTokens <= usage.inputTokens;
}

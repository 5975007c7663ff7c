/** Where a cost figure came from. */
export type CostSource = 'price_table' | 'override' | 'provider';

/**
 * Why an LLM call carries no cost figure. Unknown is never zero.
 * - `unknown_model`: no price for the model (add an override);
 * - `missing_model`: the span names no model;
 * - `missing_usage`: the span carries no token counts;
 * - `invalid_usage`: a token count is present but not a whole number from
 *   0 to `MAX_TOKEN_COUNT` (see `parseTokenCount`), or the counts contradict
 *   each other; the call is never priced on the remaining counts;
 * - `cost_above_cap`: the computed cost exceeds `MAX_CALL_COST_USD` (an
 *   absurd price, usually an override);
 * - `price_error`: the price table failed or gave a non-finite cost.
 */
export const UNPRICED_REASONS = [
  'unknown_model',
  'missing_model',
  'missing_usage',
  'invalid_usage',
  'cost_above_cap',
  'price_error',
] as const;

export type UnpricedReason = (typeof UNPRICED_REASONS)[number];

/** A cost computed from token prices, split by token class (USD). */
export interface ComputedCost {
  readonly priced: true;
  readonly source: 'price_table' | 'override';
  readonly totalUsd: number;
  /**
   * The model id that priced the call: the price table's canonical id (so
   * `gpt-4o-mini-2024-07-18` reads `gpt-4o-mini`), or the override's model.
   * Bounded by the table, hence safe as a metric label.
   */
  readonly modelId: string;
  /** Uncached input (plus any per-request fee the model has). */
  readonly inputUsd: number;
  /** Output, reasoning included. */
  readonly outputUsd: number;
  readonly cacheReadUsd: number;
  readonly cacheWriteUsd: number;
  /** `genai-prices@x.y.z+corrections.YYYY-MM-DD` (the bundled prices) or `override`. */
  readonly priceVersion: string;
}

/**
 * A total reported upstream (provider, gateway). It is never split by
 * guesswork, so the parts are absent.
 */
export interface ReportedCost {
  readonly priced: true;
  readonly source: 'provider';
  readonly totalUsd: number;
  readonly inputUsd?: undefined;
  readonly outputUsd?: undefined;
  readonly cacheReadUsd?: undefined;
  readonly cacheWriteUsd?: undefined;
  readonly priceVersion: 'provider';
}

export type PricedCost = ComputedCost | ReportedCost;

export interface UnpricedCost {
  readonly priced: false;
  readonly reason: UnpricedReason;
}

export type CostResult = PricedCost | UnpricedCost;

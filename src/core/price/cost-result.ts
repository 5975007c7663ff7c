/** Where a cost figure came from. */
export type CostSource = 'price_table' | 'override' | 'provider';

/** Why an LLM call carries no cost figure. Unknown is never zero. */
export type UnpricedReason =
  'unknown_model' | 'missing_model' | 'missing_usage' | 'price_error';

/** A cost computed from token prices, split by token class (USD). */
export interface ComputedCost {
  readonly priced: true;
  readonly source: 'price_table' | 'override';
  readonly totalUsd: number;
  /** Uncached input (plus any per-request fee the model has). */
  readonly inputUsd: number;
  /** Output, reasoning included. */
  readonly outputUsd: number;
  readonly cacheReadUsd: number;
  readonly cacheWriteUsd: number;
  /** `genai-prices@x.y.z` or `override`. */
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

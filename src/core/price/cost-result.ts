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

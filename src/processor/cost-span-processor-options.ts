import type { PriceOverride } from '../core/price/price-override.js';
import { loadPriceOverrides } from '../config/load-price-overrides.js';
import {
  envPositiveInt,
  envString,
  processEnv,
  type Env,
} from '../config/env.js';

export interface CostSpanProcessorOptions {
  /**
   * Your own prices (USD per million tokens); they win over the bundled
   * table. Merged with `priceOverridesFile`, code entries first.
   */
  readonly overrides?: readonly PriceOverride[];
  /**
   * A JSON or YAML file of price overrides.
   * @defaultValue env `OTEL_GENAI_COST_PRICES_FILE`, else none
   */
  readonly priceOverridesFile?: string;
  /**
   * Upper bound on spans held for exactly-once selection.
   * @defaultValue env `OTEL_GENAI_COST_MAX_TRACKED_SPANS`, else 100000
   */
  readonly maxTrackedSpans?: number;
  /** Environment to read; defaults to `process.env`. For tests. */
  readonly env?: Env;
}

/** Every option resolved once: `option ?? env ?? default`. */
export interface ResolvedCostSpanProcessorOptions {
  readonly overrides: readonly PriceOverride[];
  readonly maxTrackedSpans: number;
}

export function resolveCostSpanProcessorOptions(
  options: CostSpanProcessorOptions,
): ResolvedCostSpanProcessorOptions {
  const env = options.env ?? processEnv();
  const file =
    options.priceOverridesFile ?? envString(env, 'OTEL_GENAI_COST_PRICES_FILE');
  return {
    overrides: [
      ...(options.overrides ?? []),
      ...(file === undefined ? [] : loadPriceOverrides(file)),
    ],
    maxTrackedSpans:
      options.maxTrackedSpans ??
      envPositiveInt(env, 'OTEL_GENAI_COST_MAX_TRACKED_SPANS') ??
      100_000,
  };
}

import type { TokenUsage } from '../llm-call.js';

/** Per-token USD rates of a flat (untiered, unconditional) price. */
export interface TokenPrices {
  readonly inputUsd: number;
  readonly outputUsd: number;
  readonly cacheReadUsd: number;
  readonly cacheWriteUsd: number;
}

export interface CostParts {
  readonly inputUsd: number;
  readonly outputUsd: number;
  readonly cacheReadUsd: number;
  readonly cacheWriteUsd: number;
  readonly totalUsd: number;
}

/** Rounds to 1e-12 USD, far below any billed unit, to hide float noise. */
export function roundUsd(value: number): number {
  const scaled = value * 1e12;
  return Number.isFinite(scaled) ? Math.round(scaled) / 1e12 : value;
}

/**
 * Flat-price arithmetic: uncached input, cache reads, cache writes and output
 * (reasoning included) each at their own rate. Parts sum to the total.
 */
export function costFromTokenPrices(
  usage: TokenUsage,
  prices: TokenPrices,
): CostParts {
  const uncached = Math.max(
    0,
    usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens,
  );
  return assembleParts(
    uncached * prices.inputUsd,
    usage.outputTokens * prices.outputUsd,
    usage.cacheReadTokens * prices.cacheReadUsd,
    usage.cacheWriteTokens * prices.cacheWriteUsd,
  );
}

export function assembleParts(
  input: number,
  output: number,
  cacheRead: number,
  cacheWrite: number,
): CostParts {
  const inputUsd = roundUsd(input);
  const outputUsd = roundUsd(output);
  const cacheReadUsd = roundUsd(cacheRead);
  const cacheWriteUsd = roundUsd(cacheWrite);
  return {
    inputUsd,
    outputUsd,
    cacheReadUsd,
    cacheWriteUsd,
    totalUsd: roundUsd(inputUsd + outputUsd + cacheReadUsd + cacheWriteUsd),
  };
}

import { calcPrice, type Provider } from '@pydantic/genai-prices';
import type { TokenUsage } from '../llm-call.js';
import type {
  CorrectionPrice,
  PriceCorrection,
} from './corrections/price-corrections-data.js';
import { bundledCorrections } from './price-corrections.js';
import { priceProviderId } from './price-provider-id.js';

/**
 * One fixed call that a correction prices: a model id of the correction, at
 * the start of one of its dated prices, below or above one of its tiers.
 * Comparing what genai-prices says for it with what the correction says tells
 * whether the correction is still needed.
 */
export interface CorrectionProbe {
  /** `provider model @ date [> N input tokens]`: names the probe in reports. */
  readonly label: string;
  readonly correction: PriceCorrection;
  readonly price: CorrectionPrice;
  readonly provider: string;
  readonly model: string;
  readonly timestampMillis: number;
  readonly usage: TokenUsage;
}

/** Output and cache-read tokens of every probe (input varies by tier). */
const PROBE_TOKENS = 100_000;

/** Every (model, dated price, tier) of the corrections, as fixed calls. */
export function correctionProbes(
  corrections: readonly PriceCorrection[],
): CorrectionProbe[] {
  return corrections.flatMap(correction =>
    correction.models.flatMap(model =>
      correction.prices.flatMap(price => {
        // The base probe stays at (not above) a first tier below it, so
        // it prices the base rates and every probe has its own label.
        const firstTier = price.tiers?.[0]?.aboveInputTokens;
        const inputs = [
          Math.min(2 * PROBE_TOKENS, firstTier ?? Number.POSITIVE_INFINITY),
          ...(price.tiers ?? []).map(t => t.aboveInputTokens + PROBE_TOKENS),
        ];
        return inputs.map(inputTokens => ({
          label:
            `${correction.provider} ${model} @ ${price.effectiveFrom}` +
            (inputTokens === 2 * PROBE_TOKENS ? '' : ` (${inputTokens} input)`),
          correction,
          price,
          provider: correction.provider,
          model,
          timestampMillis: Date.parse(price.effectiveFrom),
          usage: {
            inputTokens,
            outputTokens: PROBE_TOKENS,
            cacheReadTokens: PROBE_TOKENS / 10,
            cacheWriteTokens: 0,
            reasoningTokens: 0,
          },
        }));
      }),
    ),
  );
}

/**
 * What genai-prices charges in total (USD) for a probe, or `null` when it has
 * no price. `providers` is other genai-prices data (its published
 * `data.json`); omitted, the installed package's own data.
 */
export function upstreamCost(
  probe: CorrectionProbe,
  providers?: readonly Provider[],
): number | null {
  const providerId = priceProviderId(probe.provider);
  const usage = {
    input_tokens: probe.usage.inputTokens,
    output_tokens: probe.usage.outputTokens,
    cache_read_tokens: probe.usage.cacheReadTokens,
  };
  const timestamp = new Date(probe.timestampMillis);
  if (providers === undefined) {
    const result = calcPrice(usage, probe.model, {
      ...(providerId === undefined ? {} : { providerId }),
      timestamp,
    });
    return result === null ? null : result.total_price;
  }
  const provider = providers.find(p => p.id === providerId);
  if (provider === undefined) return null;
  const result = calcPrice(usage, probe.model, { provider, timestamp });
  return result === null ? null : result.total_price;
}

/** What the bundled correction charges in total (USD) for a probe. */
export function correctedCost(probe: CorrectionProbe): number | undefined {
  return bundledCorrections()
    .find(probe.provider, probe.model)
    ?.schedule.cost(probe.usage, probe.timestampMillis)?.totalUsd;
}

/** Equal to a millionth of a dollar (float noise aside). */
export function sameCost(
  a: number | null | undefined,
  b: number | null | undefined,
): boolean {
  if (a === null || a === undefined || b === null || b === undefined)
    return a === b;
  return Math.abs(a - b) < 1e-6;
}

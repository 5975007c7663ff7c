import {
  PRICE_CORRECTIONS,
  PRICE_CORRECTIONS_VERSION,
  type PriceCorrection,
} from './corrections/price-corrections-data.js';
import { GENAI_PRICES_VERSION } from './genai-prices-table.js';
import { PriceOverrides, type PriceEntry } from './price-override.js';

/**
 * `gen_ai.cost.price_version` of a price from the bundled data: both layers,
 * genai-prices and our corrections (`genai-prices@0.1.8+corrections.<date>`).
 */
export const EFFECTIVE_PRICES_VERSION = `${GENAI_PRICES_VERSION}+corrections.${PRICE_CORRECTIONS_VERSION}`;

/** The corrections as override entries: one per (model id, dated price). */
export function correctionEntries(
  corrections: readonly PriceCorrection[],
): PriceEntry[] {
  return corrections.flatMap(correction =>
    correction.models.flatMap(model =>
      correction.prices.map(price => {
        const { source: _s, checked: _c, note: _n, ...rates } = price;
        return { ...rates, provider: correction.provider, model };
      }),
    ),
  );
}

/**
 * The bundled corrections, compiled once (validated like overrides: a bad
 * entry throws `InvalidPriceOverrideError` at load, and a test holds them).
 */
export function bundledCorrections(): PriceOverrides {
  bundled ??= new PriceOverrides(correctionEntries(PRICE_CORRECTIONS));
  return bundled;
}

let bundled: PriceOverrides | undefined;

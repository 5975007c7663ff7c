import {
  calcPrice,
  findProvider,
  type ModelInfo,
} from '@pydantic/genai-prices';
import { PRICE_CORRECTIONS } from '../../core/price/corrections/price-corrections-data.js';
import { GENAI_PRICES_VERSION } from '../../core/price/genai-prices-table.js';
import { priceProviderId } from '../../core/price/price-provider-id.js';
import type { PriceOverride } from '../../core/price/price-override.js';
import type { DatedPrice } from '../../core/price/price-schedule.js';

/** One price of one layer for one model. */
export interface PriceRow {
  /** `override`, `correction` or `genai-prices`: the first that matches wins. */
  readonly layer: 'override' | 'correction' | 'genai-prices';
  /** Where it came from: the overrides file, the source page, the version. */
  readonly origin: string;
  readonly provider: string;
  readonly model: string;
  /** USD per million tokens by part, tiers and dates, as the layer has them. */
  readonly prices: unknown;
}

export interface ListFilter {
  readonly provider?: string;
  readonly model?: string;
}

const matches = (filter: ListFilter, provider?: string, model?: string) =>
  (filter.provider === undefined ||
    provider === undefined ||
    provider === filter.provider) &&
  (filter.model === undefined ||
    model === undefined ||
    model.toLowerCase() === filter.model.toLowerCase() ||
    (model.endsWith('*') &&
      filter.model.toLowerCase().startsWith(model.slice(0, -1).toLowerCase())));

function rates(price: DatedPrice): Record<string, unknown> {
  const {
    source: _s,
    checked: _c,
    note: _n,
    ...rest
  } = price as DatedPrice & {
    source?: string;
    checked?: string;
    note?: string;
  };
  return rest;
}

/** Every layer's prices for a provider and/or model, overrides first. */
export function listPrices(
  filter: ListFilter,
  overrides: readonly PriceOverride[],
  overridesFile: string | undefined,
): PriceRow[] {
  const rows: PriceRow[] = [];
  for (const override of overrides) {
    if (!matches(filter, override.provider, override.model)) continue;
    const { provider, model, ...price } = override;
    rows.push({
      layer: 'override',
      origin: overridesFile ?? 'overrides',
      provider: provider ?? '(any)',
      model,
      prices: rates(price),
    });
  }
  for (const correction of PRICE_CORRECTIONS) {
    for (const model of correction.models) {
      if (!matches(filter, correction.provider, model)) continue;
      for (const price of correction.prices) {
        rows.push({
          layer: 'correction',
          origin: `${price.source} (checked ${price.checked})`,
          provider: correction.provider,
          model,
          prices: rates(price),
        });
      }
    }
  }
  for (const [provider, model] of upstreamModels(filter)) {
    rows.push({
      layer: 'genai-prices',
      origin: GENAI_PRICES_VERSION,
      provider,
      model: model.id,
      prices: model.prices,
    });
  }
  return rows;
}

/** genai-prices' models for the filter: the one its own matching picks for the model id, or all of the provider's. */
function upstreamModels(filter: ListFilter): [string, ModelInfo][] {
  const providerId = priceProviderId(filter.provider);
  if (filter.provider !== undefined && providerId === undefined) return [];
  if (filter.model === undefined) {
    const provider = findProvider({ providerId: providerId as string });
    return (provider?.models ?? []).map(m => [filter.provider as string, m]);
  }
  const result = calcPrice(
    { input_tokens: 1, output_tokens: 1 },
    filter.model,
    {
      ...(providerId === undefined ? {} : { providerId }),
    },
  );
  return result === null
    ? []
    : [[filter.provider ?? result.provider.id, result.model]];
}

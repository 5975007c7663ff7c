import type { PriceDataConfig } from '../config/price-data-settings.js';
import type { PriceOverride } from '../core/price/price-override.js';
import { createPricer } from '../core/price/pricer.js';
import type { SwappablePricer } from '../core/price/swappable-pricer.js';
import { PriceDataRefresher } from './price-data-refresher.js';

/**
 * Starts refreshing the price data behind `pricer` when `priceData` is set
 * (else does nothing: off by default). Each new data set becomes a new
 * pricer (the same overrides, the bundled corrections, the new table)
 * swapped in whole, so the previous data set is released. The shell that
 * calls it stops the returned refresher on shutdown.
 */
export function startPriceDataRefresh(
  resolved: {
    readonly priceData: PriceDataConfig | undefined;
    readonly overrides: readonly PriceOverride[];
  },
  pricer: SwappablePricer,
): PriceDataRefresher | undefined {
  const { priceData: config, overrides } = resolved;
  if (config === undefined) return undefined;
  const refresher = new PriceDataRefresher({
    source: config.source,
    refreshMillis: config.refreshSeconds * 1000,
    timeoutMillis: config.timeoutSeconds * 1000,
    cacheFile: config.cacheFile,
    onData: priceData => pricer.swap(createPricer({ overrides, priceData })),
  });
  refresher.start();
  return refresher;
}

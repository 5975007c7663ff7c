import { defaultPriceDataCacheFile } from '../price-data/price-data-cache.js';
import { SettingError, type Setting } from './setting.js';
import {
  checkNonEmptyString,
  integerIn,
  MAX_DURATION_SECONDS,
} from './setting-values.js';

/** The run-time price data settings, shared by the processor and gateway. */
export interface PriceDataSettingValues {
  readonly priceDataUrl: string;
  readonly priceDataRefreshSeconds: number;
  readonly priceDataTimeoutSeconds: number;
  readonly priceDataCacheFile: string;
}

/** `priceDataCacheFile` value that turns the cache off. */
export const NO_PRICE_DATA_CACHE = 'none';

/** Shortest refresh interval: upstream data changes a few times a week. */
export const MIN_PRICE_DATA_REFRESH_SECONDS = 60;

/** A row with a flag and a variable (the gateway lists every one). */
export type PriceDataSetting = Setting<PriceDataSettingValues> & {
  readonly flag: string;
  readonly env: string;
};

/** An http(s) URL, or a path (anything without a scheme). */
function checkSource(value: unknown): string {
  const source = checkNonEmptyString(value);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(source)?.[1];
  if (scheme === undefined) return source;
  if (!/^https?$/i.test(scheme)) {
    throw new SettingError(
      `expected an http(s) URL or a file path, got a ${scheme}: URL`,
    );
  }
  try {
    new URL(source);
  } catch {
    throw new SettingError('expected a valid http(s) URL or a file path');
  }
  return source;
}

const refresh = integerIn(MIN_PRICE_DATA_REFRESH_SECONDS, MAX_DURATION_SECONDS);
const timeout = integerIn(1, 600);
const SHELLS = ['processor', 'exporter', 'gateway'] as const;

/**
 * Refresh of the price data at run time: off unless `priceDataUrl` is set
 * (no network from the library unless asked).
 */
export const PRICE_DATA_SETTINGS: readonly PriceDataSetting[] = [
  {
    key: 'priceDataUrl',
    env: 'OTEL_GENAI_COST_PRICE_DATA_URL',
    flag: '--price-data-url',
    valueName: 'url',
    type: 'string',
    defaultText: undefined,
    description:
      'a genai-prices data.json (http(s) URL or file path) to price from instead of the bundled table, read at start and every priceDataRefreshSeconds; corrections and overrides still win; off when unset',
    shells: SHELLS,
    // It may hold credentials or a token (`https://user:pass@...`,
    // `?token=...`): no message repeats it.
    secret: true,
    parse: checkSource,
    check: checkSource,
  },
  {
    key: 'priceDataRefreshSeconds',
    env: 'OTEL_GENAI_COST_PRICE_DATA_REFRESH_SECONDS',
    flag: '--price-data-refresh-seconds',
    valueName: 'seconds',
    type: 'number',
    defaultText: '3600',
    defaultValue: 3600,
    description: `how often priceDataUrl is read again (at least ${MIN_PRICE_DATA_REFRESH_SECONDS})`,
    shells: SHELLS,
    ...refresh,
  },
  {
    key: 'priceDataTimeoutSeconds',
    env: 'OTEL_GENAI_COST_PRICE_DATA_TIMEOUT_SECONDS',
    flag: '--price-data-timeout-seconds',
    valueName: 'seconds',
    type: 'number',
    defaultText: '15',
    defaultValue: 15,
    description:
      'time one read of priceDataUrl may take, headers and body (1 to 600)',
    shells: SHELLS,
    ...timeout,
  },
  {
    key: 'priceDataCacheFile',
    env: 'OTEL_GENAI_COST_PRICE_DATA_CACHE_FILE',
    flag: '--price-data-cache-file',
    valueName: 'file',
    type: 'string',
    defaultText: undefined,
    description: `where the last good price data is kept and read at start; default for a URL: <os.tmpdir()>/otel-genai-cost-<uid>/price-data-<hash of the URL>.json, for a file: none; "${NO_PRICE_DATA_CACHE}": no cache`,
    shells: SHELLS,
    parse: checkNonEmptyString,
    check: checkNonEmptyString,
  },
];

/** The refresh as the pipeline runs it; undefined when it is off. */
export interface PriceDataConfig {
  readonly source: string;
  readonly refreshSeconds: number;
  readonly timeoutSeconds: number;
  /** Where the last good data is kept; undefined: nowhere. */
  readonly cacheFile: string | undefined;
}

/**
 * The resolved settings as one config: off without `priceDataUrl`; the
 * cache file defaults per source (`defaultPriceDataCacheFile`).
 */
export function priceDataConfig(
  values: Partial<PriceDataSettingValues>,
): PriceDataConfig | undefined {
  const source = values.priceDataUrl;
  if (source === undefined) return undefined;
  const cache = values.priceDataCacheFile;
  return {
    source,
    refreshSeconds: values.priceDataRefreshSeconds ?? 3600,
    timeoutSeconds: values.priceDataTimeoutSeconds ?? 15,
    cacheFile:
      cache === NO_PRICE_DATA_CACHE
        ? undefined
        : (cache ?? defaultPriceDataCacheFile(source)),
  };
}

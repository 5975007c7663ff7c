import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import {
  InvalidPriceOverrideError,
  PriceOverrides,
  type PriceOverride,
} from '../core/price/price-override.js';

/**
 * Reads price overrides from a JSON or YAML file: either a list of overrides
 * or `{ prices: [...] }`. Each entry has `model`, `inputPerMTokUsd`,
 * `outputPerMTokUsd` and optionally `provider`, `cacheReadPerMTokUsd`,
 * `cacheWritePerMTokUsd`, `reasoningPerMTokUsd`, `perRequestUsd`,
 * `effectiveFrom` (`YYYY-MM-DD` or an ISO date-time with a zone) and
 * `tiers` (`[{ aboveInputTokens, inputPerMTokUsd, ... }]`); every entry is
 * checked here, as the pricer checks it (`PriceOverride`). Throws
 * `InvalidPriceOverrideError` with the file name and the entry at fault;
 * called at configuration time only.
 */
export function loadPriceOverrides(path: string): PriceOverride[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InvalidPriceOverrideError(
      `cannot read price overrides file ${path}: ${(error as Error).message}`,
    );
  }
  let document: unknown;
  try {
    document = /\.json$/i.test(path) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new InvalidPriceOverrideError(
      `price overrides file ${path} is not valid ${/\.json$/i.test(path) ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
    );
  }
  const list = Array.isArray(document)
    ? document
    : document !== null &&
        typeof document === 'object' &&
        Array.isArray((document as { prices?: unknown }).prices)
      ? (document as { prices: unknown[] }).prices
      : undefined;
  if (list === undefined) {
    throw new InvalidPriceOverrideError(
      `price overrides file ${path} must hold a list of prices or { prices: [...] }`,
    );
  }
  const entries = list.map((entry, index) => {
    if (entry === null || typeof entry !== 'object') {
      throw new InvalidPriceOverrideError(
        `${path}: entry #${index + 1} is not an object`,
      );
    }
    return entry as PriceOverride;
  });
  try {
    new PriceOverrides(entries);
  } catch (error) {
    if (!(error instanceof InvalidPriceOverrideError)) throw error;
    throw new InvalidPriceOverrideError(`${path}: ${error.message}`);
  }
  return entries;
}

import { createHash } from 'node:crypto';

/**
 * Names a genai-prices data file by its content:
 * `genai-prices-data@sha256:<first 12 hex of the SHA-256 of its bytes>`.
 * The same bytes always get the same name (from the network or the
 * cache), different files never share one (2^48 names).
 */
export function priceDataVersion(bytes: Uint8Array): string {
  const hash = createHash('sha256').update(bytes).digest('hex');
  return `genai-prices-data@sha256:${hash.slice(0, 12)}`;
}

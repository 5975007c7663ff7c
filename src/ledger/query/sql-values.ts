/**
 * Values read back from a store, converted exactly. Drivers hand integers
 * over as `number`, `bigint` or (PostgreSQL `bigint` and `numeric` sums, and
 * sums the SQL casts to text) decimal strings; money stays a `bigint` of
 * nano-dollars until its one conversion to US dollars.
 */

const INTEGER = /^-?\d+$/;

/** An integer column or sum as a `bigint`; NULL is 0. Throws on anything else (never guesses). */
export function bigIntOf(value: unknown): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    return BigInt(value);
  }
  // PostgreSQL numeric sums of integers come back as "123" (sometimes "123.0" is impossible for integer sums, but be strict).
  if (typeof value === 'string' && INTEGER.test(value)) return BigInt(value);
  throw new TypeError(
    `ledger: expected an integer from the store, got ${typeof value} ${String(value).slice(0, 40)}`,
  );
}

/** A count or token sum as a number (exact up to 2^53). */
export function countOf(value: unknown): number {
  return Number(bigIntOf(value));
}

const NANO = 1_000_000_000n;

/**
 * Integer nano-dollars to US dollars, in one step: the whole dollars and
 * the nano-dollar remainder are converted apart, so the result is the
 * nearest double to the exact decimal (`n / 1e9` would round twice beyond
 * 2^53 nano-dollars).
 */
export function usdOfNanoUsd(nanoUsd: bigint): number {
  const negative = nanoUsd < 0n;
  const abs = negative ? -nanoUsd : nanoUsd;
  const whole = abs / NANO;
  const fraction = abs % NANO;
  const usd = Number(`${whole}.${fraction.toString().padStart(9, '0')}`);
  return negative ? -usd : usd;
}

/** Epoch milliseconds (as the store gives them) to ISO 8601 UTC. */
export function isoOfMillis(value: unknown): string {
  return new Date(Number(bigIntOf(value))).toISOString();
}

/** A text column: null stays null; numbers (a day bucket) become strings. */
export function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}

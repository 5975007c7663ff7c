/**
 * The one rule for what a token count may be, whoever reads it: span
 * readers (processor, exporter wrapper, gateway), `recordLlmCall`, the
 * pricer and the CLI's `price --input`.
 *
 * A valid count is a whole number from 0 to `MAX_TOKEN_COUNT`:
 * - a number that is a safe integer (integer-valued doubles are fine:
 *   OTLP/JSON and some SDKs send counts as doubles);
 * - a string of 1 to 10 ASCII decimal digits and nothing else (no sign,
 *   no surrounding whitespace, no `0x`, exponent, fraction or `Infinity`);
 * - a bigint in range (a decoder keeping 64-bit integers exact).
 * `undefined` and `null` are missing, which is not invalid. Anything else
 * (booleans, NaN, infinities, negatives, fractions, arrays, other strings)
 * is invalid.
 */

/**
 * One billion tokens per call and per kind: 100 times the largest context
 * window on sale (10 million tokens, Llama 4 Scout; Gemini 1.5 Pro has 2
 * million) and thousands of times the largest output (128 thousand).
 * Even at the dearest published rate ($600 per million output tokens) a
 * call at the ceiling stays under the per-call cost cap.
 */
export const MAX_TOKEN_COUNT = 1_000_000_000;

/** What a count reader returns for a present value that is not a count. */
export const INVALID_COUNT = 'invalid';

/** A count as read: valid, present but invalid, or missing. */
export type CountReading = number | typeof INVALID_COUNT | undefined;

const DECIMAL_DIGITS = /^[0-9]{1,10}$/;

/** Reads any value as a token count (see the module comment). */
export function parseTokenCount(value: unknown): CountReading {
  if (value === undefined || value === null) return undefined;
  let count: number;
  if (typeof value === 'number') {
    count = value;
  } else if (typeof value === 'string') {
    if (!DECIMAL_DIGITS.test(value)) return INVALID_COUNT;
    count = Number(value);
  } else if (typeof value === 'bigint') {
    if (value < BigInt(0) || value > BigInt(MAX_TOKEN_COUNT)) {
      return INVALID_COUNT;
    }
    count = Number(value);
  } else {
    return INVALID_COUNT;
  }
  return isTokenCount(count) ? count + 0 : INVALID_COUNT; // + 0: -0 reads 0
}

/** A number that is a valid token count. */
export function isTokenCount(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isSafeInteger(value) &&
    value >= 0 &&
    value <= MAX_TOKEN_COUNT
  );
}

/**
 * Several readings of one kind of count (aliases, fallbacks) as one: invalid
 * when any of them is invalid (a garbage value never falls through to a
 * later key), else the first valid one, else missing.
 */
export function firstCount(readings: readonly CountReading[]): CountReading {
  let first: number | undefined;
  for (const reading of readings) {
    if (reading === INVALID_COUNT) return INVALID_COUNT;
    if (first === undefined) first = reading;
  }
  return first;
}

/** `firstCount` of two readings, without an array: for hot readers. */
export function eitherCount(
  first: CountReading,
  second: CountReading,
): CountReading {
  if (first === INVALID_COUNT || second === INVALID_COUNT) {
    return INVALID_COUNT;
  }
  return first ?? second;
}

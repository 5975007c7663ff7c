/**
 * Most tiers in one price and dated price sets in one model
 * (genai-prices' own data: 1 and 4). Tiers are read once per tier when a
 * model is first priced (quadratic in their number: 5,000 tiers took
 * 177 ms inside `span.end()`, the 1.4 million a 32 MiB file can hold
 * would take hours).
 */
export const MAX_PRICE_TIERS = 16;
export const MAX_PRICE_CONDITIONS = 64;

const CONSTRAINTS = new Set(['start_date', 'time_of_date']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRate(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/**
 * Why a model's `prices` are not usable, or undefined: one set of prices,
 * or a list of sets each under a `start_date` or `time_of_date`
 * constraint; each price a finite number of at least 0, or
 * `{ base, tiers: [{ start, price }] }` of such numbers. Anything else
 * (a negative or text price, a date that does not parse, an unknown
 * constraint) would be priced wrong or fail on every call: the file is
 * refused instead.
 */
export function priceSetProblem(prices: unknown): string | undefined {
  if (!Array.isArray(prices)) return pricesProblem(prices);
  if (prices.length === 0 || prices.length > MAX_PRICE_CONDITIONS) {
    return `needs 1 to ${MAX_PRICE_CONDITIONS} dated price sets`;
  }
  for (const entry of prices) {
    if (!isObject(entry)) return 'a dated price set is not an object';
    const why =
      constraintProblem(entry['constraint']) ?? pricesProblem(entry['prices']);
    if (why !== undefined) return why;
  }
  return undefined;
}

function constraintProblem(constraint: unknown): string | undefined {
  if (constraint === undefined) return undefined;
  if (!isObject(constraint) || !CONSTRAINTS.has(String(constraint['type']))) {
    return 'an unknown constraint';
  }
  const times =
    constraint['type'] === 'start_date'
      ? [constraint['start_date']]
      : [constraint['start_time'], constraint['end_time']];
  const parses = constraint['type'] === 'start_date' ? isDate : isTimeOfDay;
  return times.every(parses)
    ? undefined
    : 'a constraint time that does not parse';
}

function isDate(time: unknown): boolean {
  return typeof time === 'string' && !Number.isNaN(Date.parse(time));
}

/** `HH:MM:SS[.fff](Z|+HH:MM)`, as genai-prices reads it (else it throws). */
function isTimeOfDay(time: unknown): boolean {
  if (typeof time !== 'string') return false;
  const parts =
    /^(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))$/.exec(time);
  if (parts === null) return false;
  const [, h, m, sec, oh, om] = parts;
  return (
    Number(h) <= 23 &&
    Number(m) <= 59 &&
    Number(sec) <= 59 &&
    Number(oh ?? 0) <= 23 &&
    Number(om ?? 0) <= 59
  );
}

function pricesProblem(prices: unknown): string | undefined {
  if (!isObject(prices)) return 'a price set is not an object';
  for (const [key, value] of Object.entries(prices)) {
    if (isRate(value)) continue;
    if (!isObject(value) || !isRate(value['base'])) {
      return `${key} is not a price of at least 0`;
    }
    const tiers = value['tiers'];
    if (
      !Array.isArray(tiers) ||
      tiers.length > MAX_PRICE_TIERS ||
      !tiers.every(
        tier =>
          isObject(tier) && isRate(tier['start']) && isRate(tier['price']),
      )
    ) {
      return `${key} needs at most ${MAX_PRICE_TIERS} tiers of a start and a price of at least 0`;
    }
  }
  return undefined;
}

import type { TokenUsage } from '../llm-call.js';
import { InvalidPriceOverrideError } from './invalid-price-override-error.js';
import { assembleParts, type CostParts } from './token-prices.js';

/** Rates in USD per million tokens (and USD per request). */
export interface PriceRatesPerMTok {
  readonly inputPerMTokUsd: number;
  /** Output, reasoning included unless `reasoningPerMTokUsd` is set. */
  readonly outputPerMTokUsd: number;
  /** Defaults to the input rate. */
  readonly cacheReadPerMTokUsd?: number;
  /** Defaults to the input rate (5-minute writes where TTLs differ). */
  readonly cacheWritePerMTokUsd?: number;
  /** Reasoning tokens billed apart from output; defaults to the output rate. */
  readonly reasoningPerMTokUsd?: number;
  /** A fee per call, in USD (counted in the input part). Defaults to 0. */
  readonly perRequestUsd?: number;
}

/**
 * A long-context tier: when the call's total input tokens (cache reads and
 * writes included) exceed `aboveInputTokens`, every part of the call is
 * priced at these rates.
 */
export interface PriceTier extends PriceRatesPerMTok {
  readonly aboveInputTokens: number;
}

/** Base rates, optional tiers, and the date from which they apply. */
export interface DatedPrice extends PriceRatesPerMTok {
  /**
   * When these rates took effect: `YYYY-MM-DD` (UTC midnight) or an ISO
   * date-time with `Z` or an offset. Omitted: always.
   */
  readonly effectiveFrom?: string;
  readonly tiers?: readonly PriceTier[];
}

/** Per-token USD rates, ready for arithmetic. */
interface Rates {
  readonly inputUsd: number;
  readonly outputUsd: number;
  readonly cacheReadUsd: number;
  readonly cacheWriteUsd: number;
  readonly reasoningUsd: number | undefined;
  readonly requestUsd: number;
}

/** One period: rates from `fromMs` on, by tier. */
export interface PricePeriod {
  readonly fromMs: number;
  /** Ascending; `starts[0]` is -Infinity (the base rates). */
  readonly starts: readonly number[];
  readonly rates: readonly Rates[];
}

const PER_MTOK = 1e-6;
const DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;
/** Tier thresholds, like token counts, are whole numbers up to 10^9. */
const MAX_THRESHOLD = 1_000_000_000;

/**
 * The rates in force over time for one model: the latest period that began
 * at or before the call, then the highest tier whose threshold the call's
 * input exceeds. Before the first period there is no price (`undefined`):
 * the next layer prices the call.
 */
export class PriceSchedule {
  readonly periods: readonly PricePeriod[];

  constructor(periods: readonly PricePeriod[]) {
    this.periods = [...periods].sort((a, b) => a.fromMs - b.fromMs);
  }

  cost(usage: TokenUsage, timestampMillis: number): CostParts | undefined {
    let period: PricePeriod | undefined;
    for (const candidate of this.periods) {
      if (candidate.fromMs <= timestampMillis) period = candidate;
      else break;
    }
    if (period === undefined) return undefined;
    let rates = period.rates[0] as Rates;
    for (let i = 1; i < period.starts.length; i++) {
      if (usage.inputTokens > (period.starts[i] as number)) {
        rates = period.rates[i] as Rates;
      }
    }
    return costAt(usage, rates);
  }
}

function costAt(usage: TokenUsage, rates: Rates): CostParts {
  const uncached = Math.max(
    0,
    usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens,
  );
  const reasoning =
    rates.reasoningUsd === undefined
      ? 0
      : Math.min(usage.reasoningTokens, usage.outputTokens);
  return assembleParts(
    uncached * rates.inputUsd + rates.requestUsd,
    (usage.outputTokens - reasoning) * rates.outputUsd +
      reasoning * (rates.reasoningUsd ?? 0),
    usage.cacheReadTokens * rates.cacheReadUsd,
    usage.cacheWriteTokens * rates.cacheWriteUsd,
  );
}

/**
 * Validates one dated price (base rates, tiers, date) and compiles it.
 * Throws `InvalidPriceOverrideError` naming `where` on any bad field.
 */
export function compileDatedPrice(
  price: DatedPrice,
  where: string,
  otherKeys: readonly string[] = [],
): PricePeriod {
  if (price === null || typeof price !== 'object') {
    throw new InvalidPriceOverrideError(`${where}: not an object`);
  }
  refuseUnknownKeys(
    price,
    [...RATE_FIELDS, ...DATED_KEYS, ...otherKeys],
    where,
  );
  const fromMs =
    price.effectiveFrom === undefined
      ? Number.NEGATIVE_INFINITY
      : parseEffectiveFrom(price.effectiveFrom, where);
  const base = compileRates(price, where);
  if (price.tiers !== undefined && !Array.isArray(price.tiers)) {
    throw new InvalidPriceOverrideError(`${where}: "tiers" must be a list`);
  }
  const starts = [Number.NEGATIVE_INFINITY];
  const rates = [base];
  (price.tiers ?? []).forEach((tier: PriceTier, index: number) => {
    const at = `${where}, tier #${index + 1}`;
    if (tier === null || typeof tier !== 'object') {
      throw new InvalidPriceOverrideError(`${at}: not an object`);
    }
    refuseUnknownKeys(tier, [...RATE_FIELDS, 'aboveInputTokens'], at);
    const above: unknown = tier.aboveInputTokens;
    if (
      typeof above !== 'number' ||
      !Number.isInteger(above) ||
      above < 0 ||
      above > MAX_THRESHOLD
    ) {
      throw new InvalidPriceOverrideError(
        `${at}: "aboveInputTokens" must be a whole number from 0 to ${MAX_THRESHOLD}, got ${String(above)}`,
      );
    }
    if (above <= (starts[starts.length - 1] as number)) {
      throw new InvalidPriceOverrideError(
        `${at}: "aboveInputTokens" must be above the previous tier's (${String(starts[starts.length - 1])})`,
      );
    }
    starts.push(above);
    rates.push(compileRates(tier, at));
  });
  return { fromMs, starts, rates };
}

const RATE_FIELDS = [
  'inputPerMTokUsd',
  'outputPerMTokUsd',
  'cacheReadPerMTokUsd',
  'cacheWritePerMTokUsd',
  'reasoningPerMTokUsd',
  'perRequestUsd',
] as const;
const REQUIRED = new Set(['inputPerMTokUsd', 'outputPerMTokUsd']);
const DATED_KEYS = ['effectiveFrom', 'tiers'] as const;

/** A misspelt key (`effectiveFrm`) would silently change a price: refuse it. */
function refuseUnknownKeys(
  value: object,
  known: readonly string[],
  where: string,
): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new InvalidPriceOverrideError(
        `${where}: unknown field "${key}" (known: ${known.join(', ')})`,
      );
    }
  }
}

function compileRates(rates: PriceRatesPerMTok, where: string): Rates {
  for (const field of RATE_FIELDS) {
    const value: unknown = rates[field];
    if (value === undefined && !REQUIRED.has(field)) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new InvalidPriceOverrideError(
        `${where}: "${field}" must be a finite number >= 0, got ${String(value)}`,
      );
    }
  }
  const input = rates.inputPerMTokUsd * PER_MTOK;
  return {
    inputUsd: input,
    outputUsd: rates.outputPerMTokUsd * PER_MTOK,
    cacheReadUsd:
      rates.cacheReadPerMTokUsd === undefined
        ? input
        : rates.cacheReadPerMTokUsd * PER_MTOK,
    cacheWriteUsd:
      rates.cacheWritePerMTokUsd === undefined
        ? input
        : rates.cacheWritePerMTokUsd * PER_MTOK,
    reasoningUsd:
      rates.reasoningPerMTokUsd === undefined
        ? undefined
        : rates.reasoningPerMTokUsd * PER_MTOK,
    requestUsd: rates.perRequestUsd ?? 0,
  };
}

/** `YYYY-MM-DD` or an ISO date-time with a zone, as ms since the epoch. */
export function parseEffectiveFrom(value: unknown, where: string): number {
  const match = typeof value === 'string' ? DATE.exec(value) : null;
  const ms = match === null ? Number.NaN : Date.parse(value as string);
  const [, year, month, day] = match ?? [];
  // Date.parse rolls 2025-02-30 over to March: refuse it.
  const real =
    Number.isFinite(ms) &&
    new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)))
      .toISOString()
      .startsWith(`${year}-${month}-${day}`);
  if (!real) {
    throw new InvalidPriceOverrideError(
      `${where}: "effectiveFrom" must be a date (YYYY-MM-DD) or an ISO date-time with Z or an offset, got ${JSON.stringify(value) ?? String(value)}`,
    );
  }
  return ms;
}

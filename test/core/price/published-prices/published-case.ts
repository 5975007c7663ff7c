/**
 * The shape of one audited case: a call on a provider's model, priced by the
 * provider's published per-million rates, with where and when the rates were
 * read. Expected values are computed from these rates by `expectedParts`
 * (never from `@pydantic/genai-prices` or our code).
 */
import type { PublishedPrice } from '../published-prices.js';

/** The day the audit read the pages (search-tool snapshots, see `via`). */
export const READ_ON = '2026-11-30';

/** Default call time: the prices asserted are the ones in force today. */
export const NOW = Date.parse('2026-11-30T12:00:00Z');

export interface PageSource {
  /** The provider's own pricing page (or model page) for these rates. */
  readonly url: string;
  /** The page's own "last updated" date, when it shows one. */
  readonly pageUpdated?: string;
  /**
   * How the rates were read: the stored copy the search tool returned (the
   * provider page itself, an archive of it, or a dated page quoting it).
   */
  readonly via: string;
}

export interface CaseUsage {
  /** The WHOLE prompt: cache reads and cache writes included. */
  readonly input: number;
  readonly output: number;
  readonly cacheRead?: number;
  readonly cacheWrite?: number;
}

export interface PublishedCase {
  /** `gen_ai.provider.name` as a span carries it. */
  readonly provider: string;
  /** `gen_ai.request.model` / `gen_ai.response.model` as a span carries it. */
  readonly model: string;
  readonly usage: CaseUsage;
  readonly price: PublishedPrice;
  readonly page: PageSource;
  readonly read: string;
  /** Call time, ms since the epoch; defaults to `NOW`. */
  readonly at?: number;
}

export interface ExpectedParts {
  readonly inputUsd: number;
  readonly cacheReadUsd: number;
  readonly cacheWriteUsd: number;
  readonly outputUsd: number;
  readonly totalUsd: number;
}

/**
 * Uncached input x input rate + cache reads x read rate + cache writes x
 * write rate + output x output rate, per million tokens; the whole request at
 * the long-context rates when the total input exceeds the threshold.
 */
export function expectedParts(c: PublishedCase): ExpectedParts {
  const { price, usage } = c;
  const cacheRead = usage.cacheRead ?? 0;
  const cacheWrite = usage.cacheWrite ?? 0;
  const rates =
    price.longContext !== undefined &&
    usage.input > price.longContext.aboveInputTokens
      ? price.longContext
      : price;
  const at = (tokens: number, perMTok: number | undefined, what: string) => {
    if (tokens === 0) return 0;
    if (perMTok === undefined) {
      throw new Error(`fixture: ${c.model} has no published ${what} rate`);
    }
    return (tokens * perMTok) / 1e6;
  };
  const inputUsd = at(
    usage.input - cacheRead - cacheWrite,
    rates.inputPerMTok,
    'input',
  );
  const cacheReadUsd = at(cacheRead, rates.cacheReadPerMTok, 'cache read');
  const cacheWriteUsd = at(cacheWrite, rates.cacheWritePerMTok, 'cache write');
  const outputUsd = at(usage.output, rates.outputPerMTok, 'output');
  return {
    inputUsd,
    cacheReadUsd,
    cacheWriteUsd,
    outputUsd,
    totalUsd: inputUsd + cacheReadUsd + cacheWriteUsd + outputUsd,
  };
}

/** Builds the cases of one page: same source, one line per call. */
export function casesFrom(
  page: PageSource,
  rows: readonly (readonly [
    provider: string,
    model: string,
    usage: CaseUsage,
    price: PublishedPrice,
  ])[],
): PublishedCase[] {
  return rows.map(([provider, model, usage, price]) => ({
    provider,
    model,
    usage,
    price,
    page,
    read: READ_ON,
  }));
}

/** Rates as a page lists them: input, cached input, cache write, output. */
export function rates(
  input: number,
  cacheRead: number | undefined,
  cacheWrite: number | undefined,
  output: number,
  note: string,
): PublishedPrice {
  return {
    inputPerMTok: input,
    outputPerMTok: output,
    ...(cacheRead === undefined ? {} : { cacheReadPerMTok: cacheRead }),
    ...(cacheWrite === undefined ? {} : { cacheWritePerMTok: cacheWrite }),
    source: note,
  };
}

import type { Provider } from '@pydantic/genai-prices';
import type { TokenUsage } from '../llm-call.js';
import { isTokenCount } from '../normalize/token-count.js';
import { GenerationalMap } from '../select/generational-map.js';
import { bedrockModelIdWithVendor } from './bedrock-model-id.js';
import { cleanModelId } from './clean-model-id.js';
import { PRICE_CORRECTIONS_VERSION } from './corrections/price-corrections-data.js';
import type { CostResult } from './cost-result.js';
import {
  GenaiPricesTable,
  resolvedParts,
  type Resolution,
} from './genai-prices-table.js';
import { isPlausibleCost } from './max-call-cost.js';
import {
  bundledCorrections,
  EFFECTIVE_PRICES_VERSION,
} from './price-corrections.js';
import {
  PriceOverrides,
  type PriceOverride,
  type ScheduledPrice,
} from './price-override.js';
import { priceProviderId } from './price-provider-id.js';
import { roundUsd, type CostParts } from './token-prices.js';

/** What one (provider, model) pair resolves to, whatever the usage. */
interface Route {
  /** Your override for the model, if any (it may not cover every date). */
  readonly override: ScheduledPrice | undefined;
  /** The bundled correction for the model, if any. */
  readonly correction: ScheduledPrice | undefined;
  /** The table's answer (raw id first, then cleaned), filled on first use. */
  table:
    { readonly resolution: Resolution; readonly model: string } | undefined;
}

/** Bounds on remembered routes (provider and model ids come from spans). */
const MAX_PROVIDERS = 64;
const MAX_MODELS_PER_PROVIDER = 4096;

/**
 * Token counts to price, with the semantics of `TokenUsage` (input includes
 * cache reads and writes, output includes reasoning). A count left out is 0.
 */
export interface PriceUsage {
  readonly inputTokens?: number | undefined;
  readonly outputTokens?: number | undefined;
  readonly cacheReadTokens?: number | undefined;
  readonly cacheWriteTokens?: number | undefined;
  readonly reasoningTokens?: number | undefined;
  readonly inputAudioTokens?: number | undefined;
  readonly outputAudioTokens?: number | undefined;
}

export interface PriceInput {
  /** GenAI provider name (`openai`, `anthropic`, `aws.bedrock`, ...). */
  readonly provider?: string | undefined;
  readonly model: string | undefined;
  /** Token counts; a count left out (or no usage at all) is 0. */
  readonly usage?: PriceUsage | undefined;
  /**
   * Token counts were present but invalid (`LlmCall.invalidUsage`): the call
   * is left unpriced (`invalid_usage`) unless a cost was reported.
   */
  readonly invalidUsage?: boolean | undefined;
  /** A cost the provider or a gateway reported; wins over any price. */
  readonly reportedCostUsd?: number | undefined;
  /** When the call happened, ms since the epoch. Defaults to now. */
  readonly timestamp?: number | undefined;
}

/**
 * genai-prices data to price from instead of the bundled copy (a newer
 * `data.json`, already checked with `checkPriceData`), and its name.
 */
export interface PriceData {
  readonly providers: readonly Provider[];
  /** Names the data, e.g. `genai-prices-data@sha256:0123456789ab`. */
  readonly version: string;
}

export interface PricerOptions {
  /** Your own prices; they win over the bundled prices (and corrections). */
  readonly overrides?: readonly PriceOverride[];
  /**
   * Price data that replaces the bundled genai-prices table (the lowest
   * layer only: corrections and overrides still win over it).
   */
  readonly priceData?: PriceData | undefined;
}

/**
 * `gen_ai.cost.price_version` of a price from the table or a correction:
 * both layers, the table's data and our corrections: the bundled
 * `EFFECTIVE_PRICES_VERSION`, or with refreshed data
 * `genai-prices-data@sha256:0123456789ab+corrections.<date>`.
 */
export function effectivePricesVersion(dataVersion?: string): string {
  return dataVersion === undefined
    ? EFFECTIVE_PRICES_VERSION
    : `${dataVersion}+corrections.${PRICE_CORRECTIONS_VERSION}`;
}

export interface Pricer {
  price(input: PriceInput): CostResult;
}

/**
 * Prices one call. Order of precedence: a provider-reported cost, then your
 * overrides, then the bundled corrections, then the bundled
 * `@pydantic/genai-prices` table (or `priceData`, refreshed data, in its
 * place: refreshed upstream data may still carry a price we correct, so
 * corrections stay above it; `prices diff` says when one became redundant). Overrides and corrections are dated: one
 * whose earliest price starts after the call leaves it to the next layer. A token count
 * left out is 0 (so `usage: { inputTokens: 1000 }` prices 1,000 input tokens);
 * an unknown model gives `{ priced: false, reason }`, never a zero.
 *
 * Invalid token counts (flagged by the reader, or numbers in `usage` that are
 * not valid counts) leave the call unpriced (`invalid_usage`) unless a
 * plausible cost was reported: that cost does not depend on the counts (and
 * a span that carries it agrees with the counter only if it is counted).
 * It is never priced on its remaining counts. One cap, `MAX_CALL_COST_USD`, bounds every
 * cost: a reported cost above it is ignored (the call is priced from its
 * tokens), a computed one above it leaves the call unpriced
 * (`cost_above_cap`). So no result ever carries a non-finite, negative or
 * absurd figure.
 */
export function createPricer(options: PricerOptions = {}): Pricer {
  const overrides = new PriceOverrides(options.overrides ?? []);
  const corrections = bundledCorrections();
  const table = new GenaiPricesTable(4096, options.priceData?.providers);
  const version = effectivePricesVersion(options.priceData?.version);
  // provider -> model -> route: a hit hashes the two strings the span holds
  // (hashes cached on the strings) instead of building keys and cleaning ids.
  const routes = new GenerationalMap<GenerationalMap<Route>>(MAX_PROVIDERS);
  // The route found last, by its (provider, model): consecutive calls are
  // usually of one model, answered without the two map look-ups. Only an
  // insertion can drop an entry from the maps (a full generation), so the
  // memo is the maps' answer until the next insertion, which replaces it.
  let lastProvider: string | undefined;
  let lastModel: string | undefined;
  let lastRoute: Route | undefined;
  const routeOf = (provider: string | undefined, model: string): Route => {
    if (
      lastRoute !== undefined &&
      model === lastModel &&
      provider === lastProvider
    ) {
      return lastRoute;
    }
    // Forgotten first: a look-up that throws leaves no memo behind.
    lastRoute = undefined;
    let models = routes.get(provider ?? '');
    if (models === undefined) {
      models = new GenerationalMap(MAX_MODELS_PER_PROVIDER);
      routes.set(provider ?? '', models);
    }
    let route = models.get(model);
    if (route === undefined) {
      route = {
        override: overrides.find(provider, model),
        correction:
          corrections.find(provider, model) ??
          correctionWithVendor(provider, model),
        table: undefined,
      };
      models.set(model, route);
    }
    lastProvider = provider;
    lastModel = model;
    lastRoute = route;
    return route;
  };
  /** A Bedrock id reported without its vendor (see bedrock-model-id). */
  const correctionWithVendor = (
    provider: string | undefined,
    model: string,
  ): ScheduledPrice | undefined => {
    if (priceProviderId(provider) !== 'aws') return undefined;
    const vendored = bedrockModelIdWithVendor(cleanModelId(model));
    return vendored === undefined
      ? undefined
      : corrections.find(provider, vendored);
  };
  const tableRoute = (
    provider: string | undefined,
    model: string,
    timestamp: number,
  ): { readonly resolution: Resolution; readonly model: string } => {
    // The id as reported first: router tables (OpenRouter, Groq) key
    // models by `vendor/model`. Then without gateway prefixes.
    const providerId = priceProviderId(provider);
    const raw = table.resolution(providerId, model, timestamp);
    const cleaned = cleanModelId(model);
    if (raw.kind !== 'unknown' || cleaned === model) {
      return withVendor(providerId, raw, model, timestamp);
    }
    return withVendor(
      providerId,
      table.resolution(providerId, cleaned, timestamp),
      cleaned,
      timestamp,
    );
  };
  /** An unknown Bedrock id without its vendor is retried with it. */
  const withVendor = (
    providerId: string | undefined,
    resolution: Resolution,
    model: string,
    timestamp: number,
  ): { readonly resolution: Resolution; readonly model: string } => {
    if (resolution.kind !== 'unknown' || providerId !== 'aws') {
      return { resolution, model };
    }
    const vendored = bedrockModelIdWithVendor(model);
    if (vendored === undefined) return { resolution, model };
    return {
      resolution: table.resolution(providerId, vendored, timestamp),
      model: vendored,
    };
  };
  return {
    price(input: PriceInput): CostResult {
      const reported = input.reportedCostUsd;
      if (isPlausibleCost(reported)) {
        return {
          priced: true,
          source: 'provider',
          totalUsd: roundUsd(reported),
          priceVersion: 'provider',
        };
      }
      const usage = withZeros(input.usage);
      if (input.invalidUsage === true || !isValidUsage(usage)) {
        return { priced: false, reason: 'invalid_usage' };
      }
      const model = input.model?.trim();
      if (model === undefined || model === '') {
        return { priced: false, reason: 'missing_model' };
      }
      const route = routeOf(input.provider, model);
      const timestamp = input.timestamp ?? Date.now();
      const override = route.override?.schedule.cost(usage, timestamp);
      if (override !== undefined) {
        return withParts(
          'override',
          override,
          (route.override as ScheduledPrice).modelId,
          'override',
        );
      }
      const corrected = route.correction?.schedule.cost(usage, timestamp);
      if (corrected !== undefined) {
        return withParts(
          'price_table',
          corrected,
          (route.correction as ScheduledPrice).modelId,
          version,
        );
      }
      let parts: CostParts | undefined;
      let resolution: Resolution;
      try {
        route.table ??= tableRoute(input.provider, model, timestamp);
        resolution = route.table.resolution;
        parts = resolvedParts(resolution, route.table.model, usage, timestamp);
      } catch {
        return { priced: false, reason: 'price_error' };
      }
      if (parts === undefined || resolution.kind === 'unknown') {
        return { priced: false, reason: 'unknown_model' };
      }
      return withParts('price_table', parts, resolution.modelId, version);
    },
  };
}

/** The result of computed parts (read field by field: no copy with the id). */
function withParts(
  source: 'price_table' | 'override',
  parts: CostParts,
  modelId: string,
  priceVersion: string,
): CostResult {
  // Each part checked in turn (no array and closure per call).
  if (
    !isPricePart(parts.inputUsd) ||
    !isPricePart(parts.outputUsd) ||
    !isPricePart(parts.cacheReadUsd) ||
    !isPricePart(parts.cacheWriteUsd) ||
    !isPricePart(parts.totalUsd)
  ) {
    return { priced: false, reason: 'price_error' };
  }
  if (!isPlausibleCost(parts.totalUsd)) {
    return { priced: false, reason: 'cost_above_cap' };
  }
  return {
    priced: true,
    source,
    inputUsd: parts.inputUsd,
    outputUsd: parts.outputUsd,
    cacheReadUsd: parts.cacheReadUsd,
    cacheWriteUsd: parts.cacheWriteUsd,
    totalUsd: parts.totalUsd,
    modelId,
    priceVersion,
  };
}

/** A finite, non-negative amount. */
function isPricePart(amount: number): boolean {
  return Number.isFinite(amount) && amount >= 0;
}

/**
 * Prices a call read from a span. A span that carries no token counts (and
 * no valid reported cost) is `missing_usage`: unlike a caller of `price()`,
 * who left the counts out on purpose, it says nothing about what was used.
 * Otherwise the pricer's answer.
 */
export function priceSpanCall(pricer: Pricer, input: PriceInput): CostResult {
  if (
    input.usage === undefined &&
    input.invalidUsage !== true &&
    !isPlausibleCost(input.reportedCostUsd) &&
    (input.model?.trim() ?? '') !== ''
  ) {
    return { priced: false, reason: 'missing_usage' };
  }
  return pricer.price(input);
}

/**
 * The counts with 0 for each one left out (the audio details stay optional).
 * Usage that already has every count (a `TokenUsage` read from a span) and
 * no audio detail is priced as it is: no copy per call.
 */
function withZeros(usage: PriceUsage | undefined): TokenUsage {
  if (
    usage !== undefined &&
    typeof usage.inputTokens === 'number' &&
    typeof usage.outputTokens === 'number' &&
    typeof usage.cacheReadTokens === 'number' &&
    typeof usage.cacheWriteTokens === 'number' &&
    typeof usage.reasoningTokens === 'number' &&
    usage.inputAudioTokens === undefined &&
    usage.outputAudioTokens === undefined
  ) {
    return usage as TokenUsage;
  }
  const counts: TokenUsage = {
    inputTokens: usage?.inputTokens ?? 0,
    outputTokens: usage?.outputTokens ?? 0,
    cacheReadTokens: usage?.cacheReadTokens ?? 0,
    cacheWriteTokens: usage?.cacheWriteTokens ?? 0,
    reasoningTokens: usage?.reasoningTokens ?? 0,
  };
  const { inputAudioTokens, outputAudioTokens } = usage ?? {};
  return {
    ...counts,
    ...(inputAudioTokens === undefined ? {} : { inputAudioTokens }),
    ...(outputAudioTokens === undefined ? {} : { outputAudioTokens }),
  };
}

/** Every count valid (`isTokenCount`), the cache parts within the input. */
function isValidUsage(usage: TokenUsage): boolean {
  return (
    isTokenCount(usage.inputTokens) &&
    isTokenCount(usage.outputTokens) &&
    isTokenCount(usage.cacheReadTokens) &&
    isTokenCount(usage.cacheWriteTokens) &&
    isTokenCount(usage.reasoningTokens) &&
    (usage.inputAudioTokens === undefined ||
      isTokenCount(usage.inputAudioTokens)) &&
    (usage.outputAudioTokens === undefined ||
      isTokenCount(usage.outputAudioTokens)) &&
    usage.cacheReadTokens + usage.cacheWriteTokens <= usage.inputTokens
  );
}

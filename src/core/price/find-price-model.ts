import type { MatchLogic, ModelInfo, Provider } from '@pydantic/genai-prices';
import { MAX_MATCHED_ID_LENGTH } from './regex-match-cost.js';

/** A provider and one of its models, as the engine would have found them. */
export interface FoundPriceModel {
  /** The provider (for the engine: one model, no fallbacks). */
  readonly provider: Provider;
  /** The id to give the engine (lowercased, `litellm` prefix removed). */
  readonly modelId: string;
}

/**
 * Finds `model` in a data set other than genai-prices' own (refreshed
 * data), with the rules of `calcPrice(usage, model, { providerId })` in
 * genai-prices 0.1.8, so a refreshed copy of the bundled data resolves
 * every id exactly as the bundled data does:
 * - the id is lowercased and trimmed; with provider `litellm`, an id
 *   `vendor/model` whose vendor is a provider is looked up there;
 * - a provider id picks the provider whose id equals it, else whose
 *   `provider_match` matches it (none found: unknown, except for
 *   `litellm`); without one, the first provider whose `model_match`
 *   matches the id;
 * - the first model whose `match` matches the id, then the provider's
 *   `fallback_model_providers` (one level), then the same with dates
 *   written `YYYYMMDD` rewritten `YYYY-MM-DD`.
 * Returns a one-model provider, so the engine prices the model found here
 * and never consults its global data. Ids longer than
 * `MAX_MATCHED_ID_LENGTH` (and such provider ids) are not found: the
 * data's rules were checked (`checkPriceData`) for ids up to that length.
 */
export function findPriceModel(
  providers: readonly Provider[],
  providerId: string | undefined,
  model: string,
): FoundPriceModel | undefined {
  let id = model.toLowerCase().trim();
  let wanted = providerId;
  // Rules run on the id (regexes within a cost bound checked for this
  // length, `regexMatchCost`): a longer id or provider is unknown here.
  if (
    id.length > MAX_MATCHED_ID_LENGTH ||
    (wanted?.length ?? 0) > MAX_MATCHED_ID_LENGTH
  ) {
    return undefined;
  }
  if (wanted?.toLowerCase() === 'litellm' && id.includes('/')) {
    const slash = id.indexOf('/');
    const vendor = id.slice(0, slash);
    const rest = id.slice(slash + 1);
    if (vendor && rest && findProvider(providers, vendor, undefined)) {
      wanted = vendor;
      id = rest;
    }
  }
  const provider = findProvider(providers, wanted, id);
  if (provider === undefined) return undefined;
  const found =
    findModel(providers, provider, id) ??
    (withDashedDates(id) === id
      ? undefined
      : findModel(providers, provider, withDashedDates(id)));
  if (found === undefined) return undefined;
  const { fallback_model_providers: _unused, ...rest } = provider;
  return { provider: { ...rest, models: [found] }, modelId: id };
}

function findProvider(
  providers: readonly Provider[],
  providerId: string | undefined,
  modelId: string | undefined,
): Provider | undefined {
  if (providerId) {
    const wanted = providerId.toLowerCase().trim();
    const found =
      providers.find(p => p.id === wanted) ??
      providers.find(
        p => p.provider_match != null && matches(p.provider_match, wanted),
      );
    if (found !== undefined || providerId.toLowerCase() !== 'litellm') {
      return found;
    }
  }
  if (modelId) {
    return providers.find(
      p => p.model_match != null && matches(p.model_match, modelId),
    );
  }
  return undefined;
}

function findModel(
  providers: readonly Provider[],
  provider: Provider,
  id: string,
  withFallbacks = true,
): ModelInfo | undefined {
  const own = provider.models.find(m => matches(m.match, id));
  if (own !== undefined || !withFallbacks) return own;
  for (const fallbackId of provider.fallback_model_providers ?? []) {
    const fallback = providers.find(p => p.id === fallbackId);
    const found = fallback && findModel(providers, fallback, id, false);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** genai-prices' match logic (`equals`, `starts_with`, ..., `or`, `and`). */
function matches(logic: MatchLogic, text: string): boolean {
  const l = logic as Record<string, unknown>;
  const lower = text.toLowerCase();
  if ('or' in l) return (l['or'] as MatchLogic[]).some(m => matches(m, text));
  if ('and' in l)
    return (l['and'] as MatchLogic[]).every(m => matches(m, text));
  if ('equals' in l) return lower === String(l['equals']).toLowerCase();
  if ('starts_with' in l)
    return lower.startsWith(String(l['starts_with']).toLowerCase());
  if ('ends_with' in l)
    return lower.endsWith(String(l['ends_with']).toLowerCase());
  if ('contains' in l)
    return lower.includes(String(l['contains']).toLowerCase());
  if ('regex' in l) return new RegExp(String(l['regex'])).test(text);
  return false;
}

const COMPACT_DATE =
  /(-)(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=-|:|$)/g;

/** `-20250514` becomes `-2025-05-14` (a real date only), as the engine does. */
function withDashedDates(id: string): string {
  return id.replace(COMPACT_DATE, (whole, dash, y, m, d) => {
    const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
    return date.getUTCFullYear() !== Number(y) ||
      date.getUTCMonth() !== Number(m) - 1 ||
      date.getUTCDate() !== Number(d)
      ? whole
      : `${dash}${y}-${m}-${d}`;
  });
}

import type { Provider } from '@pydantic/genai-prices';
import { jsonTextBoundsProblem } from './json-text-bounds.js';
import { matchRuleProblem, type MatchBudget } from './match-rule-problem.js';
import { priceSetProblem } from './price-set-problem.js';

/** Text that is not usable genai-prices data; the message says why. */
export class PriceDataShapeError extends Error {
  override name = 'PriceDataShapeError';
}

/**
 * An id from the data as a warning shows it: quoted (control characters
 * escaped), at most 64 characters, so a source cannot write log lines.
 */
function shown(id: unknown): string {
  const text = JSON.stringify(String(id));
  return text.length > 64 ? `${text.slice(0, 60)}..."` : text;
}

/**
 * Most models in one data file: a new model id is matched against its
 * provider's rules inside `span.end()`, so their number bounds that time
 * (genai-prices' own data: 1,694 models). A 32 MiB file could hold
 * 480,000 models (about 60 ms for each new model id).
 */
export const MAX_PRICE_DATA_MODELS = 20_000;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The one shape check of genai-prices data (the `data.json` it publishes:
 * a list of providers, each with its models and their prices), shared by
 * `prices diff` and the run-time refresh. Returns the data as the engine's
 * providers, or throws `PriceDataShapeError` naming the first problem.
 */
export function checkPriceData(data: unknown): Provider[] {
  const bad = (why: string): PriceDataShapeError =>
    new PriceDataShapeError(`not genai-prices data: ${why}`);
  if (!Array.isArray(data)) throw bad('expected a list of providers');
  const budget: MatchBudget = { regexCost: 0, rules: 0 };
  let modelCount = 0;
  data.forEach((provider: unknown, i) => {
    if (!isObject(provider) || typeof provider['id'] !== 'string')
      throw bad(`provider ${i} has no id`);
    const models = provider['models'];
    if (!Array.isArray(models))
      throw bad(`provider ${shown(provider['id'])} has no models`);
    for (const key of ['provider_match', 'model_match'] as const) {
      if (provider[key] === undefined || provider[key] === null) continue;
      const why = matchRuleProblem(provider[key], 1, budget);
      if (why !== undefined)
        throw bad(`${key} of ${shown(provider['id'])}: ${why}`);
    }
    const fallbacks = provider['fallback_model_providers'];
    if (
      fallbacks !== undefined &&
      fallbacks !== null &&
      !(Array.isArray(fallbacks) && fallbacks.every(f => typeof f === 'string'))
    ) {
      throw bad(
        `fallback_model_providers of ${shown(provider['id'])} is not a list of ids`,
      );
    }
    models.forEach((model: unknown, j) => {
      if (
        !isObject(model) ||
        typeof model['id'] !== 'string' ||
        !isObject(model['match']) ||
        !(isObject(model['prices']) || Array.isArray(model['prices']))
      ) {
        throw bad(
          `model ${j} of ${shown(provider['id'])} needs id, match and prices`,
        );
      }
      const priceWhy = priceSetProblem(model['prices']);
      if (priceWhy !== undefined)
        throw bad(
          `prices of ${shown(provider['id'])}/${shown(model['id'])}: ${priceWhy}`,
        );
      if (++modelCount > MAX_PRICE_DATA_MODELS) {
        throw bad(`more than ${MAX_PRICE_DATA_MODELS} models`);
      }
      const why = matchRuleProblem(model['match'], 1, budget);
      if (why !== undefined)
        throw bad(
          `match of ${shown(provider['id'])}/${shown(model['id'])}: ${why}`,
        );
    });
  });
  return data as Provider[];
}

/**
 * JSON text to providers; throws `PriceDataShapeError` when not usable,
 * text too big a structure (`jsonTextBoundsProblem`) before parsing it.
 */
export function parsePriceData(text: string): Provider[] {
  const tooBig = jsonTextBoundsProblem(text);
  if (tooBig !== undefined) {
    throw new PriceDataShapeError(`not genai-prices data: ${tooBig}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PriceDataShapeError(`not JSON (${(error as Error).message})`);
  }
  return checkPriceData(data);
}

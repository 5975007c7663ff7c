import type { Provider } from '@pydantic/genai-prices';

/** Text that is not usable genai-prices data; the message says why. */
export class PriceDataShapeError extends Error {
  override name = 'PriceDataShapeError';
}

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
  data.forEach((provider: unknown, i) => {
    if (!isObject(provider) || typeof provider['id'] !== 'string')
      throw bad(`provider ${i} has no id`);
    const models = provider['models'];
    if (!Array.isArray(models))
      throw bad(`provider ${provider['id']} has no models`);
    models.forEach((model: unknown, j) => {
      if (
        !isObject(model) ||
        typeof model['id'] !== 'string' ||
        !isObject(model['match']) ||
        !(isObject(model['prices']) || Array.isArray(model['prices']))
      ) {
        throw bad(`model ${j} of ${provider['id']} needs id, match and prices`);
      }
    });
  });
  return data as Provider[];
}

/** JSON text to providers; throws `PriceDataShapeError` when not usable. */
export function parsePriceData(text: string): Provider[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PriceDataShapeError(`not JSON (${(error as Error).message})`);
  }
  return checkPriceData(data);
}

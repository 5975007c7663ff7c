import type { SpanAttributes } from '../span-like.js';
import { jsonBagOf, readPathValue } from './read-attributes.js';

/**
 * A cost some upstream component already put on the span: a gateway's
 * `gen_ai.usage.cost`, OpenInference `llm.cost.total`, Langfuse cost details.
 * A `gen_ai.usage.cost` that this library wrote itself (it then also wrote
 * `gen_ai.cost.source`) is not a provider-reported cost.
 */
export function readReportedCost(
  attributes: SpanAttributes,
): number | undefined {
  // Literal keys (named property reads, cached per site): the semconv.ts
  // names `ATTR_COST_SOURCE`, `ATTR_COST`, `ATTR_LLM_COST_TOTAL`,
  // `ATTR_LANGFUSE_COST_DETAILS`.
  if (attributes['gen_ai.cost.source'] === undefined) {
    const cost = readAmount(attributes['gen_ai.usage.cost']);
    if (cost !== undefined) return cost;
  }
  const openInference = readAmount(attributes['llm.cost.total']);
  if (openInference !== undefined) return openInference;
  const details = attributes['langfuse.observation.cost_details'];
  if (details !== undefined) {
    const bag = jsonBagOf(details);
    return readAmount(
      readPathValue(typeof bag === 'object' ? bag : undefined, ['total']),
    );
  }
  return undefined;
}

/** A plain decimal number, optionally with a fraction and an exponent. */
const DECIMAL_AMOUNT = /^[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$/;

/**
 * An amount in USD: a finite, non-negative number, or a string in plain
 * decimal notation (`"0.0123"`, `"1.5e-5"`; never `"0x10"` or `"Infinity"`).
 * Anything else reads as no reported cost. The pricer caps what it accepts.
 */
function readAmount(value: unknown): number | undefined {
  const amount =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && DECIMAL_AMOUNT.test(value)
        ? Number(value)
        : Number.NaN;
  return Number.isFinite(amount) && amount >= 0 ? amount + 0 : undefined;
}

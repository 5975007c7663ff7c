import type { SpanAttributes } from '../span-like.js';
import {
  ATTR_COST,
  ATTR_COST_SOURCE,
  ATTR_LANGFUSE_COST_DETAILS,
  ATTR_LLM_COST_TOTAL,
} from '../../semconv.js';
import { readCount, readJsonObject, readPath } from './read-attributes.js';

/**
 * A cost some upstream component already put on the span: a gateway's
 * `gen_ai.usage.cost`, OpenInference `llm.cost.total`, Langfuse cost details.
 * A `gen_ai.usage.cost` that this library wrote itself (it then also wrote
 * `gen_ai.cost.source`) is not a provider-reported cost.
 */
export function readReportedCost(
  attributes: SpanAttributes,
): number | undefined {
  if (attributes[ATTR_COST_SOURCE] === undefined) {
    const cost = readCount(attributes, ATTR_COST);
    if (cost !== undefined) return cost;
  }
  const openInference = readCount(attributes, ATTR_LLM_COST_TOTAL);
  if (openInference !== undefined) return openInference;
  if (attributes[ATTR_LANGFUSE_COST_DETAILS] !== undefined) {
    const details = readJsonObject(attributes, ATTR_LANGFUSE_COST_DETAILS);
    return readPath(details, ['total']);
  }
  return undefined;
}

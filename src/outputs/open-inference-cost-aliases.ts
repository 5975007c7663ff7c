import type { Evaluation } from '../core/cost-engine.js';
import { roundUsd } from '../core/price/token-prices.js';
import {
  ATTR_LLM_COST_COMPLETION,
  ATTR_LLM_COST_PROMPT,
  ATTR_LLM_COST_TOTAL,
} from '../semconv.js';

/** Extra attribute sets for backends that read other names. */
export type BackendAlias = 'openinference';

export const BACKEND_ALIASES: readonly BackendAlias[] = ['openinference'];

/**
 * With `aliases: ['openinference']`: the same cost under the OpenInference
 * names Phoenix and Arize read (USD), `llm.cost.total`, and when the cost
 * was split by token class `llm.cost.prompt` (uncached input + cache read +
 * cache write) and `llm.cost.completion` (output, reasoning included).
 * Nothing for unpriced calls: unknown is not zero.
 */
export function openInferenceCostAliases(
  evaluation: Evaluation,
): Record<string, number> {
  if (evaluation.kind !== 'call' || !evaluation.cost.priced) return {};
  const cost = evaluation.cost;
  if (cost.source === 'provider') {
    return { [ATTR_LLM_COST_TOTAL]: cost.totalUsd };
  }
  return {
    [ATTR_LLM_COST_TOTAL]: cost.totalUsd,
    [ATTR_LLM_COST_PROMPT]: roundUsd(
      cost.inputUsd + cost.cacheReadUsd + cost.cacheWriteUsd,
    ),
    [ATTR_LLM_COST_COMPLETION]: cost.outputUsd,
  };
}

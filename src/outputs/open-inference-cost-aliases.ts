import type { Evaluation } from '../core/cost-engine.js';
import { roundUsd } from '../core/price/token-prices.js';
import {
  ATTR_LLM_COST_COMPLETION,
  ATTR_LLM_COST_COMPLETION_OUTPUT,
  ATTR_LLM_COST_PROMPT,
  ATTR_LLM_COST_PROMPT_CACHE_READ,
  ATTR_LLM_COST_PROMPT_CACHE_WRITE,
  ATTR_LLM_COST_PROMPT_INPUT,
  ATTR_LLM_COST_TOTAL,
} from '../semconv.js';

export { BACKEND_ALIASES, type BackendAlias } from './backend-alias.js';

/**
 * With `aliases: ['openinference']`: the same cost under the OpenInference
 * names Arize AX reads (USD; OpenInference `spec/semantic_conventions.md`):
 * - `llm.cost.total`, always;
 * - when the cost was split by token class: `llm.cost.prompt` and its
 *   parts `llm.cost.prompt_details.input` (uncached input, plus any
 *   per-request fee), `.cache_read` and `.cache_write`, which sum to it;
 *   `llm.cost.completion` (output, reasoning included) and, when the call
 *   had no reasoning tokens, `llm.cost.completion_details.output` (equal to
 *   it). With reasoning tokens the completion is not split: the spec's
 *   `output` excludes reasoning, and reasoning may have its own rate.
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
  const aliases: Record<string, number> = {
    [ATTR_LLM_COST_TOTAL]: cost.totalUsd,
    [ATTR_LLM_COST_PROMPT]: roundUsd(
      cost.inputUsd + cost.cacheReadUsd + cost.cacheWriteUsd,
    ),
    [ATTR_LLM_COST_PROMPT_INPUT]: cost.inputUsd,
    [ATTR_LLM_COST_PROMPT_CACHE_READ]: cost.cacheReadUsd,
    [ATTR_LLM_COST_PROMPT_CACHE_WRITE]: cost.cacheWriteUsd,
    [ATTR_LLM_COST_COMPLETION]: cost.outputUsd,
  };
  if ((evaluation.call.usage?.reasoningTokens ?? 0) === 0) {
    aliases[ATTR_LLM_COST_COMPLETION_OUTPUT] = cost.outputUsd;
  }
  return aliases;
}

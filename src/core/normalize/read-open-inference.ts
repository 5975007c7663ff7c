import type { LlmCall } from '../llm-call.js';
import type { SpanLike } from '../span-like.js';
import { buildUsage } from './build-usage.js';
import { normalizeProvider } from './normalize-provider.js';
import { stringValue } from './read-attributes.js';
import { readReportedCost } from './read-reported-cost.js';
import { openInferenceInputExcludesCache } from './reports-uncached-input.js';
import { parseTokenCount } from './token-count.js';

/**
 * Reads OpenInference `llm.*` spans (Arize Phoenix instrumentations). Prompt
 * counts include their details (cache read/write), as Phoenix prices them,
 * unless `openInferenceInputExcludesCache` says the instrumentation copies
 * a provider's uncached count.
 */
export function readOpenInference(span: SpanLike): LlmCall {
  const attributes = span.attributes;
  // Literal keys (named property reads, cached per site; see
  // `firstCountOf`), checked against the key lists they replace by
  // `readers-equivalence.property.test.ts`.
  const kind = attributes['openinference.span.kind'];
  const { usage, issues, invalid } = buildUsage({
    input: parseTokenCount(attributes['llm.token_count.prompt']),
    output: parseTokenCount(attributes['llm.token_count.completion']),
    cacheRead: parseTokenCount(
      attributes['llm.token_count.prompt_details.cache_read'],
    ),
    cacheWrite: parseTokenCount(
      attributes['llm.token_count.prompt_details.cache_write'],
    ),
    reasoning: parseTokenCount(
      attributes['llm.token_count.completion_details.reasoning'],
    ),
    inputAudio: parseTokenCount(
      attributes['llm.token_count.prompt_details.audio'],
    ),
    outputAudio: parseTokenCount(
      attributes['llm.token_count.completion_details.audio'],
    ),
    // Prompt counts include their details, except where an instrumentation
    // copies a provider's uncached count (OpenInference Bedrock).
    inputExcludesCache: openInferenceInputExcludesCache(span.scopeName),
  });
  return {
    emitter: 'openinference',
    provider: normalizeProvider(
      stringValue(attributes['llm.provider']) ??
        stringValue(attributes['llm.system']),
    ),
    model:
      stringValue(attributes['llm.response.model_name']) ??
      stringValue(attributes['llm.model_name']) ??
      stringValue(attributes['embedding.model_name']) ??
      stringValue(attributes['llm.request.model_name']),
    operation:
      typeof kind === 'string' && kind.toUpperCase() === 'EMBEDDING'
        ? 'embeddings'
        : 'chat',
    usage,
    invalidUsage: invalid,
    reportedCostUsd: readReportedCost(attributes),
    responseId: undefined,
    startTimeMillis: span.startTimeMillis,
    issues,
  };
}

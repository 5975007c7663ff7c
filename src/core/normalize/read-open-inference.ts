import type { LlmCall } from '../llm-call.js';
import type { SpanLike } from '../span-like.js';
import {
  ATTR_EMBEDDING_MODEL_NAME,
  ATTR_LLM_MODEL_NAME,
  ATTR_LLM_PROVIDER,
  ATTR_LLM_SYSTEM,
  ATTR_OPENINFERENCE_SPAN_KIND,
} from '../../semconv.js';
import { buildUsage } from './build-usage.js';
import { normalizeProvider } from './normalize-provider.js';
import { readCount, readFirstString } from './read-attributes.js';
import { readReportedCost } from './read-reported-cost.js';
import { openInferenceInputExcludesCache } from './reports-uncached-input.js';

const MODEL_KEYS = [
  'llm.response.model_name',
  ATTR_LLM_MODEL_NAME,
  ATTR_EMBEDDING_MODEL_NAME,
  'llm.request.model_name',
];

/**
 * Reads OpenInference `llm.*` spans (Arize Phoenix instrumentations). Prompt
 * counts include their details (cache read/write), as Phoenix prices them,
 * unless `openInferenceInputExcludesCache` says the instrumentation copies
 * a provider's uncached count.
 */
export function readOpenInference(span: SpanLike): LlmCall {
  const attributes = span.attributes;
  const kind = attributes[ATTR_OPENINFERENCE_SPAN_KIND];
  const { usage, issues, invalid } = buildUsage({
    input: readCount(attributes, 'llm.token_count.prompt'),
    output: readCount(attributes, 'llm.token_count.completion'),
    cacheRead: readCount(
      attributes,
      'llm.token_count.prompt_details.cache_read',
    ),
    cacheWrite: readCount(
      attributes,
      'llm.token_count.prompt_details.cache_write',
    ),
    reasoning: readCount(
      attributes,
      'llm.token_count.completion_details.reasoning',
    ),
    inputAudio: readCount(attributes, 'llm.token_count.prompt_details.audio'),
    outputAudio: readCount(
      attributes,
      'llm.token_count.completion_details.audio',
    ),
    // Prompt counts include their details, except where an instrumentation
    // copies a provider's uncached count (OpenInference Bedrock).
    inputExcludesCache: openInferenceInputExcludesCache(span.scopeName),
  });
  return {
    emitter: 'openinference',
    provider: normalizeProvider(
      readFirstString(attributes, [ATTR_LLM_PROVIDER, ATTR_LLM_SYSTEM]),
    ),
    model: readFirstString(attributes, MODEL_KEYS),
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

import type { LlmCall } from '../llm-call.js';
import type { SpanLike } from '../span-like.js';
import {
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_LANGFUSE_MODEL,
  ATTR_LANGFUSE_OBSERVATION_TYPE,
  ATTR_LANGFUSE_USAGE_DETAILS,
} from '../../semconv.js';
import { buildUsage } from './build-usage.js';
import {
  readFirstString,
  readJsonObject,
  readPath,
} from './read-attributes.js';
import { readGenAi } from './read-gen-ai.js';

function first(
  details: Record<string, unknown>,
  keys: readonly string[],
): number | undefined {
  for (const key of keys) {
    const value = readPath(details, [key]);
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * Reads Langfuse SDK observations (`generation`, `embedding`). Langfuse usage
 * details follow Langfuse's convention, where `input` is the uncached part;
 * without usage details the span's `gen_ai.*` keys are read.
 */
export function readLangfuse(span: SpanLike): LlmCall {
  const attributes = span.attributes;
  const base = readGenAi(span);
  const model =
    readFirstString(attributes, [
      ATTR_LANGFUSE_MODEL,
      ATTR_GEN_AI_RESPONSE_MODEL,
      ATTR_GEN_AI_REQUEST_MODEL,
    ]) ?? base.model;
  const operation =
    attributes[ATTR_LANGFUSE_OBSERVATION_TYPE] === 'embedding'
      ? 'embeddings'
      : base.operation;
  const details = readJsonObject(attributes, ATTR_LANGFUSE_USAGE_DETAILS);
  if (details === undefined) {
    return { ...base, emitter: 'langfuse', model, operation };
  }
  const { usage, issues } = buildUsage({
    input: first(details, ['input', 'prompt_tokens', 'input_tokens']),
    output: first(details, ['output', 'completion_tokens', 'output_tokens']),
    cacheRead: first(details, [
      'input_cached_tokens',
      'cache_read_input_tokens',
      'input_cache_read',
    ]),
    cacheWrite: first(details, [
      'input_cache_creation',
      'cache_creation_input_tokens',
      'input_cache_write',
    ]),
    reasoning: first(details, ['output_reasoning_tokens', 'output_reasoning']),
    inputExcludesCache: true,
  });
  return { ...base, emitter: 'langfuse', model, operation, usage, issues };
}

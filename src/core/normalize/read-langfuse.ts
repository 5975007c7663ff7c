import type { LlmCall, UsageKind } from '../llm-call.js';
import type { SpanLike } from '../span-like.js';
import {
  ATTR_LANGFUSE_OBSERVATION_TYPE,
  ATTR_LANGFUSE_USAGE_DETAILS,
} from '../../semconv.js';
import { buildUsage } from './build-usage.js';
import { readJsonBag, stringValue } from './read-attributes.js';
import { readGenAi } from './read-gen-ai.js';
import {
  eitherCount,
  parseTokenCount,
  type CountReading,
} from './token-count.js';

/** `firstCount` over the details' own keys, in order of preference. */
function first(
  details: Record<string, unknown>,
  keys: readonly string[],
): CountReading {
  let reading: CountReading;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    reading = eitherCount(
      reading,
      Object.hasOwn(details, key) ? parseTokenCount(details[key]) : undefined,
    );
  }
  return reading;
}

/**
 * Reads Langfuse SDK observations (`generation`, `embedding`). Langfuse usage
 * details follow Langfuse's convention, where `input` is the uncached part;
 * without usage details the span's `gen_ai.*` keys are read.
 */
export function readLangfuse(span: SpanLike): LlmCall {
  const attributes = span.attributes;
  const base = readGenAi(span);
  // Literal keys: `ATTR_LANGFUSE_MODEL`, `ATTR_GEN_AI_RESPONSE_MODEL`,
  // `ATTR_GEN_AI_REQUEST_MODEL`.
  const model =
    stringValue(attributes['langfuse.observation.model.name']) ??
    stringValue(attributes['gen_ai.response.model']) ??
    stringValue(attributes['gen_ai.request.model']) ??
    base.model;
  const operation =
    attributes[ATTR_LANGFUSE_OBSERVATION_TYPE] === 'embedding'
      ? 'embeddings'
      : base.operation;
  const rawDetails = attributes[ATTR_LANGFUSE_USAGE_DETAILS];
  if (rawDetails === undefined) {
    return { ...base, emitter: 'langfuse', model, operation };
  }
  const details = readJsonBag(attributes, ATTR_LANGFUSE_USAGE_DETAILS);
  if (typeof details !== 'object') {
    // Usage details that are not a JSON object (an array, a number, not
    // JSON, too long): present but invalid.
    return invalidUsage(base, model, operation, ['input', 'output']);
  }
  const { usage, issues, invalid } = buildUsage({
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
  if (invalid.length > 0 || (base.invalidUsage?.length ?? 0) > 0) {
    // Strict like every reader: garbage under any usage key the reader
    // knows (the details or the gen_ai.* fallback) leaves the call unpriced.
    return invalidUsage(base, model, operation, [
      ...new Set([...invalid, ...(base.invalidUsage ?? [])]),
    ]);
  }
  return { ...base, emitter: 'langfuse', model, operation, usage, issues };
}

function invalidUsage(
  base: LlmCall,
  model: string | undefined,
  operation: string,
  kinds: readonly UsageKind[],
): LlmCall {
  return {
    ...base,
    emitter: 'langfuse',
    model,
    operation,
    usage: undefined,
    invalidUsage: kinds,
    issues: ['invalid_usage'],
  };
}

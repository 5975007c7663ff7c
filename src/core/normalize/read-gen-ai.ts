import type { LlmCall } from '../llm-call.js';
import type { SpanLike } from '../span-like.js';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_SYSTEM,
} from '../../semconv.js';
import { buildUsage } from './build-usage.js';
import { genAiInputExcludesCache } from './reports-uncached-input.js';
import { genAiOutputExcludesReasoning } from './reports-output-without-reasoning.js';
import { normalizeProvider } from './normalize-provider.js';
import {
  readFirstCount,
  readFirstString,
  readString,
} from './read-attributes.js';
import { readReportedCost } from './read-reported-cost.js';

const INPUT_KEYS = ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens'];
const OUTPUT_KEYS = [
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.completion_tokens',
];
const CACHE_READ_KEYS = [
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.cache_read_input_tokens',
  'gen_ai.usage.input_tokens.cached',
];
const CACHE_WRITE_KEYS = [
  'gen_ai.usage.cache_creation.input_tokens',
  // The Anthropic SDK's own spans (@anthropic-ai/sdk >= 1.14).
  'gen_ai.usage.cache_write.input_tokens',
  'gen_ai.usage.cache_creation_input_tokens',
  'gen_ai.usage.input_tokens.cache_write',
];
const REASONING_KEYS = [
  'gen_ai.usage.reasoning.output_tokens',
  'gen_ai.usage.reasoning_tokens',
];
const MODEL_KEYS = [ATTR_GEN_AI_RESPONSE_MODEL, ATTR_GEN_AI_REQUEST_MODEL];
const PROVIDER_KEYS = [ATTR_GEN_AI_PROVIDER_NAME, ATTR_GEN_AI_SYSTEM];

/**
 * Reads OTel GenAI spans, old and new key names: the contrib OpenAI
 * instrumentation, AI SDK v7 `OpenTelemetry`, Traceloop/OpenLLMetry, the
 * Anthropic SDK's own spans (`anthropic.messages.create`), Traceloop's
 * Google Gen AI spans (`generate_content <model>`).
 */
export function readGenAi(span: SpanLike): LlmCall {
  const attributes = span.attributes;
  const provider = normalizeProvider(
    readFirstString(attributes, PROVIDER_KEYS),
  );
  const traceloop = span.scopeName.startsWith('@traceloop/');
  const { usage, issues, invalid } = buildUsage({
    input: readFirstCount(attributes, INPUT_KEYS),
    output: readFirstCount(attributes, OUTPUT_KEYS),
    cacheRead: readFirstCount(attributes, CACHE_READ_KEYS),
    cacheWrite: readFirstCount(attributes, CACHE_WRITE_KEYS),
    reasoning: readFirstCount(attributes, REASONING_KEYS),
    // By emitter: Traceloop copies Anthropic's uncached `input_tokens`, the
    // Anthropic SDK writes the total.
    inputExcludesCache: genAiInputExcludesCache(span.scopeName, provider),
    // Traceloop's Google Gen AI instrumentation writes Gemini's thinking
    // tokens beside the output, not in it.
    outputExcludesReasoning: genAiOutputExcludesReasoning(span.scopeName),
  });
  return {
    emitter: traceloop ? 'traceloop' : 'gen_ai',
    provider,
    model: readFirstString(attributes, MODEL_KEYS),
    operation: readString(attributes, ATTR_GEN_AI_OPERATION_NAME) ?? 'chat',
    usage,
    invalidUsage: invalid,
    reportedCostUsd: readReportedCost(attributes),
    responseId: readString(attributes, ATTR_GEN_AI_RESPONSE_ID),
    startTimeMillis: span.startTimeMillis,
    issues,
  };
}

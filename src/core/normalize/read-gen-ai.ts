import type { LlmCall } from '../llm-call.js';
import type { SpanLike } from '../span-like.js';
import { buildUsage } from './build-usage.js';
import { genAiInputExcludesCache } from './reports-uncached-input.js';
import { genAiOutputExcludesReasoning } from './reports-output-without-reasoning.js';
import { normalizeProvider } from './normalize-provider.js';
import { firstCountOf, stringValue } from './read-attributes.js';
import { readReportedCost } from './read-reported-cost.js';

/**
 * Reads OTel GenAI spans, old and new key names: the contrib OpenAI
 * instrumentation, AI SDK v7 `OpenTelemetry`, Traceloop/OpenLLMetry, the
 * Anthropic SDK's own spans (`anthropic.messages.create`), Traceloop's
 * Google Gen AI spans (`generate_content <model>`).
 */
export function readGenAi(span: SpanLike): LlmCall {
  const attributes = span.attributes;
  const provider = normalizeProvider(
    stringValue(attributes['gen_ai.provider.name']) ??
      stringValue(attributes['gen_ai.system']),
  );
  const scopeName = span.scopeName;
  const traceloop = scopeName.startsWith('@traceloop/');
  // The keys in order of preference, as literals (named property reads,
  // cached per site; see `firstCountOf`): the `semconv.ts` names.
  const { usage, issues, invalid } = buildUsage({
    input: firstCountOf(
      attributes['gen_ai.usage.input_tokens'],
      attributes['gen_ai.usage.prompt_tokens'],
    ),
    output: firstCountOf(
      attributes['gen_ai.usage.output_tokens'],
      attributes['gen_ai.usage.completion_tokens'],
    ),
    cacheRead: firstCountOf(
      attributes['gen_ai.usage.cache_read.input_tokens'],
      attributes['gen_ai.usage.cache_read_input_tokens'],
      attributes['gen_ai.usage.input_tokens.cached'],
    ),
    cacheWrite: firstCountOf(
      attributes['gen_ai.usage.cache_creation.input_tokens'],
      // The Anthropic SDK's own spans (@anthropic-ai/sdk >= 1.14).
      attributes['gen_ai.usage.cache_write.input_tokens'],
      attributes['gen_ai.usage.cache_creation_input_tokens'],
      attributes['gen_ai.usage.input_tokens.cache_write'],
    ),
    reasoning: firstCountOf(
      attributes['gen_ai.usage.reasoning.output_tokens'],
      attributes['gen_ai.usage.reasoning_tokens'],
    ),
    // By emitter: Traceloop copies Anthropic's uncached `input_tokens`, the
    // Anthropic SDK writes the total.
    inputExcludesCache: genAiInputExcludesCache(scopeName, provider),
    // Traceloop's Google Gen AI instrumentation writes Gemini's thinking
    // tokens beside the output, not in it.
    outputExcludesReasoning: genAiOutputExcludesReasoning(scopeName),
  });
  return {
    emitter: traceloop ? 'traceloop' : 'gen_ai',
    provider,
    model:
      stringValue(attributes['gen_ai.response.model']) ??
      stringValue(attributes['gen_ai.request.model']),
    operation: stringValue(attributes['gen_ai.operation.name']) ?? 'chat',
    usage,
    invalidUsage: invalid,
    reportedCostUsd: readReportedCost(attributes),
    responseId: stringValue(attributes['gen_ai.response.id']),
    startTimeMillis: span.startTimeMillis,
    issues,
  };
}

/** GenAI providers whose own API reports input tokens without the cache. */
const UNCACHED_INPUT_PROVIDERS = new Set(['anthropic', 'aws.bedrock']);
/** Raw provider ids that carry Anthropic's usage shape wherever served. */
const ANTHROPIC_SEGMENT = /(?:^|[.-])anthropic(?:[.-]|$)/i;
/**
 * The Anthropic SDK's own tracer (`@anthropic-ai/sdk` >= 1.14,
 * `src/internal/tracing.ts`); another platform's client appends
 * `.<platform>` to it.
 */
const ANTHROPIC_SDK_SCOPE = 'com.anthropic.sdk.typescript';

/**
 * Whether a provider's API reports `input_tokens` without cache reads and
 * writes (Anthropic's convention, kept by Bedrock and by Anthropic models on
 * Vertex: `vertex.anthropic.messages`). Emitters that pass the provider's
 * number through unchanged inherit it.
 */
export function reportsUncachedInput(
  provider: string | undefined,
  rawProvider?: string,
): boolean {
  return (
    (provider !== undefined && UNCACHED_INPUT_PROVIDERS.has(provider)) ||
    (rawProvider !== undefined && ANTHROPIC_SEGMENT.test(rawProvider))
  );
}

/**
 * Whether a GenAI span's `gen_ai.usage.input_tokens` leaves the cache out
 * (`true`), includes it (`false`), or is not known (`undefined`: the counts
 * decide, see `buildUsage`), by the emitter that wrote it (its scope):
 * - Traceloop/OpenLLMetry (`@traceloop/*`) copies the provider's own number,
 *   so it leaves the cache out where the provider does (Anthropic, Bedrock),
 *   and keeps it in where the provider does: its Google Gen AI
 *   instrumentation writes Gemini's `promptTokenCount`, which includes
 *   `cachedContentTokenCount` (left to the counts, which keep it).
 * - The Anthropic SDK's own spans (scope `com.anthropic.sdk.typescript`)
 *   write the TOTAL: `input_tokens + cache_read_input_tokens +
 *   cache_creation_input_tokens` (`@anthropic-ai/sdk` 1.14,
 *   `src/lib/internal/tracing/response.ts`, `INPUT_TOKEN_COUNTS`), with the
 *   parts under `gen_ai.usage.cache_read.input_tokens` and
 *   `gen_ai.usage.cache_write.input_tokens`, although Anthropic's API itself
 *   reports `input_tokens` without the cache.
 * - Everyone else (contrib OpenAI, AI SDK v7, OTel GenAI semconv) follows the
 *   semconv, where input includes the cache; left to the counts.
 */
export function genAiInputExcludesCache(
  scopeName: string,
  provider: string | undefined,
): boolean | undefined {
  if (scopeName.startsWith('@traceloop/')) {
    return reportsUncachedInput(provider) ? true : undefined;
  }
  if (
    scopeName === ANTHROPIC_SDK_SCOPE ||
    scopeName.startsWith(`${ANTHROPIC_SDK_SCOPE}.`)
  ) {
    return false;
  }
  return undefined;
}

/** OpenInference instrumentations that copy the provider's own input count. */
const OPENINFERENCE_UNCACHED_INPUT_SCOPES = new Set([
  '@arizeai/openinference-instrumentation-bedrock',
]);

/**
 * Whether an OpenInference span's `llm.token_count.prompt` leaves the cache
 * out. OpenInference's convention (and Phoenix's pricing) is a prompt count
 * that includes its details (cache read and write), which OpenInference
 * Anthropic 0.2.8 follows (`getAnthropicUsageAttributes`: `input_tokens +
 * cache_creation_input_tokens + cache_read_input_tokens`). OpenInference
 * Bedrock (0.5.1) does not: it copies Bedrock's `inputTokens` (Converse) and
 * the model's `input_tokens` (InvokeModel), which exclude the cache, and
 * writes the cache counts beside them
 * (`invoke-model-response-attributes.js`, `converse-response-attributes.js`;
 * recorded in `test/fixtures/emitters/bedrock/openinference.json`).
 */
export function openInferenceInputExcludesCache(scopeName: string): boolean {
  return OPENINFERENCE_UNCACHED_INPUT_SCOPES.has(scopeName);
}

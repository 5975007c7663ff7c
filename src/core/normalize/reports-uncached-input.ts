/** GenAI providers whose own API reports input tokens without the cache. */
const UNCACHED_INPUT_PROVIDERS = new Set(['anthropic', 'aws.bedrock']);
/** Raw provider ids that carry Anthropic's usage shape wherever served. */
const ANTHROPIC_SEGMENT = /(?:^|[.-])anthropic(?:[.-]|$)/i;

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

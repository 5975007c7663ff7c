/** GenAI provider names mapped to `@pydantic/genai-prices` provider ids. */
const PROVIDER_IDS: Readonly<Record<string, string>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  'aws.bedrock': 'aws',
  'azure.ai.openai': 'azure',
  'azure.ai.inference': 'azure',
  'gcp.vertex_ai': 'google',
  'gcp.gemini': 'google',
  'gcp.gen_ai': 'google',
  mistral_ai: 'mistral',
  deepseek: 'deepseek',
  x_ai: 'x-ai',
  groq: 'groq',
  cohere: 'cohere',
  perplexity: 'perplexity',
  openrouter: 'openrouter',
  together: 'together',
  fireworks: 'fireworks',
  cerebras: 'cerebras',
};

/**
 * The genai-prices provider id for a GenAI provider name, or `undefined`
 * when the table has no such provider (the model is then matched alone).
 */
export function priceProviderId(
  provider: string | undefined,
): string | undefined {
  return provider !== undefined && Object.hasOwn(PROVIDER_IDS, provider)
    ? PROVIDER_IDS[provider]
    : undefined;
}

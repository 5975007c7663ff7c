/**
 * Maps whatever an emitter wrote as the provider (`gen_ai.provider.name`,
 * deprecated `gen_ai.system`, raw AI SDK ids such as `openai.chat`,
 * OpenInference `llm.provider`) to the GenAI provider names
 * (`openai`, `anthropic`, `aws.bedrock`, `azure.ai.openai`, ...).
 */
const EXACT: Readonly<Record<string, string>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  'aws.bedrock': 'aws.bedrock',
  aws: 'aws.bedrock',
  bedrock: 'aws.bedrock',
  'amazon-bedrock': 'aws.bedrock',
  amazon: 'aws.bedrock',
  'azure.ai.openai': 'azure.ai.openai',
  'az.ai.openai': 'azure.ai.openai',
  'azure-openai': 'azure.ai.openai',
  azure: 'azure.ai.openai',
  'azure.ai.inference': 'azure.ai.inference',
  'az.ai.inference': 'azure.ai.inference',
  'gcp.vertex_ai': 'gcp.vertex_ai',
  vertex_ai: 'gcp.vertex_ai',
  vertexai: 'gcp.vertex_ai',
  'google-vertex': 'gcp.vertex_ai',
  'google.vertex': 'gcp.vertex_ai',
  vertex: 'gcp.vertex_ai',
  'gcp.gemini': 'gcp.gemini',
  gemini: 'gcp.gemini',
  'google.generative-ai': 'gcp.gemini',
  google: 'gcp.gemini',
  'gcp.gen_ai': 'gcp.gen_ai',
  mistral_ai: 'mistral_ai',
  mistral: 'mistral_ai',
  mistralai: 'mistral_ai',
  x_ai: 'x_ai',
  xai: 'x_ai',
  deepseek: 'deepseek',
  groq: 'groq',
  cohere: 'cohere',
  perplexity: 'perplexity',
  openrouter: 'openrouter',
  together: 'together',
  'together.ai': 'together',
  togetherai: 'together',
  fireworks: 'fireworks',
  cerebras: 'cerebras',
  'ibm.watsonx.ai': 'ibm.watsonx.ai',
};

const cache = new Map<string, string>();
const CACHE_LIMIT = 512;

export function normalizeProvider(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const cached = cache.get(raw);
  if (cached !== undefined) return cached;
  const normalized = resolve(raw.trim().toLowerCase());
  if (cache.size < CACHE_LIMIT) cache.set(raw, normalized);
  return normalized;
}

/** The table's own entry only: `constructor` or `__proto__` are not providers. */
function exactName(id: string): string | undefined {
  return Object.hasOwn(EXACT, id) ? EXACT[id] : undefined;
}

function resolve(id: string): string {
  const exact = exactName(id);
  if (exact !== undefined) return exact;
  // AI SDK ids look like `openai.chat`, `google.vertex.anthropic.messages`,
  // `azure-openai.responses`: try ever shorter dotted prefixes.
  let candidate = id;
  for (let dot = candidate.lastIndexOf('.'); dot > 0;) {
    candidate = candidate.slice(0, dot);
    const match = exactName(candidate);
    if (match !== undefined) return match;
    dot = candidate.lastIndexOf('.');
  }
  const dash = id.indexOf('-');
  if (dash > 0) {
    const match = exactName(id.slice(0, dash));
    if (match !== undefined) return match;
  }
  return id;
}

/** Every provider name `normalizeProvider` maps to (for bounded labels). */
export const KNOWN_PROVIDER_NAMES: readonly string[] = Object.freeze(
  [...new Set(Object.values(EXACT))].sort(),
);

/** Gateway and SDK prefixes that are not part of the provider's model id. */
const GATEWAY_PREFIX =
  /^(?:openai|azure|azure_ai|anthropic|models|google|gemini|vertex_ai|vertex|bedrock|aws|mistral|mistralai|deepseek|xai|groq|cohere)\//i;
/** LiteLLM-style `bedrock/us-east-1/...` region segment. */
const REGION_SEGMENT = /^[a-z]{2}(?:-gov)?-[a-z]+-\d\//i;
/** Bedrock ARNs: `arn:aws:bedrock:region:acct:inference-profile/<id>`. */
const BEDROCK_ARN =
  /^arn:aws[\w-]*:bedrock:[^:]*:[^:]*:(?:inference-profile|foundation-model|application-inference-profile)\/(.+)$/i;

/**
 * Reduces what a span reports as the model to the id a price table knows:
 * strips gateway prefixes (`openai/gpt-4o`, `models/gemini-2.5-pro`), LiteLLM
 * region segments and Bedrock ARNs. Bedrock geo prefixes (`us.`, `eu.`,
 * `global.`) are kept: they change the price.
 */
export function cleanModelId(model: string): string {
  let id = model.trim();
  const arn = BEDROCK_ARN.exec(id);
  if (arn?.[1] !== undefined) id = arn[1];
  for (let i = 0; i < 3; i++) {
    const stripped = id.replace(GATEWAY_PREFIX, '').replace(REGION_SEGMENT, '');
    if (stripped === id) break;
    id = stripped;
  }
  return id;
}

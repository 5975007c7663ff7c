/**
 * Bedrock model ids carry their vendor (`amazon.nova-lite-v1:0`,
 * `anthropic.claude-3-5-haiku-20241022-v1:0`), optionally behind a geo
 * prefix (`us.`, `global.`). Some instrumentations drop the vendor
 * (OpenInference Bedrock 0.5 and Traceloop Bedrock 0.27 write
 * `nova-lite-v1:0`), which no price table knows. The vendor is implied by
 * the model family, so it is put back; ids with a vendor are left alone.
 */
const FAMILY_VENDORS: readonly (readonly [RegExp, string])[] = [
  [/^(?:nova|titan)-/, 'amazon'],
  [/^claude-/, 'anthropic'],
  [/^llama/, 'meta'],
  [/^(?:mistral|mixtral|pixtral|ministral|magistral|devstral)-/, 'mistral'],
  [/^(?:command|embed|rerank)-/, 'cohere'],
  [/^(?:jamba|j2)-/, 'ai21'],
  [/^(?:deepseek)-/, 'deepseek'],
];

/** A vendor segment: letters and digits, no hyphen (`amazon.`, `ai21.`). */
const VENDOR_SEGMENT = /^[a-z0-9]+\./;

/** Segments before the model name that are not a vendor. */
const GEO_PREFIX = /^(us|eu|apac|jp|au|ca|us-gov|global)\./;

/**
 * The Bedrock id with its vendor put back (`nova-lite-v1:0` ->
 * `amazon.nova-lite-v1:0`, `us.claude-...` -> `us.anthropic.claude-...`),
 * or `undefined` when the id already has one or the family is unknown.
 */
export function bedrockModelIdWithVendor(model: string): string | undefined {
  const lower = model.toLowerCase();
  const geo = GEO_PREFIX.exec(lower)?.[0] ?? '';
  const rest = lower.slice(geo.length);
  if (VENDOR_SEGMENT.test(rest)) return undefined; // already `vendor.model`
  for (const [family, vendor] of FAMILY_VENDORS) {
    if (family.test(rest)) return `${geo}${vendor}.${rest}`;
  }
  return undefined;
}

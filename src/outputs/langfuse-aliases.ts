import type { Evaluation } from '../core/cost-engine.js';
import type { IdentityPolicy } from '../core/identity/identity-policy.js';
import type { ScrubBudget } from '../core/identity/scrub-budget.js';
import { scrubIdentityAttributes } from '../core/identity/scrub-identity-attributes.js';
import type { AttributeValue, SpanAttributes } from '../core/span-like.js';
import {
  ATTR_LANGFUSE_COST_DETAILS,
  ATTR_LANGFUSE_OBSERVATION_METADATA,
  ATTR_LANGFUSE_TRACE_TAGS,
} from '../semconv.js';

type CallEvaluation = Extract<Evaluation, { kind: 'call' }>;

/**
 * The attributes Langfuse reads trace tags from, in its order (the first
 * one present wins: `extractTags` in langfuse/langfuse
 * `packages/shared/src/server/otel/OtelIngestionProcessor.ts`).
 */
const LANGFUSE_TAG_KEYS = [
  ATTR_LANGFUSE_TRACE_TAGS,
  'langfuse.tags',
  `${ATTR_LANGFUSE_OBSERVATION_METADATA}.langfuse_tags`,
  'langfuse.trace.metadata.langfuse_tags',
  'ai.telemetry.metadata.tags',
  'tag.tags',
] as const;

/** Identity tag → Langfuse tag prefix and observation metadata key. */
const SHOWN: readonly (readonly [
  'tenantId' | 'plan' | 'feature',
  string,
  string,
])[] = [
  ['tenantId', 'tenant', 'tenant_id'],
  ['plan', 'plan', 'plan'],
  ['feature', 'feature', 'feature'],
];

/**
 * With `aliases: ['langfuse']`, on an evaluated LLM call:
 * - priced: `langfuse.observation.cost_details`, a JSON object in USD under
 *   Langfuse's usage keys (`input` uncached input plus any per-request fee,
 *   `output` reasoning included, `input_cached_tokens`,
 *   `input_cache_creation`) and `total`, the parts summing to it; a
 *   provider-reported cost is `{"total": …}` only;
 * - tenant, plan and feature (already privacy-checked) as trace tags
 *   `tenant:<v>`, `plan:<v>`, `feature:<v>`, added to the tags Langfuse
 *   would otherwise read from the span (so they are not hidden), and as
 *   observation metadata `tenant_id`, `plan`, `feature` (kept on
 *   Langfuse-SDK spans, whose other attributes Langfuse drops).
 * `scrubbed` holds the privacy rewrites already made on this span; the
 * merged tag list goes through the same rules.
 */
export function langfuseAliases(
  evaluation: CallEvaluation,
  attributes: SpanAttributes,
  scrubbed: Readonly<Record<string, unknown>> | undefined,
  policy: IdentityPolicy,
  budget?: ScrubBudget | undefined,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const cost = evaluation.cost;
  if (cost.priced) {
    out[ATTR_LANGFUSE_COST_DETAILS] = JSON.stringify(
      cost.source === 'provider'
        ? { total: cost.totalUsd }
        : {
            input: cost.inputUsd,
            output: cost.outputUsd,
            input_cached_tokens: cost.cacheReadUsd,
            input_cache_creation: cost.cacheWriteUsd,
            total: cost.totalUsd,
          },
    );
  }
  const ours: string[] = [];
  for (const [tag, prefix, metadataKey] of SHOWN) {
    const value = evaluation.identity[tag];
    if (value === undefined) continue;
    ours.push(`${prefix}:${value}`);
    out[`${ATTR_LANGFUSE_OBSERVATION_METADATA}.${metadataKey}`] = value;
  }
  if (ours.length === 0) {
    // Only the privacy rewrite of the span's own tags, if any: as a set.
    const rewritten = scrubbed?.[ATTR_LANGFUSE_TRACE_TAGS];
    if (Array.isArray(rewritten)) {
      out[ATTR_LANGFUSE_TRACE_TAGS] = uniqueTags(rewritten);
    }
    return out;
  }
  const merged = uniqueTags([...existingTags(attributes, scrubbed), ...ours]);
  const protectedTags = scrubIdentityAttributes(
    { [ATTR_LANGFUSE_TRACE_TAGS]: merged },
    policy,
    budget,
  )?.[ATTR_LANGFUSE_TRACE_TAGS];
  out[ATTR_LANGFUSE_TRACE_TAGS] = Array.isArray(protectedTags)
    ? uniqueTags(protectedTags)
    : merged;
  return out;
}

/**
 * Langfuse keeps trace tags as a set: the tags we write are unique, also
 * after the privacy rewrite (two addresses both become `redacted-email`).
 */
function uniqueTags(tags: readonly unknown[]): string[] {
  return [...new Set(tags.map(tag => String(tag)))];
}

/** The tags Langfuse would read from the span, after our privacy rewrites. */
function existingTags(
  attributes: SpanAttributes,
  scrubbed: Readonly<Record<string, unknown>> | undefined,
): string[] {
  for (const key of LANGFUSE_TAG_KEYS) {
    const value = (scrubbed?.[key] ?? attributes[key]) as
      AttributeValue | undefined;
    // Langfuse chains the keys with `||`: an empty list still wins.
    if (!value) continue;
    if (Array.isArray(value)) return value.map(element => String(element));
    return tagsFromString(String(value));
  }
  return [];
}

/** Langfuse's reading of a string: a JSON array, comma-separated, or one tag. */
function tagsFromString(value: string): string[] {
  if (value.trim().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed)) return parsed.map(tag => String(tag));
    } catch {
      // Not JSON: read as below, as Langfuse does.
    }
  }
  if (value.includes(',')) return value.split(',').map(tag => tag.trim());
  return [value];
}

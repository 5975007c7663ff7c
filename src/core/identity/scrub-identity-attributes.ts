import type { AttributeValue, SpanAttributes } from '../span-like.js';
import type { IdentityPolicy } from './identity-policy.js';
import {
  identityKeysOf,
  identitySourceOf,
  type IdentitySource,
} from './read-span-identity.js';
import { MAX_REWRITTEN_VALUES } from './parse-json-bag.js';
import {
  BUDGET_SPENT_VALUE,
  REQUEST_BUDGET,
  ScrubBudget,
} from './scrub-budget.js';
import { scrubJsonBag } from './scrub-json-bag.js';
import { tagValue } from './tag-key.js';

/** A rewritten identity attribute: a scalar, or a list written as strings. */
export type ScrubbedAttributeValue = string | number | boolean | string[];

/**
 * The rewrites privacy requires on a span's identity source attributes (the
 * keys `identitySourceOf` knows: `user.id`, `ai.telemetry.metadata.*`,
 * `langfuse.user.id`, `ai.settings.context.*`, OpenInference `metadata`
 * JSON, `langfuse.trace.tags`, ...), with `policy.protect` deciding each
 * value: a pseudonymized tag or an e-mail address is replaced by its
 * pseudonym or `redacted-email`.
 * - A scalar is one value; an array is one value per element (a rewritten
 *   array is written as strings, an empty element as `''`; an array over
 *   `MAX_REWRITTEN_VALUES` elements becomes
 *   `['otel.genai.cost.redacted:too_many_values']`).
 * - A JSON bag is rewritten at any depth, or replaced whole when it cannot
 *   be parsed safely (`scrubJsonBag`).
 * - The work is bounded by `budget` (pseudonyms computed, JSON characters
 *   parsed): the gateway passes one per request; without one, this call
 *   (one span) gets its own `DEFAULT_SCRUB_BUDGET`. Past it, a value that
 *   needs a pseudonym is replaced by `BUDGET_SPENT_VALUE`, a list holding
 *   one by `['otel.genai.cost.redacted:request_budget']`, a JSON bag by
 *   `{"otel.genai.cost.redacted":"request_budget"}`.
 * - With `policy.rewritesAllSources` (the gateway), every identity source
 *   attribute present is written back, changed or not, so the bytes
 *   forwarded are exactly the value the rules were applied to, whatever
 *   duplicate keys or fields the received encoding had.
 * Returns undefined when nothing must change. Other attributes (prompts,
 * messages) are not inspected.
 */
export function scrubIdentityAttributes(
  attributes: SpanAttributes,
  policy: IdentityPolicy,
  budget?: ScrubBudget | undefined,
): Record<string, ScrubbedAttributeValue> | undefined {
  if (!policy.rewritesSources) return undefined;
  let replacements: Record<string, ScrubbedAttributeValue> | undefined;
  const keys = identityKeysOf(attributes);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const source = identitySourceOf(key) as IdentitySource;
    const value = attributes[key];
    if (value === undefined || value === null) continue;
    // This span's own budget, made only once a value that can spend it is
    // met: a pseudonym, a list or a JSON bag (an e-mail redacted without a
    // secret spends nothing).
    if (
      budget === undefined &&
      (policy.pseudonymizes || source.kind === 'json' || Array.isArray(value))
    ) {
      budget = new ScrubBudget();
    }
    const replacement =
      scrubValue(source, value, policy, budget) ??
      (policy.rewritesAllSources ? asWritten(value) : undefined);
    if (replacement !== undefined) {
      replacements ??= {};
      replacements[key] = replacement;
    }
  }
  return replacements;
}

function scrubValue(
  source: IdentitySource,
  value: AttributeValue,
  policy: IdentityPolicy,
  budget: ScrubBudget | undefined,
): ScrubbedAttributeValue | undefined {
  // A list or a JSON bag always has a budget (see above); a scalar without
  // one is never pseudonymized (no secret), so `protect` never spends it.
  if (Array.isArray(value)) {
    return scrubList(source.tag, value, policy, budget as ScrubBudget);
  }
  if (source.kind === 'json' && typeof value === 'string') {
    return scrubJsonBag(value, source.tag, policy, budget as ScrubBudget);
  }
  const scalar = tagValue(value);
  return scalar === undefined
    ? undefined
    : policy.protect(source.tag, scalar, budget);
}

/** What replaces a list too long to check (`MAX_REWRITTEN_VALUES` elements). */
const TOO_MANY_VALUES = 'otel.genai.cost.redacted:too_many_values';
/** What replaces a list holding a value to pseudonymize once the budget is spent. */
const LIST_BUDGET_SPENT = `otel.genai.cost.redacted:${REQUEST_BUDGET}`;

function scrubList(
  tag: string,
  values: readonly unknown[],
  policy: IdentityPolicy,
  budget: ScrubBudget,
): string[] | undefined {
  if (values.length > MAX_REWRITTEN_VALUES) return [TOO_MANY_VALUES];
  let changed = false;
  const out: string[] = [];
  for (const element of values) {
    const scalar = tagValue(element);
    const replacement =
      scalar === undefined ? undefined : policy.protect(tag, scalar, budget);
    if (replacement === BUDGET_SPENT_VALUE) return [LIST_BUDGET_SPENT];
    if (replacement !== undefined) changed = true;
    out.push(replacement ?? asString(element));
  }
  return changed ? out : undefined;
}

/** The value as read, in the shapes an update can write. */
function asWritten(value: AttributeValue): ScrubbedAttributeValue {
  return Array.isArray(value) ? value.map(asString) : (value as string);
}

function asString(value: unknown): string {
  return typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
    ? String(value)
    : '';
}

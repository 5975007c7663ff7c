import type { IdentityPolicy } from './identity-policy.js';
import { containsEmail } from './identity-policy.js';
import {
  looksLikeJsonBag,
  MAX_REWRITTEN_VALUES,
  parseJsonBag,
  type JsonBagProblem,
} from './parse-json-bag.js';
import { tagValue } from './tag-key.js';

/**
 * What replaces a JSON bag that cannot be parsed safely (see
 * `parseJsonBag`) when it may hide a protected value: still a JSON object,
 * naming why.
 */
export function unscrubbableJsonBag(problem: JsonBagProblem): string {
  return `{"otel.genai.cost.redacted":"${problem}"}`;
}

/**
 * The privacy rewrite of one JSON metadata bag (OpenInference `metadata`,
 * Langfuse metadata), or undefined when it may stay as is:
 * - every scalar leaf, at any depth and inside arrays, goes through
 *   `policy.protect` under its dotted path (`ctx.user_id`, `userIds`), and
 *   so does every object key that contains an e-mail address;
 * - a bag with duplicate keys is re-serialized from the parsed value (the
 *   last duplicate wins, as in `JSON.parse`) when it may hide a protected
 *   value, so no reader can pick the other one;
 * - a bag over the parse bounds, invalid JSON, or one needing more than
 *   `MAX_REWRITTEN_VALUES` rewrites (`too_many_values`) is replaced by
 *   `unscrubbableJsonBag` when it may hide a protected value (always with a
 *   secret; without one, when it holds `@` or a `\u` escape);
 * - a string that is not meant as JSON is one value under `bagTag`.
 */
export function scrubJsonBag(
  raw: string,
  bagTag: string,
  policy: IdentityPolicy,
): string | undefined {
  if (!looksLikeJsonBag(raw)) {
    const value = tagValue(raw);
    return value === undefined ? undefined : policy.protect(bagTag, value);
  }
  const parsed = parseJsonBag(raw);
  const mayHide = policy.pseudonymizes || mayHideEmail(raw, policy);
  if (!parsed.ok)
    return mayHide ? unscrubbableJsonBag(parsed.problem) : undefined;
  const budget: Budget = { policy, left: MAX_REWRITTEN_VALUES };
  let scrubbed: unknown;
  try {
    scrubbed = scrubNode(parsed.value, '', budget);
  } catch (error) {
    if (error !== TOO_MANY_VALUES) throw error;
    return unscrubbableJsonBag('too_many_values');
  }
  if (scrubbed !== parsed.value || (parsed.duplicateKeys && mayHide)) {
    return JSON.stringify(scrubbed);
  }
  return undefined;
}

/** The policy, and how many more values may be rewritten in this bag. */
interface Budget {
  readonly policy: IdentityPolicy;
  left: number;
}

const TOO_MANY_VALUES = new Error('too many values to rewrite');

function protect(
  budget: Budget,
  tag: string,
  value: string,
): string | undefined {
  const replacement = budget.policy.protect(tag, value);
  if (replacement !== undefined && --budget.left < 0) throw TOO_MANY_VALUES;
  return replacement;
}

function mayHideEmail(raw: string, policy: IdentityPolicy): boolean {
  return !policy.allowRawEmail && (raw.includes('@') || raw.includes('\\u'));
}

/** The node with protected values replaced; the same node when nothing changed. */
function scrubNode(node: unknown, path: string, budget: Budget): unknown {
  if (node === null) return node;
  if (Array.isArray(node)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < node.length; i += 1) {
      const next = scrubNode(node[i], path, budget);
      if (next !== node[i]) (copy ??= node.slice())[i] = next;
    }
    return copy ?? node;
  }
  if (typeof node === 'object') {
    return scrubObject(node as Record<string, unknown>, path, budget);
  }
  const value = tagValue(node);
  if (value === undefined) return node;
  return protect(budget, path, value) ?? node;
}

function scrubObject(
  node: Record<string, unknown>,
  path: string,
  budget: Budget,
): Record<string, unknown> {
  const keys = Object.keys(node);
  const entries: [string, unknown][] = [];
  let changed = false;
  for (const key of keys) {
    const child = node[key];
    const next = scrubNode(child, path === '' ? key : `${path}.${key}`, budget);
    const protectedKey =
      !budget.policy.allowRawEmail && containsEmail(key)
        ? (protect(budget, '', key) ?? key)
        : key;
    if (next !== child || protectedKey !== key) changed = true;
    entries.push([protectedKey, next]);
  }
  if (!changed) return node;
  // No prototype: a `__proto__` key stays an ordinary key.
  const copy = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of entries) copy[key] = value;
  return copy;
}

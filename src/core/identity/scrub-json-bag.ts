import {
  containsEmail,
  ROOT_TAG_PATH,
  type IdentityPolicy,
  type TagPath,
} from './identity-policy.js';
import {
  looksLikeJsonBag,
  MAX_REWRITTEN_VALUES,
  parseJsonBag,
  type JsonBagProblem,
} from './parse-json-bag.js';
import {
  BUDGET_SPENT_VALUE,
  REQUEST_BUDGET,
  type ScrubBudget,
} from './scrub-budget.js';
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
 * - under a key that names a pseudonymized tag (`{"userId": ...}`), with a
 *   secret, everything is pseudonymized at any depth: every string, number
 *   and boolean (as its text) and every object key (`{"userId":{"id":"c"}}`
 *   becomes `{"userId":{"hmac:...":"hmac:..."}}`); `null` stays;
 * - a bag with duplicate keys is re-serialized from the parsed value (the
 *   last duplicate wins, as in `JSON.parse`) when it may hide a protected
 *   value, so no reader can pick the other one;
 * - a bag over the parse bounds, invalid JSON, one needing more than
 *   `MAX_REWRITTEN_VALUES` rewrites (`too_many_values`), or one the
 *   `budget` cannot pay for (its characters, or a pseudonym once the
 *   budget's values are spent: `request_budget`) is replaced by
 *   `unscrubbableJsonBag` when it may hide a protected value (always with a
 *   secret; without one, when it holds `@` or a `\u` escape);
 * - a string that is not meant as JSON is one value under `bagTag`.
 */
export function scrubJsonBag(
  raw: string,
  bagTag: string,
  policy: IdentityPolicy,
  budget?: ScrubBudget | undefined,
): string | undefined {
  if (!looksLikeJsonBag(raw)) {
    const value = tagValue(raw);
    return value === undefined
      ? undefined
      : policy.protect(bagTag, value, budget);
  }
  const mayHide = policy.pseudonymizes || mayHideEmail(raw, policy);
  // No pseudonym left to write: a bag that may need one is not parsed.
  if (policy.pseudonymizes && budget?.valuesSpent === true) {
    return unscrubbableJsonBag(REQUEST_BUDGET);
  }
  const parsed = parseJsonBag(raw, budget);
  if (!parsed.ok)
    return mayHide ? unscrubbableJsonBag(parsed.problem) : undefined;
  const walk: Walk = {
    policy,
    budget,
    paths: policy.pseudonymizes,
    left: MAX_REWRITTEN_VALUES,
  };
  let scrubbed: unknown;
  try {
    scrubbed = scrubNode(parsed.value, ROOT_TAG_PATH, walk);
  } catch (error) {
    if (error === TOO_MANY_VALUES)
      return unscrubbableJsonBag('too_many_values');
    if (error === BUDGET_SPENT) return unscrubbableJsonBag(REQUEST_BUDGET);
    throw error;
  }
  if (scrubbed !== parsed.value || (parsed.duplicateKeys && mayHide)) {
    return JSON.stringify(scrubbed);
  }
  return undefined;
}

/** One bag's walk: the rules, what it may spend, and rewrites left in it. */
interface Walk {
  readonly policy: IdentityPolicy;
  readonly budget: ScrubBudget | undefined;
  /** Whether key paths matter (only pseudonymization reads them). */
  readonly paths: boolean;
  left: number;
}

const TOO_MANY_VALUES = new Error('too many values to rewrite');
const BUDGET_SPENT = new Error('identity scrub budget spent');

function protect(
  walk: Walk,
  where: TagPath,
  value: string,
): string | undefined {
  const replacement = walk.policy.protectAt(where, value, walk.budget);
  if (replacement === undefined) return undefined;
  if (replacement === BUDGET_SPENT_VALUE) throw BUDGET_SPENT;
  if (--walk.left < 0) throw TOO_MANY_VALUES;
  return replacement;
}

function mayHideEmail(raw: string, policy: IdentityPolicy): boolean {
  return !policy.allowRawEmail && (raw.includes('@') || raw.includes('\\u'));
}

/** The node with protected values replaced; the same node when nothing changed. */
function scrubNode(node: unknown, path: TagPath, walk: Walk): unknown {
  if (node === null) return node;
  if (Array.isArray(node)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < node.length; i += 1) {
      const next = scrubNode(node[i], path, walk);
      if (next !== node[i]) (copy ??= node.slice())[i] = next;
    }
    return copy ?? node;
  }
  if (typeof node === 'object') {
    return scrubObject(node as Record<string, unknown>, path, walk);
  }
  const value = tagValue(node);
  if (value === undefined) return node;
  return protect(walk, path, value) ?? node;
}

function scrubObject(
  node: Record<string, unknown>,
  path: TagPath,
  walk: Walk,
): Record<string, unknown> {
  const { policy } = walk;
  const keys = Object.keys(node);
  // Built only once something changed (most objects stay as they are).
  let copy: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    const child = node[key];
    const childPath = walk.paths ? policy.childPath(path, key) : path;
    const next = scrubNode(child, childPath, walk);
    // A key is a value too under a pseudonymized key, or when it holds an
    // e-mail address.
    const keyText =
      path.pseudonymized || (!policy.allowRawEmail && containsEmail(key))
        ? tagValue(key)
        : undefined;
    const protectedKey =
      keyText === undefined ? key : (protect(walk, path, keyText) ?? key);
    if (copy === undefined && (next !== child || protectedKey !== key)) {
      // No prototype: a `__proto__` key stays an ordinary key.
      copy = Object.create(null) as Record<string, unknown>;
      for (let j = 0; j < i; j += 1) {
        const earlier = keys[j] as string;
        copy[earlier] = node[earlier];
      }
    }
    if (copy !== undefined) copy[protectedKey] = next;
  }
  return copy ?? node;
}

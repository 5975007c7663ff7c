import { REQUEST_BUDGET, type ScrubBudget } from './scrub-budget.js';

/**
 * Metadata bags stored as one JSON string (OpenInference `metadata`,
 * Langfuse `langfuse.*.metadata`) are parsed up to these bounds; a bag past
 * them cannot be scrubbed, so the privacy rules replace it whole.
 */
export const MAX_JSON_BAG_CHARS = 1_048_576;
export const MAX_JSON_BAG_DEPTH = 64;

/**
 * At most this many values are rewritten in one attribute (a JSON bag or a
 * list): each pseudonym is an HMAC (a few microseconds), so one attribute
 * costs at most tens of milliseconds. Past it, the attribute is replaced.
 */
export const MAX_REWRITTEN_VALUES = 10_000;

export type JsonBagProblem =
  | 'too_large'
  | 'too_deep'
  | 'invalid_json'
  | 'too_many_values'
  | typeof REQUEST_BUDGET;

export type ParsedJsonBag =
  | {
      readonly ok: true;
      /** The parsed object or array (JSON duplicate keys: the last wins). */
      readonly value: Record<string, unknown> | unknown[];
      /** The text repeats a key inside one object: a reader keeping the first would see another value. */
      readonly duplicateKeys: boolean;
    }
  | { readonly ok: false; readonly problem: JsonBagProblem };

const BAG_START = /^\s*[[{]/;

const OBJECT_START = /^\s*\{/;

/** Whether a string is meant as a JSON object or array (starts with `{` or `[`). */
export function looksLikeJsonBag(raw: string): boolean {
  return BAG_START.test(raw);
}

/** Whether a string is meant as a JSON object (starts with `{`). */
export function looksLikeJsonObject(raw: string): boolean {
  return OBJECT_START.test(raw);
}

/**
 * Parses a JSON object or array string within `MAX_JSON_BAG_CHARS` and
 * `MAX_JSON_BAG_DEPTH`, and within `budget` (its characters are taken from
 * it; `request_budget` when they do not fit). One linear pre-scan measures
 * the nesting and counts the object keys written in the text, before
 * anything is materialized; fewer keys in the parsed value than in the
 * text means duplicate keys.
 */
export function parseJsonBag(
  raw: string,
  budget?: ScrubBudget | undefined,
): ParsedJsonBag {
  if (raw.length > MAX_JSON_BAG_CHARS)
    return { ok: false, problem: 'too_large' };
  if (budget?.bagsSpent === true) return { ok: false, problem: REQUEST_BUDGET };
  const shape = scanShape(raw);
  if (budget !== undefined && !budget.takeBag(raw.length, shape.nodes)) {
    return { ok: false, problem: REQUEST_BUDGET };
  }
  if (shape.depth > MAX_JSON_BAG_DEPTH)
    return { ok: false, problem: 'too_deep' };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, problem: 'invalid_json' };
  }
  if (value === null || typeof value !== 'object') {
    return { ok: false, problem: 'invalid_json' };
  }
  const bag = value as Record<string, unknown> | unknown[];
  return { ok: true, value: bag, duplicateKeys: countKeys(bag) !== shape.keys };
}

/**
 * Deepest nesting, number of `"...":` keys, and of values (every `:`, `,`,
 * `{` and `[`), strings skipped.
 */
function scanShape(raw: string): {
  depth: number;
  keys: number;
  nodes: number;
} {
  let depth = 0;
  let maxDepth = 0;
  let keys = 0;
  let nodes = 0;
  let afterString = false;
  for (let i = 0; i < raw.length; i += 1) {
    const code = raw.charCodeAt(i);
    if (code === 34 /* " */) {
      i += 1;
      while (i < raw.length) {
        const inner = raw.charCodeAt(i);
        if (inner === 92 /* \ */) i += 2;
        else if (inner === 34) break;
        else i += 1;
      }
      afterString = true;
      continue;
    }
    if (code === 32 || code === 9 || code === 10 || code === 13) continue;
    if (afterString && code === 58 /* : */) keys += 1;
    afterString = false;
    if (code === 123 /* { */ || code === 91 /* [ */) {
      nodes += 1;
      depth += 1;
      if (depth > maxDepth) maxDepth = depth;
    } else if (code === 125 /* } */ || code === 93 /* ] */) {
      depth -= 1;
    } else if (code === 58 || code === 44 /* , */) {
      nodes += 1;
    }
  }
  return { depth: maxDepth, keys, nodes };
}

/** Own keys of every object in a parsed value (iterative: depth is bounded anyway). */
function countKeys(root: unknown): number {
  let keys = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
      continue;
    }
    for (const key of Object.keys(node)) {
      keys += 1;
      stack.push((node as Record<string, unknown>)[key]);
    }
  }
  return keys;
}

import type { AttributeValue, SpanAttributes } from '../span-like.js';
import {
  ATTR_APP_FEATURE,
  ATTR_APP_PLAN,
  ATTR_APP_TAG_PREFIX,
  ATTR_ENDUSER_ID,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_LANGFUSE_OBSERVATION_METADATA,
  ATTR_LANGFUSE_SESSION_ID,
  ATTR_LANGFUSE_TRACE_METADATA,
  ATTR_LANGFUSE_USER_ID,
  ATTR_OPENINFERENCE_METADATA,
  ATTR_SESSION_ID,
  ATTR_TENANT_ID,
  ATTR_USER_EMAIL,
  ATTR_USER_ID,
  PREFIX_AI_SETTINGS_CONTEXT,
  PREFIX_AI_TELEMETRY_METADATA,
  PREFIX_TRACELOOP_ASSOCIATION,
} from '../../semconv.js';
import {
  rememberIdentityKeys,
  scannedIdentityKeys,
  scannedKeyCount,
} from './identity-key-scan.js';
import { looksLikeJsonObject, parseJsonBag } from './parse-json-bag.js';
import type { ScrubBudget } from './scrub-budget.js';
import { normalizeTagKey, tagValue, type AttributionTags } from './tag-key.js';

/**
 * One identity value found on a span. `path` is set for a value inside a
 * JSON-object attribute (OpenInference `metadata`, Langfuse metadata).
 * A lower `rank` wins when two attributes give the same tag.
 */
export interface IdentityEntry {
  readonly attributeKey: string;
  readonly path: readonly string[] | undefined;
  readonly tag: string;
  readonly value: string;
  readonly rank: number;
}

/** Exact keys, in the order Langfuse reads them (`extractUserId`). */
const DIRECT: ReadonlyMap<string, { tag: string; rank: number }> = new Map([
  [ATTR_USER_ID, { tag: 'userId', rank: 0 }],
  [ATTR_SESSION_ID, { tag: 'sessionId', rank: 0 }],
  [ATTR_TENANT_ID, { tag: 'tenantId', rank: 0 }],
  [ATTR_APP_PLAN, { tag: 'plan', rank: 0 }],
  [ATTR_APP_FEATURE, { tag: 'feature', rank: 0 }],
  [ATTR_USER_EMAIL, { tag: 'email', rank: 0 }],
  [ATTR_LANGFUSE_USER_ID, { tag: 'userId', rank: 1 }],
  [ATTR_LANGFUSE_SESSION_ID, { tag: 'sessionId', rank: 1 }],
  [ATTR_ENDUSER_ID, { tag: 'userId', rank: 2 }],
  [ATTR_GEN_AI_CONVERSATION_ID, { tag: 'sessionId', rank: 2 }],
]);

/** Metadata bags flattened into `<prefix><key>` attributes. */
const PREFIXES: readonly (readonly [string, number])[] = [
  [ATTR_APP_TAG_PREFIX, 3],
  [`${ATTR_LANGFUSE_OBSERVATION_METADATA}.`, 4],
  [`${ATTR_LANGFUSE_TRACE_METADATA}.`, 5],
  [PREFIX_AI_TELEMETRY_METADATA, 6],
  [PREFIX_AI_SETTINGS_CONTEXT, 7],
  [PREFIX_TRACELOOP_ASSOCIATION, 8],
  [`${ATTR_OPENINFERENCE_METADATA}.`, 9],
];

/** Metadata bags stored as one JSON object string. */
const JSON_BAGS: ReadonlyMap<string, number> = new Map([
  [ATTR_LANGFUSE_OBSERVATION_METADATA, 4],
  [ATTR_LANGFUSE_TRACE_METADATA, 5],
  [ATTR_OPENINFERENCE_METADATA, 10],
]);

/** Langfuse trace tags (string array). */
const ATTR_LANGFUSE_TRACE_TAGS = 'langfuse.trace.tags';
/** OpenInference tags (string array). */
const ATTR_OPENINFERENCE_TAGS = 'tag.tags';

/**
 * Free-form lists that often carry a user's name or e-mail (Langfuse trace
 * tags, OpenInference `tag.tags`): never read as attribution, but scrubbed.
 */
const SCRUB_ONLY: ReadonlyMap<string, string> = new Map([
  [ATTR_LANGFUSE_TRACE_TAGS, 'tags'],
  [ATTR_OPENINFERENCE_TAGS, 'tags'],
]);

/**
 * Attribution reads a JSON bag's objects this deep (`a.b.c`), and at most
 * this many of its keys (honest bags hold a handful; a bag of 100,000
 * distinct keys would cost milliseconds per span); scrubbing has neither
 * limit.
 */
const MAX_READ_DEPTH = 3;
const MAX_READ_ENTRIES = 1000;

/**
 * How one attribute carries identity: a single value (`direct` or a
 * flattened `prefix` key; an array value holds several), a JSON bag, or a
 * list that is only scrubbed. `tag` is the normalized tag name (the bag's
 * key for a JSON bag, whose tags come from its own keys).
 */
export interface IdentitySource {
  readonly kind: 'value' | 'json' | 'scrub-only';
  readonly tag: string;
  readonly rank: number;
}

/** Exact keys, their (shared, frozen) answer. */
const EXACT = new Map<string, IdentitySource>();
for (const [key, { tag, rank }] of DIRECT) {
  EXACT.set(key, Object.freeze({ kind: 'value', tag, rank }));
}
for (const [key, rank] of JSON_BAGS) {
  EXACT.set(key, Object.freeze({ kind: 'json', tag: key, rank }));
}
for (const [key, tag] of SCRUB_ONLY) {
  EXACT.set(
    key,
    Object.freeze({ kind: 'scrub-only', tag, rank: Number.MAX_SAFE_INTEGER }),
  );
}
const PREFIXES_BY_FIRST = new Map<number, (readonly [string, number])[]>();
for (const entry of PREFIXES) {
  const first = entry[0].charCodeAt(0);
  const list = PREFIXES_BY_FIRST.get(first) ?? [];
  list.push(entry);
  PREFIXES_BY_FIRST.set(first, list);
}
const CONVERSATION_ID_SOURCE = EXACT.get(
  ATTR_GEN_AI_CONVERSATION_ID,
) as IdentitySource;

/**
 * Whether a key may carry identity, from its first characters: `false`
 * only for keys that no exact key and no prefix above can match (every
 * `gen_ai.*` key but `gen_ai.conversation.id`, `llm.*`, `ai.usage.*`,
 * `http.*`, ...), with no memo look-up. The table test
 * (`identity-key-filter.property.test.ts`) checks it against the key lists.
 */
function mayCarryIdentity(key: string): boolean {
  switch (key.charCodeAt(0)) {
    case 0x61: {
      // a: `app.*`, `ai.telemetry.metadata.*`, `ai.settings.context.*`.
      const second = key.charCodeAt(1);
      if (second === 0x70) return true; // ap
      if (second !== 0x69 || key.charCodeAt(2) !== 0x2e) return false; // ai.
      const fourth = key.charCodeAt(3);
      return fourth === 0x74 || fourth === 0x73; // ai.t, ai.s
    }
    case 0x6c: // l: `langfuse.*`, not `llm.*`
      return key.charCodeAt(1) === 0x61;
    case 0x73: // s: `session.id`, not `server.*`
      return key.charCodeAt(2) === 0x73;
    case 0x75: // u: `user.*`, not `url.*`
      return key.charCodeAt(1) === 0x73;
    case 0x65: // e: enduser.id
    case 0x6d: // m: metadata
    case 0x74: // t: tenant.id, tag.tags, traceloop.association.properties.*
      return true;
    default:
      return false;
  }
}

// The filter is written by hand from the lists above: check it against
// them once, so a key added to a list can never be filtered out unseen.
// It reads at most a key's first four characters and every prefix is at
// least four long, so a prefix that passes lets every key it starts pass.
for (const key of [...EXACT.keys(), ...PREFIXES.map(([prefix]) => prefix)]) {
  const gKey = key.charCodeAt(0) === 0x67;
  if (gKey ? key !== ATTR_GEN_AI_CONVERSATION_ID : !mayCarryIdentity(key)) {
    throw new Error(`identity key filter rejects ${key}`);
  }
}

/**
 * The key listing's first filter (`identityKeysOf`), before
 * `identitySourceOf`: one byte per pair of (first character, fourth
 * character), each folded to its low five bits, set for the pairs of every
 * exact key and prefix above. A key that starts with an exact key's or a
 * prefix's first four characters has its pair set (every key and prefix is
 * at least four long), so no identity key is rejected; most other keys are,
 * by one table read and no call: an AI SDK span's `ai.usage.*`,
 * `ai.response.*`, `ai.model.*` keys differ from `ai.telemetry.` and
 * `ai.settings.` in their fourth character (31 keys: the listing ~550 ->
 * ~505 ns, paired micro-benchmark on SDK spans). A key shorter than four
 * reads NaN, folded to 0 (a pair no identity key has: harmless either way).
 */
const CANDIDATE_PAIRS = new Uint8Array(1024);
function candidatePair(key: string): number {
  return ((key.charCodeAt(0) & 31) << 5) | (key.charCodeAt(3) & 31);
}
for (const key of [...EXACT.keys(), ...PREFIXES.map(([prefix]) => prefix)]) {
  if (key.length < 4) throw new Error(`identity key shorter than 4: ${key}`);
  CANDIDATE_PAIRS[candidatePair(key)] = 1;
}

/**
 * Answers already computed, by key (`null`: not an identity key). Attribute
 * keys come from a small vocabulary per emitter, so a span's keys are found
 * by one look-up each; the table stops growing at `MAX_MEMO_KEYS` (keys no
 * emitter writes, e.g. a hostile request's, are then computed each time)
 * and never holds a key longer than `MAX_MEMO_KEY_LENGTH`.
 */
const MEMO = new Map<string, IdentitySource | null>();
const MAX_MEMO_KEYS = 4096;
const MAX_MEMO_KEY_LENGTH = 128;

/**
 * Whether (and how) an attribute key carries identity, whichever emitter
 * wrote it: `user.id`/`session.id` (OpenInference, Langfuse SDK),
 * `langfuse.*`, `enduser.id`, `gen_ai.conversation.id`,
 * `ai.telemetry.metadata.*` (AI SDK v4-v6), `ai.settings.context.*` (AI SDK
 * v7 runtime context), `traceloop.association.properties.*`, OpenInference
 * `metadata` (JSON) and `metadata.*`, this library's own output names, and
 * the tag lists. This table is the one place that knows which keys carry
 * identity; the reader and the privacy scrubber both use it. Most keys
 * are rejected on their first character, the others found in a memo (the
 * answers are shared objects: do not modify them).
 */
export function identitySourceOf(key: string): IdentitySource | undefined {
  // `gen_ai.*` keys fill GenAI spans: one comparison answers them all.
  if (key.charCodeAt(0) === 0x67) {
    return key === ATTR_GEN_AI_CONVERSATION_ID
      ? CONVERSATION_ID_SOURCE
      : undefined;
  }
  if (!mayCarryIdentity(key)) return undefined;
  const known = MEMO.get(key);
  if (known !== undefined) return known ?? undefined;
  const source = computeSource(key);
  if (MEMO.size < MAX_MEMO_KEYS && key.length <= MAX_MEMO_KEY_LENGTH) {
    MEMO.set(key, source ?? null);
  }
  return source;
}

function computeSource(key: string): IdentitySource | undefined {
  const exact = EXACT.get(key);
  if (exact !== undefined) return exact;
  const prefixes = PREFIXES_BY_FIRST.get(key.charCodeAt(0));
  if (prefixes === undefined) return undefined;
  for (const [prefix, rank] of prefixes) {
    if (key.length > prefix.length && key.startsWith(prefix)) {
      return Object.freeze({
        kind: 'value',
        tag: normalizeTagKey(key.slice(prefix.length)),
        rank,
      });
    }
  }
  return undefined;
}

const NO_KEYS: readonly string[] = Object.freeze([]);

/**
 * The keys of `attributes` that `identitySourceOf` knows, in enumeration
 * order (usually none or a few): one pass over the keys, or none when the
 * open `identity-key-scan` of this object already made it. `keyCount` (or
 * the open scan's) is how many keys the caller counted on a plain object
 * (an SDK span's attributes): up to `MAX_ENUMERATED_KEYS`, the keys are
 * walked with `for...in` (no array, see `keysOfSmall`); any count, right or
 * wrong, gives the same keys.
 */
export function identityKeysOf(
  attributes: SpanAttributes,
  keyCount?: number,
): readonly string[] {
  const scanned = scannedIdentityKeys(attributes);
  if (scanned !== undefined) return scanned;
  const count = keyCount ?? scannedKeyCount(attributes);
  const found =
    count !== undefined && count <= MAX_ENUMERATED_KEYS
      ? keysOfSmall(attributes)
      : keysOfAny(attributes);
  rememberIdentityKeys(attributes, found);
  return found;
}

/**
 * Up to this many keys (as an SDK span sets them one by one), V8 keeps an
 * attribute object's properties in fast mode, where `for...in` reads the
 * map's cached key list (nothing allocated); `Object.keys` copies it into
 * a new array. Past about 20 the object is a dictionary, where `for...in`
 * lists and sorts the keys first (see classify-span.ts `MAX_SCANNED_KEYS`).
 */
const MAX_ENUMERATED_KEYS = 16;

/** `identityKeysOf` of a plain object with few keys (own enumerable keys). */
function keysOfSmall(attributes: SpanAttributes): readonly string[] {
  let keys: string[] | undefined;
  for (const key in attributes) {
    if (isIdentityKey(key)) (keys ??= []).push(key);
  }
  return keys ?? NO_KEYS;
}

/** `identityKeysOf` of any object. */
function keysOfAny(attributes: SpanAttributes): readonly string[] {
  // `Object.keys`, not `for...in`: on a dictionary-mode object (an SDK span
  // past ~16 attributes) it skips a look-up per key (AI SDK span, 30 keys:
  // ~730 -> ~560 ns; ~10 ns more on a small fast-mode object).
  let keys: string[] | undefined;
  const all = Object.keys(attributes);
  for (let i = 0; i < all.length; i++) {
    const key = all[i] as string;
    if (isIdentityKey(key)) (keys ??= []).push(key);
  }
  return keys ?? NO_KEYS;
}

/**
 * Whether `identitySourceOf` knows `key`: most keys end at the pair
 * filter, without a call (small enough for V8 to inline in both loops).
 */
function isIdentityKey(key: string): boolean {
  return (
    CANDIDATE_PAIRS[candidatePair(key)] !== 0 &&
    identitySourceOf(key) !== undefined
  );
}

/**
 * Calls `visit` for every identity value on a span that attribution reads
 * (see `identitySourceOf`): scalar values, and the scalar leaves of a JSON
 * bag's objects down to three levels. Arrays and tag lists are not
 * attribution; `scrubIdentityAttributes` still rewrites them. A bag's
 * characters are taken from `budget` (the gateway's, per request); a bag
 * past it is not read.
 */
export function forEachIdentityEntry(
  attributes: SpanAttributes,
  visit: (entry: IdentityEntry) => void,
  budget?: ScrubBudget | undefined,
): void {
  for (const key in attributes) {
    const source = identitySourceOf(key);
    if (source === undefined || source.kind === 'scrub-only') continue;
    if (source.kind === 'json') {
      visitJson(key, attributes[key], source.rank, visit, budget);
      continue;
    }
    const value = tagValue(attributes[key]);
    if (value !== undefined) {
      visit({
        attributeKey: key,
        path: undefined,
        tag: source.tag,
        value,
        rank: source.rank,
      });
    }
  }
}

/**
 * The identity tags one span carries, key spellings normalized to tag names
 * (`userId`, `sessionId`, `tenantId`, ...), or undefined when it has none.
 * Pure: no policy (allow-list, pseudonyms) is applied here. JSON bags are
 * read within `budget` (see `forEachIdentityEntry`).
 */
export function readSpanIdentity(
  attributes: SpanAttributes,
  budget?: ScrubBudget | undefined,
): Record<string, string> | undefined {
  return readIdentityTags(attributes, budget, undefined);
}

/**
 * `readSpanIdentity` of a plain attribute object (own enumerable keys, as
 * an SDK span holds them) whose key count the caller knows (`keyCount`, see
 * `identityKeysOf`); the same tags.
 */
export function readPlainSpanIdentity(
  attributes: SpanAttributes,
  keyCount: number | undefined,
): Record<string, string> | undefined {
  return readIdentityTags(attributes, undefined, keyCount);
}

function readIdentityTags(
  attributes: SpanAttributes,
  budget: ScrubBudget | undefined,
  keyCount: number | undefined,
): Record<string, string> | undefined {
  // Most spans carry no identity key, or only scalar ones: nothing is
  // allocated until one is found, and no closure unless a JSON bag is.
  let found: FoundTags | undefined;
  const keys = identityKeysOf(attributes, keyCount);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const source = identitySourceOf(key);
    if (source === undefined || source.kind === 'scrub-only') continue;
    if (source.kind === 'json') {
      const into = (found ??= new FoundTags());
      visitJson(
        key,
        attributes[key],
        source.rank,
        entry => into.take(entry.tag, entry.value, entry.rank),
        budget,
      );
      continue;
    }
    const value = tagValue(attributes[key]);
    if (value !== undefined) {
      (found ??= new FoundTags()).take(source.tag, value, source.rank);
    }
  }
  return found?.tags;
}

/**
 * Tags found on one span; per tag, the value of the lowest rank (first of
 * equals). The ranks sit in a plain object beside the tags (own keys only
 * are read), not a Map: a span carries a handful of tags.
 */
class FoundTags {
  tags: Record<string, string> | undefined = undefined;
  private readonly _ranks: Record<string, number> = {};

  take(tag: string, value: string, rank: number): void {
    if (tag === '__proto__') return;
    const ranks = this._ranks;
    if (Object.hasOwn(ranks, tag) && rank >= (ranks[tag] as number)) return;
    ranks[tag] = rank;
    (this.tags ??= {})[tag] = value;
  }
}

/** Merges tag maps; earlier maps win (pass nearest source first). */
export function mergeTags(
  ...layers: readonly (AttributionTags | undefined)[]
): AttributionTags | undefined {
  let merged: Record<string, string> | undefined;
  for (let i = layers.length - 1; i >= 0; i -= 1) {
    const layer = layers[i];
    if (layer === undefined) continue;
    merged = merged === undefined ? { ...layer } : Object.assign(merged, layer);
  }
  return merged;
}

function visitJson(
  key: string,
  raw: AttributeValue | undefined,
  rank: number,
  visit: (entry: IdentityEntry) => void,
  budget: ScrubBudget | undefined,
): void {
  const object = parseJsonObject(raw, budget);
  if (object === undefined) return;
  let left = MAX_READ_ENTRIES;
  walk(object, [], 0);

  function walk(node: Record<string, unknown>, path: string[], depth: number) {
    for (const name in node) {
      if (--left < 0) return;
      const child = node[name];
      if (child !== null && typeof child === 'object') {
        if (depth + 1 < MAX_READ_DEPTH && !Array.isArray(child)) {
          walk(child as Record<string, unknown>, [...path, name], depth + 1);
        }
        continue;
      }
      const value = tagValue(child);
      if (value === undefined) continue;
      const childPath = [...path, name];
      const tag = normalizeTagKey(childPath.join('.'));
      visit({ attributeKey: key, path: childPath, tag, value, rank });
    }
  }
}

/**
 * A JSON object stored in a string attribute (within the bounds of
 * `parseJsonBag` and `budget`), or undefined. An array is not parsed.
 */
export function parseJsonObject(
  raw: AttributeValue | undefined,
  budget?: ScrubBudget | undefined,
): Record<string, unknown> | undefined {
  if (typeof raw !== 'string' || !looksLikeJsonObject(raw)) return undefined;
  const parsed = parseJsonBag(raw, budget);
  return parsed.ok && !Array.isArray(parsed.value) ? parsed.value : undefined;
}

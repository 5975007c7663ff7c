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

const MAX_JSON_CHARS = 65_536;
const MAX_JSON_DEPTH = 3;
const JSON_OBJECT_START = /^\s*\{/;

/** The tables above indexed by first character: most keys skip at once. */
const DIRECT_FIRST = new Set([...DIRECT.keys()].map(key => key.charCodeAt(0)));
const JSON_FIRST = new Set([...JSON_BAGS.keys()].map(key => key.charCodeAt(0)));
const PREFIXES_BY_FIRST = new Map<number, (readonly [string, number])[]>();
for (const entry of PREFIXES) {
  const first = entry[0].charCodeAt(0);
  const list = PREFIXES_BY_FIRST.get(first) ?? [];
  list.push(entry);
  PREFIXES_BY_FIRST.set(first, list);
}

/**
 * Calls `visit` for every identity value on a span, whichever emitter wrote
 * it: `user.id`/`session.id` (OpenInference, Langfuse SDK), `langfuse.*`,
 * `enduser.id`, `gen_ai.conversation.id`, `ai.telemetry.metadata.*` (AI SDK
 * v4-v6), `ai.settings.context.*` (AI SDK v7 runtime context),
 * `traceloop.association.properties.*`, OpenInference `metadata` (JSON) and
 * `metadata.*`, and this library's own output names. This table is the one
 * place that knows which keys carry identity; the reader and the privacy
 * scrubber both walk it.
 */
export function forEachIdentityEntry(
  attributes: SpanAttributes,
  visit: (entry: IdentityEntry) => void,
): void {
  for (const key in attributes) {
    const first = key.charCodeAt(0);
    if (DIRECT_FIRST.has(first)) {
      const direct = DIRECT.get(key);
      if (direct !== undefined) {
        const value = tagValue(attributes[key]);
        if (value !== undefined) {
          visit({ attributeKey: key, path: undefined, ...direct, value });
        }
        continue;
      }
    }
    if (JSON_FIRST.has(first)) {
      const jsonRank = JSON_BAGS.get(key);
      if (jsonRank !== undefined) {
        visitJson(key, attributes[key], jsonRank, visit);
        continue;
      }
    }
    const prefixes = PREFIXES_BY_FIRST.get(first);
    if (prefixes === undefined) continue;
    for (const [prefix, rank] of prefixes) {
      if (key.length > prefix.length && key.startsWith(prefix)) {
        const value = tagValue(attributes[key]);
        if (value !== undefined) {
          const tag = normalizeTagKey(key.slice(prefix.length));
          visit({ attributeKey: key, path: undefined, tag, value, rank });
        }
        break;
      }
    }
  }
}

/**
 * The identity tags one span carries, key spellings normalized to tag names
 * (`userId`, `sessionId`, `tenantId`, ...), or undefined when it has none.
 * Pure: no policy (allow-list, pseudonyms) is applied here.
 */
export function readSpanIdentity(
  attributes: SpanAttributes,
): Record<string, string> | undefined {
  const found = new Map<string, IdentityEntry>();
  forEachIdentityEntry(attributes, entry => {
    const seen = found.get(entry.tag);
    if (seen === undefined || entry.rank < seen.rank) {
      found.set(entry.tag, entry);
    }
  });
  if (found.size === 0) return undefined;
  const tags: Record<string, string> = {};
  for (const [tag, entry] of found) {
    if (tag !== '__proto__') tags[tag] = entry.value;
  }
  return tags;
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
): void {
  const object = parseJsonObject(raw);
  if (object === undefined) return;
  walk(object, [], 0);

  function walk(node: Record<string, unknown>, path: string[], depth: number) {
    for (const [name, child] of Object.entries(node)) {
      const childPath = [...path, name];
      if (child !== null && typeof child === 'object') {
        if (depth + 1 < MAX_JSON_DEPTH && !Array.isArray(child)) {
          walk(child as Record<string, unknown>, childPath, depth + 1);
        }
        continue;
      }
      const value = tagValue(child);
      if (value === undefined) continue;
      const tag = normalizeTagKey(childPath.join('.'));
      visit({ attributeKey: key, path: childPath, tag, value, rank });
    }
  }
}

/** A JSON object stored in a string attribute, or undefined. */
export function parseJsonObject(
  raw: AttributeValue | undefined,
): Record<string, unknown> | undefined {
  if (typeof raw !== 'string' || raw.length > MAX_JSON_CHARS) return undefined;
  if (!JSON_OBJECT_START.test(raw)) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed !== null &&
      typeof parsed === 'object' &&
      !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

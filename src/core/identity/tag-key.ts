/** A flat map of attribution tags: `userId`, `tenantId`, `plan`, ... */
export type AttributionTags = Readonly<Record<string, string>>;

/** The tags every output knows by name; allowed by default. */
export const WELL_KNOWN_TAG_KEYS: readonly string[] = Object.freeze([
  'userId',
  'sessionId',
  'tenantId',
  'plan',
  'feature',
]);

/**
 * Spellings seen in the wild, compared lower-case with every non-alphanumeric
 * character removed: `user_id`, `user.id`, `UserID`, `langfuse_user_id`,
 * `enduser.id` all mean `userId`.
 */
const SPELLINGS: ReadonlyMap<string, string> = new Map([
  ['userid', 'userId'],
  ['enduserid', 'userId'],
  ['langfuseuserid', 'userId'],
  ['sessionid', 'sessionId'],
  ['langfusesessionid', 'sessionId'],
  ['tenantid', 'tenantId'],
  ['tenant', 'tenantId'],
  ['plan', 'plan'],
  ['appplan', 'plan'],
  ['feature', 'feature'],
  ['appfeature', 'feature'],
]);

const MAX_MEMO = 1000;
const memo = new Map<string, string>();

/**
 * The tag name for a key found in a metadata bag, a context or baggage:
 * a well-known spelling maps to its tag name, any other key is kept as is.
 */
export function normalizeTagKey(key: string): string {
  const known = memo.get(key);
  if (known !== undefined) return known;
  const canonical = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  const tag = SPELLINGS.get(canonical) ?? key;
  if (memo.size >= MAX_MEMO) memo.clear();
  memo.set(key, tag);
  return tag;
}

/** A tag value from an attribute or a caller: non-empty string, or undefined. */
export function tagValue(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? String(value) : undefined;
  }
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * Normalizes a caller's tag map (keys spelled as above, values trimmed,
 * empty and non-scalar values dropped). Never throws on odd input.
 */
export function normalizeTags(tags: unknown): AttributionTags {
  const result: Record<string, string> = {};
  if (tags === null || typeof tags !== 'object') return result;
  for (const [key, raw] of Object.entries(tags as Record<string, unknown>)) {
    const value = tagValue(raw);
    const tag = normalizeTagKey(key);
    if (value !== undefined && tag !== '' && tag !== '__proto__') {
      result[tag] = value;
    }
  }
  return result;
}

import type { SpanAttributes } from '../span-like.js';

/**
 * Typed, defensive readers over span attributes. Values of the wrong type,
 * NaN, infinities and negative counts read as `undefined`; the caller decides
 * what a missing value means.
 */

/** Token count: a finite, non-negative number (or a numeric string). */
export function readCount(
  attributes: SpanAttributes,
  key: string,
): number | undefined {
  const value = attributes[key];
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : Number.NaN;
  return Number.isFinite(number) && number >= 0 ? number : undefined;
}

/** First key in `keys` that holds a valid count. */
export function readFirstCount(
  attributes: SpanAttributes,
  keys: readonly string[],
): number | undefined {
  for (const key of keys) {
    const count = readCount(attributes, key);
    if (count !== undefined) return count;
  }
  return undefined;
}

/** Non-empty string, trimmed. */
export function readString(
  attributes: SpanAttributes,
  key: string,
): string | undefined {
  const value = attributes[key];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

export function readFirstString(
  attributes: SpanAttributes,
  keys: readonly string[],
): string | undefined {
  for (const key of keys) {
    const value = readString(attributes, key);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** A JSON object stored in a string attribute, or undefined. */
export function readJsonObject(
  attributes: SpanAttributes,
  key: string,
): Record<string, unknown> | undefined {
  const value = attributes[key];
  if (typeof value !== 'string' || value.length > 65_536) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed !== null && typeof parsed === 'object'
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A finite non-negative number at a dotted path inside a parsed object. */
export function readPath(
  object: Record<string, unknown> | undefined,
  path: readonly string[],
): number | undefined {
  let current: unknown = object;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return typeof current === 'number' && Number.isFinite(current) && current >= 0
    ? current
    : undefined;
}

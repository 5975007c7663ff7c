import type { SpanAttributes } from '../span-like.js';
import {
  firstCount,
  parseTokenCount,
  type CountReading,
} from './token-count.js';

/**
 * Typed, defensive readers over span attributes. Strings of the wrong type
 * read as `undefined`; token counts follow `parseTokenCount` (missing,
 * valid, or present but invalid); the caller decides what each means.
 */

/** Token count under one key: see `parseTokenCount`. */
export function readCount(
  attributes: SpanAttributes,
  key: string,
): CountReading {
  return parseTokenCount(attributes[key]);
}

/**
 * One kind of count under several alias keys, in order of preference: the
 * first valid count, but invalid when ANY of the keys holds an invalid value
 * (a garbage value under one key never falls through to another).
 */
export function readFirstCount(
  attributes: SpanAttributes,
  keys: readonly string[],
): CountReading {
  return firstCount(keys.map(key => readCount(attributes, key)));
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

/** The value at a dotted path inside a parsed object (own keys only). */
export function readPathValue(
  object: Record<string, unknown> | undefined,
  path: readonly string[],
): unknown {
  let current: unknown = object;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Token count at a dotted path inside a parsed object: see `parseTokenCount`. */
export function readPath(
  object: Record<string, unknown> | undefined,
  path: readonly string[],
): CountReading {
  return parseTokenCount(readPathValue(object, path));
}

import { SettingError } from './setting.js';

/**
 * Parsers (text of a variable) and checks (a value given in code) of the
 * library's settings. Each returns the value or throws `SettingError`
 * saying what was expected; the shell decides whether that warns or stops.
 */

/** A value for a message: strings quoted and cut, others as JSON. */
export function shown(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(
      value.length > 80 ? `${value.slice(0, 80)}...` : value,
    );
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}

/** `true`/`false`, also `1`/`0` and `yes`/`no`, any case. */
export function parseBoolean(raw: string): boolean {
  const text = raw.trim().toLowerCase();
  if (text === 'true' || text === '1' || text === 'yes') return true;
  if (text === 'false' || text === '0' || text === 'no') return false;
  throw new SettingError(`expected true or false, got ${shown(raw)}`);
}

export function checkBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  throw new SettingError(`expected true or false, got ${shown(value)}`);
}

/** Comma-separated, items trimmed, empty items dropped. */
export function parseList(raw: string): string[] {
  return raw
    .split(',')
    .map(item => item.trim())
    .filter(item => item !== '');
}

export function checkStringList(value: unknown): string[] {
  if (Array.isArray(value) && value.every(item => typeof item === 'string')) {
    return [...(value as string[])];
  }
  throw new SettingError(`expected a list of strings, got ${shown(value)}`);
}

/** Node's timers hold at most 2^31-1 ms: the largest duration in seconds. */
export const MAX_DURATION_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** The one integer rule of every setting: a safe integer in [min, max]. */
export function isIntegerIn(
  value: unknown,
  min: number,
  max: number,
): value is number {
  return (
    typeof value === 'number' &&
    Number.isSafeInteger(value) &&
    value >= min &&
    value <= max
  );
}

/**
 * The one duration rule of every setting: seconds, more than 0, that
 * Node's timers hold; `whole` for the settings that take whole seconds
 * only (the gateway's; `identityWindowSeconds` takes fractions, as its old
 * millisecond form needs).
 */
export function isDurationSeconds(
  value: unknown,
  whole: boolean,
): value is number {
  return whole
    ? isIntegerIn(value, 1, MAX_DURATION_SECONDS)
    : typeof value === 'number' &&
        Number.isFinite(value) &&
        value > 0 &&
        value <= MAX_DURATION_SECONDS;
}

/** A check of an integer in [min, max]; text must be decimal digits. */
export function integerIn(
  min: number,
  max: number,
): {
  check: (value: unknown) => number;
  parse: (raw: string) => number;
} {
  const check = (value: unknown): number => {
    if (isIntegerIn(value, min, max)) return value;
    const range =
      max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `${min} to ${max}`;
    throw new SettingError(`expected an integer ${range}, got ${shown(value)}`);
  };
  const parse = (raw: string): number => {
    const text = raw.trim();
    return check(/^\d+$/.test(text) ? Number(text) : text);
  };
  return { check, parse };
}

/** A non-empty string, trimmed. */
export function checkNonEmptyString(value: unknown): string {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  throw new SettingError('expected a non-empty value');
}

/** One of `choices` (text: trimmed, any case). */
export function choiceOf<T extends string>(
  choices: readonly T[],
): {
  check: (value: unknown) => T;
  parse: (raw: string) => T;
} {
  const check = (value: unknown): T => {
    if (
      typeof value === 'string' &&
      (choices as readonly string[]).includes(value)
    ) {
      return value as T;
    }
    throw new SettingError(
      `expected ${choices.join(' or ')}, got ${shown(value)}`,
    );
  };
  return { check, parse: raw => check(raw.trim().toLowerCase()) };
}

/**
 * A list whose items must each be allowed: a bad item makes the whole
 * value bad, and the error carries the list without it (`usable`).
 */
export function listOf(
  isAllowed: (item: string) => boolean,
  what: string,
): {
  check: (value: unknown) => string[];
  parse: (raw: string) => string[];
} {
  const check = (value: unknown): string[] => {
    const items = checkStringList(value).filter(item => item !== '');
    const bad = items.filter(item => !isAllowed(item));
    if (bad.length === 0) return items;
    throw new SettingError(
      `${bad.map(shown).join(', ')} ${bad.length === 1 ? 'is' : 'are'} not ${what}`,
      items.filter(isAllowed),
    );
  };
  return { check, parse: raw => check(parseList(raw)) };
}

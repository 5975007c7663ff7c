/**
 * Calendar dates of an IANA timezone through `Intl` (no timezone data of
 * our own): the local date of an instant, and the first instant of a
 * local date. Pure; formatters are cached per timezone.
 */

/** A local calendar date (month 1-12). */
export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (formatters.size >= 64) formatters.clear();
    formatters.set(timeZone, format);
  }
  return format;
}

/** True when `Intl` knows the timezone. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The local wall time of an instant, as if it were UTC (ms). */
function wallClock(at: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(at)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year = 1970, month = 1, day = 1 } = parts;
  const { hour = 0, minute = 0, second = 0 } = parts;
  const ms = ((at % 1000) + 1000) % 1000;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/** The local date of an instant in the timezone. */
export function localDateAt(at: number, timeZone: string): LocalDate {
  const wall = new Date(wallClock(at, timeZone));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
  };
}

/** Days since 1970-01-01 of a date (overflowing days and months roll over). */
export function dayNumber(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

function localDay(at: number, timeZone: string): number {
  const d = localDateAt(at, timeZone);
  return dayNumber(d.year, d.month, d.day);
}

const HOUR = 3_600_000;

/**
 * The first instant whose local date is the given day (day number): its
 * midnight, or, where midnight is skipped by a clock change, the instant
 * the clocks jump to. Found from the offset at a guess, then checked, and
 * searched for (to the millisecond) only when the guess is not it.
 */
export function startOfLocalDay(day: number, timeZone: string): number {
  const midnightUtc = day * 86_400_000;
  let guess = midnightUtc;
  for (let i = 0; i < 2; i++) {
    guess = midnightUtc - (wallClock(guess, timeZone) - guess);
  }
  if (
    localDay(guess, timeZone) === day &&
    localDay(guess - 1, timeZone) < day
  ) {
    return guess;
  }
  // A skipped or repeated midnight: the first instant of the day lies
  // within a day of the guess (offsets differ by less than a day).
  let low = guess - 26 * HOUR; // before the day
  let high = guess + 26 * HOUR; // within or after the day
  while (localDay(high, timeZone) > day) high -= HOUR;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (localDay(middle, timeZone) >= day) high = middle;
    else low = middle;
  }
  return high;
}

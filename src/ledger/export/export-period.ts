import { ExportError } from './export-error.js';

/** Milliseconds in a UTC day. */
export const DAY_MILLIS = 86_400_000;

/** A range of whole UTC days, both ends included. */
export interface ExportPeriod {
  /** `YYYY-MM-DD` of the first day. */
  readonly first: string;
  /** `YYYY-MM-DD` of the last day. */
  readonly last: string;
}

/** Longest period one export reads (a year and a day). */
export const MAX_PERIOD_DAYS = 366;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

/** `YYYY-MM-DD` → ms at its UTC start; undefined when not a real date. */
export function dayStartMillis(day: string): number | undefined {
  const match = DAY.exec(day);
  if (match === null) return undefined;
  const [year, month, date] = match.slice(1).map(Number) as [
    number,
    number,
    number,
  ];
  const millis = Date.UTC(year, month - 1, date);
  return new Date(millis).toISOString().slice(0, 10) === day
    ? millis
    : undefined;
}

/** ms → the `YYYY-MM-DD` of its UTC day. */
export function dayOf(millis: number): string {
  return new Date(millis).toISOString().slice(0, 10);
}

/**
 * `YYYY-MM` (that calendar month, UTC) or `YYYY-MM-DD..YYYY-MM-DD` (both
 * days included); a single `YYYY-MM-DD` is that day.
 */
export function parseExportPeriod(text: string): ExportPeriod {
  const raw = text.trim();
  const month = MONTH.exec(raw);
  if (month !== null) {
    const [year, m] = month.slice(1).map(Number) as [number, number];
    const first = `${raw}-01`;
    if (m < 1 || m > 12 || dayStartMillis(first) === undefined)
      throw new ExportError(`--period: ${raw} is not a month (YYYY-MM)`);
    return { first, last: dayOf(Date.UTC(year, m, 1) - DAY_MILLIS) };
  }
  const [first = '', last = first, extra] = raw.split('..');
  const start = dayStartMillis(first);
  const end = dayStartMillis(last);
  if (extra !== undefined || start === undefined || end === undefined) {
    throw new ExportError(
      '--period: expected YYYY-MM or YYYY-MM-DD..YYYY-MM-DD (UTC days, both included)',
    );
  }
  if (end < start)
    throw new ExportError('--period: the last day is before the first');
  if ((end - start) / DAY_MILLIS + 1 > MAX_PERIOD_DAYS)
    throw new ExportError(`--period: at most ${MAX_PERIOD_DAYS} days`);
  return { first, last };
}

/**
 * The days of the period that ended by `nowMillis` (exported) and those
 * not ended yet (left for a later run).
 */
export function splitClosedDays(
  period: ExportPeriod,
  nowMillis: number,
): { closed: string[]; open: string[] } {
  const closed: string[] = [];
  const open: string[] = [];
  const end = dayStartMillis(period.last) as number;
  for (
    let day = dayStartMillis(period.first) as number;
    day <= end;
    day += DAY_MILLIS
  ) {
    (day + DAY_MILLIS <= nowMillis ? closed : open).push(dayOf(day));
  }
  return { closed, open };
}

import type { BudgetWindow } from '../budget-types.js';
import { dayNumber, localDateAt, startOfLocalDay } from './zoned-date.js';

/** One window of a budget around an instant (ms since the epoch). */
export interface WindowSpan {
  /**
   * Names the window in store keys: `day@Europe/Berlin:2026-11-30`,
   * `week@UTC:2026-11-30` (its Monday), `month@UTC:2026-11`; for a rolling
   * window `rolling:24h` (its hourly buckets carry the hour).
   */
  readonly key: string;
  readonly start: number;
  /** Where the next window starts (exclusive end). */
  readonly end: number;
  /**
   * When the spend can next go down: the end of a calendar window; for a
   * rolling window the end of the current hour, when its oldest hour leaves.
   */
  readonly resetAt: number;
  /** Rolling windows: the hour numbers (ms / 3600000) of its buckets, oldest first. */
  readonly hours?: readonly number[];
}

export const HOUR_MS = 3_600_000;
/** The longest rolling window (31 days): a check reads one key per hour. */
export const MAX_ROLLING_HOURS = 744;

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function dayText(day: number): string {
  const date = new Date(day * 86_400_000);
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/**
 * The window of `window` holding instant `at`: calendar windows start at
 * midnight in `timeZone` (weeks on Monday, months on the 1st; a day of a
 * clock change lasts 23 or 25 hours); a rolling window of n hours is the
 * current hour and the n - 1 before it (hourly granularity).
 */
export function windowAt(
  window: BudgetWindow,
  timeZone: string,
  at: number,
): WindowSpan {
  if (typeof window === 'object') {
    const n = window.rollingHours;
    const hour = Math.floor(at / HOUR_MS);
    const hours = Array.from({ length: n }, (_, i) => hour - n + 1 + i);
    const end = (hour + 1) * HOUR_MS;
    return {
      key: `rolling:${n}h`,
      start: (hour - n + 1) * HOUR_MS,
      end,
      resetAt: end,
      hours,
    };
  }
  const local = localDateAt(at, timeZone);
  let first: number;
  let next: number;
  let label: string;
  if (window === 'day') {
    first = dayNumber(local.year, local.month, local.day);
    next = first + 1;
    label = dayText(first);
  } else if (window === 'week') {
    const today = dayNumber(local.year, local.month, local.day);
    // 1970-01-01 was a Thursday: (day + 3) % 7 is 0 on Mondays.
    first = today - ((((today + 3) % 7) + 7) % 7);
    next = first + 7;
    label = dayText(first);
  } else {
    first = dayNumber(local.year, local.month, 1);
    next = dayNumber(local.year, local.month + 1, 1);
    label = dayText(first).slice(0, 7);
  }
  const end = startOfLocalDay(next, timeZone);
  return {
    key: `${window}@${timeZone}:${label}`,
    start: startOfLocalDay(first, timeZone),
    end,
    resetAt: end,
  };
}

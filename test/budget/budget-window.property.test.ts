/**
 * The window math against a reference: each property reads local dates
 * with its own `Intl` call (`sv-SE` dates, `weekday`), not the code under
 * test. Zones with clock changes at 01:00 UTC (Berlin), at local 2 am
 * (New York), at midnight (Santiago, Havana, Beirut, Sao Paulo in 2018),
 * by 30 minutes (Lord Howe) and 45-minute offsets (Chatham).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BudgetWindow } from '../../src/index.js';
import { windowAt } from '../../src/budget/window/budget-window-span.js';

const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'America/Santiago',
  'America/Havana',
  'Asia/Beirut',
  'America/Sao_Paulo',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Asia/Kolkata',
] as const;

const HOUR = 3_600_000;

/** Reference: the local date of an instant, `YYYY-MM-DD`. */
function localDate(at: number, timeZone: string): string {
  return new Date(at).toLocaleDateString('sv-SE', { timeZone });
}

function weekday(at: number, timeZone: string): string {
  return new Date(at).toLocaleDateString('en-US', {
    timeZone,
    weekday: 'short',
  });
}

const instant = fc.integer({
  min: Date.UTC(2000, 0, 1),
  max: Date.UTC(2040, 0, 1),
});
const calendar = fc.constantFrom<'day' | 'week' | 'month'>(
  'day',
  'week',
  'month',
);

describe('calendar windows', () => {
  it('hold the instant, start on the first instant of their first local day, and tile time', () => {
    fc.assert(
      fc.property(
        instant,
        calendar,
        fc.constantFrom(...ZONES),
        (t, window, zone) => {
          const w = windowAt(window, zone, t);
          expect(w.start).toBeLessThanOrEqual(t);
          expect(t).toBeLessThan(w.end);
          expect(w.resetAt).toBe(w.end);
          // The next window starts where this one ends; the one before ends where it starts.
          expect(windowAt(window, zone, w.end).start).toBe(w.end);
          expect(windowAt(window, zone, w.start - 1).end).toBe(w.start);
          expect(windowAt(window, zone, w.end - 1).key).toBe(w.key);
          // The start is the first instant of a new local date.
          const first = localDate(w.start, zone);
          expect(localDate(w.start - 1, zone) < first).toBe(true);
          expect(w.key).toBe(
            `${window}@${zone}:${window === 'month' ? first.slice(0, 7) : first}`,
          );
          const hours = (w.end - w.start) / HOUR;
          if (window === 'day') {
            expect(localDate(t, zone)).toBe(first);
            expect(hours).toBeGreaterThanOrEqual(23);
            expect(hours).toBeLessThanOrEqual(25);
          } else if (window === 'week') {
            expect(weekday(w.start, zone)).toBe('Mon');
            expect(hours).toBeGreaterThanOrEqual(167);
            expect(hours).toBeLessThanOrEqual(169);
          } else {
            expect(first.endsWith('-01')).toBe(true);
            expect(localDate(t, zone).slice(0, 7)).toBe(first.slice(0, 7));
            expect(hours).toBeGreaterThanOrEqual(28 * 24 - 1);
            expect(hours).toBeLessThanOrEqual(31 * 24 + 1);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  // EU rules: summer time from the last Sunday of March to the last Sunday of
  // October, at 01:00 UTC. US rules: from the second Sunday of March to the
  // first Sunday of November, at 2 am local time.
  it.each([
    ['Europe/Berlin', '2026-03-29T12:00:00Z', '2026-03-28T23:00:00.000Z', 23],
    ['Europe/Berlin', '2026-10-25T12:00:00Z', '2026-10-24T22:00:00.000Z', 25],
    ['Europe/Berlin', '2026-11-30T22:59:59Z', '2026-11-29T23:00:00.000Z', 24],
    [
      'America/New_York',
      '2026-03-08T12:00:00Z',
      '2026-03-08T05:00:00.000Z',
      23,
    ],
    [
      'America/New_York',
      '2026-11-01T12:00:00Z',
      '2026-11-01T04:00:00.000Z',
      25,
    ],
    // Chile: clocks go from 00:00 to 01:00 on 2026-09-06, so the day starts at 01:00 local.
    [
      'America/Santiago',
      '2026-09-06T12:00:00Z',
      '2026-09-06T04:00:00.000Z',
      23,
    ],
  ])(
    'a day in %s around %s starts at %s and lasts %i hours',
    (zone, at, start, hours) => {
      const w = windowAt('day', zone, Date.parse(at));
      expect(new Date(w.start).toISOString()).toBe(start);
      expect((w.end - w.start) / HOUR).toBe(hours);
    },
  );

  it('weeks start on Monday and months on the 1st at midnight in the zone', () => {
    // Sunday 2026-11-29 23:30 in Berlin is 22:30 UTC: still last week there.
    const sunday = windowAt(
      'week',
      'Europe/Berlin',
      Date.parse('2026-11-29T22:30:00Z'),
    );
    expect(sunday.key).toBe('week@Europe/Berlin:2026-11-23');
    expect(new Date(sunday.end).toISOString()).toBe('2026-11-29T23:00:00.000Z');
    // 2026-11-30 23:30 UTC is December 1st in Berlin.
    const december = windowAt(
      'month',
      'Europe/Berlin',
      Date.parse('2026-11-30T23:30:00Z'),
    );
    expect(december.key).toBe('month@Europe/Berlin:2026-12');
    expect(new Date(december.start).toISOString()).toBe(
      '2026-11-30T23:00:00.000Z',
    );
    expect(new Date(december.end).toISOString()).toBe(
      '2026-12-31T23:00:00.000Z',
    );
    // March 2026 in Berlin loses an hour.
    const march = windowAt(
      'month',
      'Europe/Berlin',
      Date.parse('2026-03-15T00:00:00Z'),
    );
    expect((march.end - march.start) / HOUR).toBe(31 * 24 - 1);
  });
});

describe('rolling windows', () => {
  it('are the current hour and the n - 1 before it, reset when the hour ends', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 744 }), (t, n) => {
        const window: BudgetWindow = { rollingHours: n };
        const w = windowAt(window, 'UTC', t);
        expect(w.start).toBeLessThanOrEqual(t);
        expect(t).toBeLessThan(w.end);
        expect(w.end - w.start).toBe(n * HOUR);
        expect(w.end % HOUR).toBe(0);
        expect(w.end - t).toBeLessThanOrEqual(HOUR);
        expect(w.resetAt).toBe(w.end);
        expect(w.hours).toHaveLength(n);
        expect(w.hours?.at(-1)).toBe(Math.floor(t / HOUR));
        expect(w.key).toBe(`rolling:${n}h`);
      }),
      { numRuns: 300 },
    );
  });
});

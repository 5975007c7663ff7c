/**
 * Attack on `report`'s flags, straight through `reportQuery` (what the
 * command runs before any I/O): generated `--tag` lists, `--since` and
 * `--until` garbage, `--until` before `--since`. A flag is either refused
 * with a LedgerQueryError or kept exactly: never dropped silently. Before
 * the fix `--tag __proto__=x` was dropped (assigned to a plain object's
 * prototype) and the report covered every call instead of none.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reportQuery } from '../../../src/cli/report-command.js';
import { LedgerQueryError } from '../../../src/ledger/query/ledger-query.js';

const NOW = new Date('2026-11-30T12:00:00Z');
const base = { by: 'user' as const, format: 'json' as const, tag: [] };

const keyPart = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'toString', 'region', 'a=b'),
  fc.string({ minLength: 0, maxLength: 6 }),
);

describe('report flags', () => {
  it('every --tag is refused or kept as an own key with its value', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(keyPart, fc.string({ maxLength: 6 })), {
          maxLength: 4,
        }),
        pairs => {
          const tag = pairs.map(([k, v]) => `${k}=${v}`);
          let q;
          try {
            q = reportQuery({ ...base, tag }, NOW);
          } catch (error) {
            expect(error).toBeInstanceOf(LedgerQueryError);
            return;
          }
          const expected = new Map<string, string>();
          for (const raw of tag) {
            const at = raw.indexOf('=');
            expected.set(raw.slice(0, at), raw.slice(at + 1));
          }
          const got = Object.entries(q.tags ?? {});
          expect(new Map(got)).toEqual(expected);
          expect(got.length).toBe(tag.length);
        },
      ),
      { numRuns: 400, seed: 42 },
    );
  });

  it('--tag __proto__=x filters on that tag', () => {
    const q = reportQuery({ ...base, tag: ['__proto__=x'] }, NOW);
    expect(Object.entries(q.tags ?? {})).toEqual([['__proto__', 'x']]);
  });

  it('--since and --until: garbage refused, a range always forward', () => {
    const date = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(
        '2026-02-29',
        '2024-02-29',
        '2026-13-01',
        '0d',
        '7d',
        '999999d',
        '2026-11-30T24:00:00Z',
        '2026-11-30T12:00:00+14:00',
        '2026-12-31',
        '1969-12-31',
        '-1d',
        '1e3d',
      ),
    );
    fc.assert(
      fc.property(date, fc.option(date, { nil: undefined }), (since, until) => {
        let q;
        try {
          q = reportQuery(
            { ...base, since, ...(until === undefined ? {} : { until }) },
            NOW,
          );
        } catch (error) {
          expect(error).toBeInstanceOf(LedgerQueryError);
          return;
        }
        expect(Number.isNaN(q.since?.getTime())).toBe(false);
        if (q.until !== undefined && q.since !== undefined) {
          expect(q.since.getTime()).toBeLessThan(q.until.getTime());
        }
      }),
      { numRuns: 400, seed: 7 },
    );
    // Leap days: 2024-02-29 exists, 2026-02-29 does not.
    expect(
      reportQuery({ ...base, since: '2024-02-29' }, NOW).since?.toISOString(),
    ).toBe('2024-02-29T00:00:00.000Z');
    expect(() => reportQuery({ ...base, since: '2026-02-29' }, NOW)).toThrow(
      LedgerQueryError,
    );
    expect(() =>
      reportQuery({ ...base, since: '2026-11-30', until: '2026-11-29' }, NOW),
    ).toThrow(LedgerQueryError);
  });
});

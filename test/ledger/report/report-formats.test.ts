/**
 * The report's text formats: an aligned table that never passes control
 * characters to the terminal, RFC 4180 CSV that reads back to the same
 * values (generated strings) and never starts a cell with a formula, and
 * the report dates (`--since`, `--until`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedgerReportRow } from '../../../src/ledger/query/ledger-query.js';
import {
  CSV_FIELDS,
  formatReportCsv,
} from '../../../src/ledger/report/report-csv.js';
import {
  parseReportDate,
  parseReportTag,
} from '../../../src/ledger/report/report-dates.js';
import { formatReportTable } from '../../../src/ledger/report/report-table.js';

const row = (over: Partial<LedgerReportRow> = {}): LedgerReportRow => ({
  key: 'u-1',
  tenant: 't-a',
  spendUsd: 0.0102,
  calls: 2,
  unpricedCalls: 0,
  inputTokens: 11_000,
  outputTokens: 2500,
  lastSeen: '2026-11-01T23:59:59.999Z',
  topModel: 'gpt-4o',
  ...over,
});

/** A minimal RFC 4180 reader (quoted cells, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      cells.push(cell);
      rows.push(cells);
      cells = [];
      cell = '';
      i += 1;
    } else cell += c;
  }
  return rows;
}

describe('report table', () => {
  it('aligns columns (numbers right, text left), money to the micro-dollar, no key as (none)', () => {
    const text = formatReportTable(
      [
        row(),
        row({
          key: null,
          tenant: null,
          spendUsd: 0.35,
          calls: 1,
          topModel: null,
        }),
      ],
      'user',
    );
    expect(text.split('\n')).toEqual([
      'user    tenant      spend  calls  unpriced  input tokens  output tokens  last seen (UTC)      top model',
      '------  ------  ---------  -----  --------  ------------  -------------  -------------------  ---------',
      'u-1     t-a     $0.010200      2         0         11000           2500  2026-11-01 23:59:59  gpt-4o',
      '(none)  (none)  $0.350000      1         0         11000           2500  2026-11-01 23:59:59  (none)',
    ]);
    expect(formatReportTable([row()], 'tenant').split('\n')[0]).toMatch(
      /^tenant\s+spend/,
    );
  });

  it('escapes control characters of stored ids (an ANSI escape, a carriage return) instead of printing them', () => {
    const text = formatReportTable([row({ key: 'a\u001b[2Jb\rc' })], 'user');
    expect(text).toContain('a\\u001b[2Jb\\u000dc');
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });
});

describe('report CSV', () => {
  it('a header of the row fields, null as an empty cell, CRLF', () => {
    expect(formatReportCsv([row({ tenant: null })])).toBe(
      'key,tenant,spendUsd,calls,unpricedCalls,inputTokens,outputTokens,lastSeen,topModel\r\n' +
        'u-1,,0.0102,2,0,11000,2500,2026-11-01T23:59:59.999Z,gpt-4o\r\n',
    );
  });

  it('generated strings read back the same (quotes, commas, line breaks), except a formula start, which gets a leading quote', () => {
    const text = fc.string({ maxLength: 12, unit: 'grapheme' });
    const interesting = fc.oneof(
      text,
      fc.constantFrom(
        '=1+1',
        '+cmd',
        '-2',
        '@SUM(A1)',
        '\tx',
        '\rx',
        'a,b',
        'a"b',
        '\n',
        ' lead',
        'trail ',
      ),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(interesting, interesting, interesting), {
          maxLength: 5,
        }),
        cells => {
          const rows = cells.map(([key, tenant, model]) =>
            row({ key, tenant, topModel: model }),
          );
          const parsed = parseCsv(formatReportCsv(rows));
          expect(parsed[0]).toEqual([...CSV_FIELDS]);
          expect(parsed).toHaveLength(rows.length + 1);
          rows.forEach((r, i) => {
            const line = parsed[i + 1] as string[];
            for (const [j, field] of [
              [0, 'key'],
              [1, 'tenant'],
              [8, 'topModel'],
            ] as const) {
              const value = r[field] as string;
              const cell = line[j] as string;
              if (/^[=+\-@\t\r]/.test(value)) expect(cell).toBe(`'${value}`);
              else expect(cell).toBe(value);
              expect(cell).not.toMatch(/^[=+\-@\t\r]/);
            }
            expect(Number(line[2])).toBe(r.spendUsd);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('report dates', () => {
  const now = new Date('2026-11-30T15:00:00.000Z');
  it('a date is UTC midnight; as --until it includes that day; a date-time without offset is UTC; 7d and 12h count back from now', () => {
    expect(parseReportDate('2026-11-01', now).toISOString()).toBe(
      '2026-11-01T00:00:00.000Z',
    );
    expect(parseReportDate('2026-11-30', now, true).toISOString()).toBe(
      '2026-12-01T00:00:00.000Z',
    );
    expect(parseReportDate('2026-11-01T10:30', now).toISOString()).toBe(
      '2026-11-01T10:30:00.000Z',
    );
    expect(
      parseReportDate('2026-11-01T10:30:00+02:00', now).toISOString(),
    ).toBe('2026-11-01T08:30:00.000Z');
    expect(parseReportDate('7d', now).toISOString()).toBe(
      '2026-11-23T15:00:00.000Z',
    );
    expect(parseReportDate('12h', now).toISOString()).toBe(
      '2026-11-30T03:00:00.000Z',
    );
  });

  it('refuses what it cannot read, naming the forms it takes', () => {
    for (const bad of [
      'yesterday',
      '2026-02-30',
      '2026-13-01',
      '2026-11-01T25:00Z',
      '7w',
      '',
      '1e3d',
      '2026/11/01',
    ]) {
      expect(() => parseReportDate(bad, now), bad).toThrow(
        /expected a date \(2026-11-30, UTC\)/,
      );
    }
    expect(parseReportTag('region=eu=west')).toEqual(['region', 'eu=west']);
    for (const bad of ['region', '=eu', 'region=']) {
      expect(() => parseReportTag(bad), bad).toThrow(/expected key=value/);
    }
  });
});

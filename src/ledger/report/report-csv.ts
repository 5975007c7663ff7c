import type { LedgerReportRow } from '../query/ledger-query.js';

/**
 * A text cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or
 * a tab or carriage return first) is prefixed with `'` (OWASP's advice on
 * CSV injection); only text cells can start so, never our numbers.
 */
/** The columns, in order: every field of a row. */
export const CSV_FIELDS: readonly (keyof LedgerReportRow)[] = [
  'key',
  'tenant',
  'spendUsd',
  'calls',
  'unpricedCalls',
  'inputTokens',
  'outputTokens',
  'lastSeen',
  'topModel',
];

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell (RFC 4180): quoted when it holds a quote, comma, line break or edge space. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(safe)
    ? `"${safe.replaceAll('"', '""')}"`
    : safe;
}

/**
 * The rows as CSV: a header of the row fields (`key,tenant,spendUsd,...`,
 * as in `--format json`, the same columns whatever the grouping), US
 * dollars unrounded, null as an empty cell, CRLF line ends.
 */
export function formatReportCsv(rows: readonly LedgerReportRow[]): string {
  const lines = [
    CSV_FIELDS.join(','),
    ...rows.map(row => CSV_FIELDS.map(field => csvCell(row[field])).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

import type { LedgerQueryBy, LedgerReportRow } from '../query/ledger-query.js';
import { reportColumns } from './report-cells.js';

/**
 * A text cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or
 * a tab or carriage return first) is prefixed with `'` (OWASP's advice on
 * CSV injection); only text cells can start so, never our numbers.
 */
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
 * as in `--format json`), US dollars unrounded, null as an empty cell,
 * CRLF line ends.
 */
export function formatReportCsv(
  rows: readonly LedgerReportRow[],
  by: LedgerQueryBy,
): string {
  const fields = reportColumns(by).map(column => column.field);
  const lines = [
    fields.join(','),
    ...rows.map(row => fields.map(field => csvCell(row[field])).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

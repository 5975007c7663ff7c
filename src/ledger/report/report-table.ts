import type { LedgerQueryBy, LedgerReportRow } from '../query/ledger-query.js';
import { displayCell, reportColumns } from './report-cells.js';

/**
 * Control characters (ANSI escapes, carriage returns, ...) in a stored id
 * would steer the terminal: shown escaped instead. Every CLI text output
 * of ledger values goes through it (report tables, export summaries).
 */
export function printable(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The rows as an aligned plain-text table for a terminal (numbers right-aligned). */
export function formatReportTable(
  rows: readonly LedgerReportRow[],
  by: LedgerQueryBy,
): string {
  const columns = reportColumns(by);
  const cells = rows.map(row =>
    columns.map(column => printable(displayCell(row, column))),
  );
  const titles = columns.map(column => column.title);
  const widths = titles.map((title, i) =>
    Math.max(title.length, ...cells.map(line => (line[i] ?? '').length)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((value, i) =>
        columns[i]?.numeric === true
          ? value.padStart(widths[i] ?? 0)
          : value.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [
    line(titles),
    line(widths.map(width => '-'.repeat(width))),
    ...cells.map(line),
  ].join('\n');
}

import type { LedgerQueryBy, LedgerReportRow } from '../query/ledger-query.js';

/** A column of a report, as the table, the CSV and the page show it. */
export interface ReportColumn {
  /** The row's field name (the CSV header and the JSON key). */
  readonly field: keyof LedgerReportRow;
  /** The table heading. */
  readonly title: string;
  /** Right-aligned in a table. */
  readonly numeric: boolean;
}

/** What the absent key of a group shows as (no user, no tenant, ...). */
export const NO_VALUE = '(none)';

/** The columns for a grouping (`by: 'tenant'` has no separate tenant column). */
export function reportColumns(by: LedgerQueryBy): ReportColumn[] {
  const columns: ReportColumn[] = [
    { field: 'key', title: by, numeric: false },
    { field: 'tenant', title: 'tenant', numeric: false },
    { field: 'spendUsd', title: 'spend', numeric: true },
    { field: 'calls', title: 'calls', numeric: true },
    { field: 'unpricedCalls', title: 'unpriced', numeric: true },
    { field: 'inputTokens', title: 'input tokens', numeric: true },
    { field: 'outputTokens', title: 'output tokens', numeric: true },
    { field: 'lastSeen', title: 'last seen (UTC)', numeric: false },
    { field: 'topModel', title: 'top model', numeric: false },
  ];
  return by === 'tenant' ? columns.filter(c => c.field !== 'tenant') : columns;
}

/** US dollars for people: six decimals (a micro-dollar) and a dollar sign. */
export function formatUsd(usd: number): string {
  return `$${usd.toFixed(6)}`;
}

/** A cell for people (table, page): money with `$`, null as `(none)`, times to the second. */
export function displayCell(
  row: LedgerReportRow,
  column: ReportColumn,
): string {
  const value = row[column.field];
  if (column.field === 'spendUsd') return formatUsd(value as number);
  if (column.field === 'lastSeen') {
    return (value as string).replace('T', ' ').replace(/\.\d+Z$/, '');
  }
  if (value === null) return NO_VALUE;
  return String(value);
}

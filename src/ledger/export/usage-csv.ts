import type { LedgerStore } from '../ledger-store.js';
import {
  aggregateDailyUsage,
  type DailyUsage,
  type ExportCustomerBy,
} from './aggregate-usage.js';
import { byDayThenCustomer } from './plan-export.js';
import {
  parseExportPeriod,
  splitClosedDays,
  type ExportPeriod,
} from './export-period.js';
import { csvCell } from '../report/report-csv.js';

/** Columns of the CSV export, in order. */
export const USAGE_CSV_COLUMNS = [
  'day',
  'customer_by',
  'customer',
  'calls',
  'unpriced_calls',
  'input_tokens',
  'output_tokens',
  'cost_nusd',
  'cost_usd',
] as const;

/** Exact USD text of integer nano-dollars (`1234567` → `0.001234567`). */
export function usdOfNanoUsd(nanoUsd: number): string {
  const sign = nanoUsd < 0 ? '-' : '';
  const digits = String(Math.abs(nanoUsd)).padStart(10, '0');
  return `${sign}${digits.slice(0, -9)}.${digits.slice(-9)}`;
}

/** The lines of the CSV export (header first, `\r\n` line ends, RFC 4180). */
export function renderUsageCsv(
  by: ExportCustomerBy,
  usage: readonly DailyUsage[],
): string {
  const lines = [USAGE_CSV_COLUMNS.join(',')];
  for (const row of usage) {
    lines.push(
      [
        row.day,
        by,
        csvCell(row.customer ?? ''),
        String(row.calls),
        String(row.unpricedCalls),
        String(row.inputTokens),
        String(row.outputTokens),
        String(row.costNanoUsd),
        usdOfNanoUsd(row.costNanoUsd),
      ].join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * The same aggregation as the billing export, as CSV: every customer-day
 * of the period's ended UTC days (calls without a customer under an empty
 * customer), whole totals (no outbox: a file is not a destination that
 * bills). Unpriced calls are counted, never priced as $0.
 */
export async function exportUsageCsv(options: {
  readonly store: LedgerStore;
  readonly period: string | ExportPeriod;
  readonly by?: ExportCustomerBy;
  readonly now?: () => number;
}): Promise<{ csv: string; days: string[]; openDays: string[] }> {
  const by = options.by ?? 'tenant';
  const period =
    typeof options.period === 'string'
      ? parseExportPeriod(options.period)
      : options.period;
  const { closed, open } = splitClosedDays(period, (options.now ?? Date.now)());
  const usage = (await aggregateDailyUsage(options.store, by, closed)).sort(
    byDayThenCustomer,
  );
  return { csv: renderUsageCsv(by, usage), days: closed, openDays: open };
}

/**
 * The demo's closing report, read back from the cost ledger (not from
 * spans held in memory): per-user and per-tenant tables through
 * `ledger.query(...)`, and the HTML page the `report` command writes.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  openLedgerReader,
  type CostLedger,
  type LedgerReportRow,
} from 'otel-genai-cost';
import {
  formatReportTable,
  readReportPageData,
  renderReportPage,
} from 'otel-genai-cost/core';

export interface LedgerReport {
  /** The printed tables and pointers. */
  readonly text: string;
  readonly users: readonly LedgerReportRow[];
  readonly tenants: readonly LedgerReportRow[];
  /** Priced spend over every call, in USD. */
  readonly totalUsd: number;
  readonly calls: number;
  readonly unpricedCalls: number;
  /** The HTML page written next to the ledger. */
  readonly pagePath: string;
}

const sum = (
  rows: readonly LedgerReportRow[],
  pick: (r: LedgerReportRow) => number,
) => rows.reduce((total, row) => total + pick(row), 0);

export async function reportFromLedger(
  ledger: CostLedger,
  ledgerPath: string,
  options: { readonly topUsers: number },
): Promise<LedgerReport> {
  // query() writes what is still queued first.
  const users = await ledger.query({ by: 'user' });
  const tenants = await ledger.query({ by: 'tenant' });
  const reader = await openLedgerReader(`sqlite:${ledgerPath}`);
  const pagePath = join(dirname(ledgerPath), 'demo-report.html');
  try {
    writeFileSync(
      pagePath,
      renderReportPage(await readReportPageData(reader.store, { by: 'user' })),
    );
  } finally {
    await reader.close();
  }
  const totalUsd = sum(tenants, r => r.spendUsd);
  const calls = sum(tenants, r => r.calls);
  const unpricedCalls = sum(tenants, r => r.unpricedCalls);
  const shown = users.slice(0, options.topUsers);
  const text = [
    `Per user (from the cost ledger; top ${shown.length} of ${users.length} by spend)`,
    formatReportTable(shown, 'user'),
    '',
    `Per tenant (${tenants.length} tenants)`,
    formatReportTable(tenants, 'tenant'),
    '',
    `Total: $${totalUsd.toFixed(6)} over ${calls} LLM calls (${unpricedCalls} unpriced: unknown model, counted but never priced at $0)`,
    '',
    `Ledger: ${ledgerPath}`,
    `Report: npx otel-genai-cost report --ledger sqlite:${ledgerPath} --by user`,
    `        (--by tenant|model|plan|feature|day, --since 7d, --tenant <id>, --format csv|json|html)`,
    `Page:   ${pagePath}`,
  ].join('\n');
  return { text, users, tenants, totalUsd, calls, unpricedCalls, pagePath };
}

import type { LedgerQuery } from '../query/ledger-query.js';
import { usdOfNanoUsd } from '../query/sql-values.js';
import { escapeHtml } from './escape-html.js';
import { barList, stackedDailyChart } from './report-charts.js';
import {
  displayCell,
  formatUsd,
  NO_VALUE,
  reportColumns,
} from './report-cells.js';
import type { ReportPageData } from './report-page-data.js';

/**
 * No script, no request: the policy forbids everything but the inline
 * style (a page opened offline, or from a mail attachment, loads nothing).
 */
const POLICY = "default-src 'none'; style-src 'unsafe-inline'";

const STYLE = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#222;background:#fff}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
.meta{color:#666;margin:0 0 12px}.totals{display:flex;gap:24px;margin:12px 0}
.totals div{background:#f4f6f8;padding:8px 12px;border-radius:6px}.totals b{display:block;font-size:18px}
.tick{font-size:11px;fill:#555}.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:12px;margin:6px 0}
.swatch{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
.bars{list-style:none;padding:0;margin:0;max-width:880px}.bar-row{display:grid;grid-template-columns:220px 1fr 220px;gap:8px;align-items:center;margin:3px 0}
.bar-label{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}.bar-track{background:#eef1f4;height:12px;border-radius:3px}
.bar{display:block;background:#4e79a7;height:12px;border-radius:3px}.bar-value{font-variant-numeric:tabular-nums;color:#444}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:24px}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}th,td{padding:4px 10px;border-bottom:1px solid #e3e6ea;text-align:left}
th{background:#f4f6f8}td.num,th.num{text-align:right}.empty{color:#666}
`;

function filterText(q: LedgerQuery): string {
  const parts = [
    q.since === undefined
      ? 'from the first call'
      : `since ${q.since.toISOString()}`,
    q.until === undefined ? 'to the last' : `until ${q.until.toISOString()}`,
  ];
  if (q.tenantId !== undefined) parts.push(`tenant ${q.tenantId}`);
  if (q.userId !== undefined) parts.push(`user ${q.userId}`);
  for (const [k, v] of Object.entries(q.tags ?? {})) parts.push(`${k}=${v}`);
  if (q.top !== undefined) parts.push(`top ${q.top}`);
  return parts.join(' · ');
}

/**
 * One self-contained HTML page (inline CSS and SVG, no script, no URL):
 * totals, spend per day stacked by tenant, top users, model mix and the
 * report's table. Every stored value is escaped.
 */
export function renderReportPage(data: ReportPageData): string {
  const { query } = data;
  const spend = data.daily.reduce((a, d) => a + d.spendNanoUsd, 0n);
  const calls = data.daily.reduce((a, d) => a + d.calls, 0);
  const unpriced = data.models.reduce((a, m) => a + m.unpricedCalls, 0);
  const chart = stackedDailyChart(data.daily);
  const modelTotal = usdOfNanoUsd(spend);
  const columns = reportColumns(query.by);
  const head = columns
    .map(
      c => `<th${c.numeric ? ' class="num"' : ''}>${escapeHtml(c.title)}</th>`,
    )
    .join('');
  const body = data.rows
    .map(
      row =>
        `<tr>${columns.map(c => `<td${c.numeric ? ' class="num"' : ''}>${escapeHtml(displayCell(row, c))}</td>`).join('')}</tr>`,
    )
    .join('\n');
  const empty = (what: string) =>
    `<p class="empty">No ${what} in this range.</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${POLICY}">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>LLM spend by ${escapeHtml(query.by)}</title>
<style>${STYLE}</style></head>
<body>
<h1>LLM spend by ${escapeHtml(query.by)}</h1>
<p class="meta">${escapeHtml(filterText(query))} · generated ${escapeHtml(data.generatedAt)} by otel-genai-cost</p>
<div class="totals"><div>Spend<b id="total-spend">${escapeHtml(formatUsd(usdOfNanoUsd(spend)))}</b></div><div>Calls<b id="total-calls">${calls}</b></div><div>Unpriced calls<b id="total-unpriced">${unpriced}</b></div></div>
<h2>Spend per day, by tenant (UTC)</h2>
${data.daily.length === 0 ? empty('calls') : chart.svg}
<ul class="legend">${chart.legend.map(e => `<li><span class="swatch" style="background:${e.colour}"></span>${escapeHtml(e.label)}</li>`).join('')}</ul>
<div class="grid"><section><h2>Top users</h2>
${
  data.topUsers.length === 0
    ? empty('users')
    : barList(
        'top-users',
        data.topUsers.map(u => ({
          label: `${u.key ?? NO_VALUE}${u.tenant === null ? '' : ` (${u.tenant})`}`,
          usd: u.spendUsd,
          note: `· ${u.calls} calls`,
        })),
      )
}
</section><section><h2>Model mix</h2>
${
  data.models.length === 0
    ? empty('models')
    : barList(
        'model-mix',
        data.models.map(m => ({
          label: m.key ?? NO_VALUE,
          usd: m.spendUsd,
          unpriced: m.unpricedCalls === m.calls,
          note: `· ${modelTotal > 0 ? ((100 * m.spendUsd) / modelTotal).toFixed(1) : '0.0'}% · ${m.calls} calls${m.unpricedCalls > 0 ? `, ${m.unpricedCalls} unpriced` : ''}`,
        })),
      )
}
</section></div>
<h2>By ${escapeHtml(query.by)} (${data.rows.length} rows)</h2>
<table id="rows"><thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody></table>
</body></html>
`;
}

import type { DailyTenantSpend } from '../query/daily-spend.js';
import { usdOfNanoUsd } from '../query/sql-values.js';
import { escapeHtml } from './escape-html.js';
import { formatUsd, NO_VALUE } from './report-cells.js';

/** Tenants with a colour of their own in the stacked chart; the rest are "other". */
export const STACKED_TENANTS = 8;
/** Gaps between days are filled (as empty days) up to this many days. */
const MAX_FILLED_DAYS = 366;
const DAY_MILLIS = 86_400_000;

export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
];
export const OTHER_COLOUR = '#bab0ac';
export const OTHER_TENANTS = '(other tenants)';

export interface LegendEntry {
  readonly label: string;
  readonly colour: string;
}

export interface StackedChart {
  readonly svg: string;
  readonly legend: readonly LegendEntry[];
}

function daysOf(daily: readonly DailyTenantSpend[]): string[] {
  const present = [...new Set(daily.map(d => d.day))].sort();
  const first = present[0];
  const last = present.at(-1);
  if (first === undefined || last === undefined) return [];
  const span = (Date.parse(last) - Date.parse(first)) / DAY_MILLIS + 1;
  if (span > MAX_FILLED_DAYS) return present;
  return Array.from({ length: span }, (_, i) =>
    new Date(Date.parse(first) + i * DAY_MILLIS).toISOString().slice(0, 10),
  );
}

/**
 * Spend per day stacked by tenant, as inline SVG: the biggest
 * `STACKED_TENANTS` tenants have a colour each, the others share one. Each
 * segment's tooltip (`<title>`) names the day, tenant and spend.
 */
export function stackedDailyChart(
  daily: readonly DailyTenantSpend[],
): StackedChart {
  const byTenant = new Map<string, bigint>();
  const name = (t: string | null) => t ?? NO_VALUE;
  for (const d of daily) {
    byTenant.set(
      name(d.tenant),
      (byTenant.get(name(d.tenant)) ?? 0n) + d.spendNanoUsd,
    );
  }
  const ranked = [...byTenant]
    .sort(([a, x], [b, y]) => (x === y ? (a < b ? -1 : 1) : x > y ? -1 : 1))
    .map(([tenant]) => tenant);
  const named = ranked.slice(0, STACKED_TENANTS);
  const legend: LegendEntry[] = named.map((label, i) => ({
    label,
    colour: PALETTE[i % PALETTE.length] as string,
  }));
  if (ranked.length > named.length)
    legend.push({ label: OTHER_TENANTS, colour: OTHER_COLOUR });
  const days = daysOf(daily);
  // day -> series -> nano-dollars
  const stacks = new Map<string, Map<string, bigint>>(
    days.map(d => [d, new Map()]),
  );
  for (const d of daily) {
    const series = named.includes(name(d.tenant))
      ? name(d.tenant)
      : OTHER_TENANTS;
    const stack = stacks.get(d.day);
    stack?.set(series, (stack.get(series) ?? 0n) + d.spendNanoUsd);
  }
  const totals = days.map(day =>
    [...(stacks.get(day)?.values() ?? [])].reduce((a, b) => a + b, 0n),
  );
  const max = usdOfNanoUsd(totals.reduce((a, b) => (b > a ? b : a), 0n));
  const [w, h, left, top, bottom] = [880, 280, 84, 12, 36];
  const plotW = w - left - 8;
  const plotH = h - top - bottom;
  const step = days.length === 0 ? plotW : plotW / days.length;
  const barW = Math.max(1, step * 0.8);
  const parts: string[] = [];
  days.forEach((day, i) => {
    let y = top + plotH;
    const x = left + i * step + (step - barW) / 2;
    for (const entry of legend) {
      const nusd = stacks.get(day)?.get(entry.label);
      if (nusd === undefined || nusd === 0n || max === 0) continue;
      const usd = usdOfNanoUsd(nusd);
      const height = (usd / max) * plotH;
      y -= height;
      parts.push(
        `<rect class="seg" x="${x.toFixed(2)}" y="${y.toFixed(2)}" width="${barW.toFixed(2)}" height="${height.toFixed(2)}" fill="${entry.colour}"><title>${escapeHtml(`${day} · ${entry.label}: ${formatUsd(usd)}`)}</title></rect>`,
      );
    }
  });
  const every = Math.max(1, Math.ceil(days.length / 10));
  const labels = days
    .map((day, i) =>
      i % every === 0 || i === days.length - 1
        ? `<text class="tick" x="${(left + i * step + step / 2).toFixed(2)}" y="${h - 14}" text-anchor="middle">${escapeHtml(day.slice(5))}</text>`
        : '',
    )
    .join('');
  const svg = `<svg id="daily-chart" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="Spend per day, stacked by tenant">
<line x1="${left}" y1="${top + plotH}" x2="${w - 8}" y2="${top + plotH}" stroke="#888"/>
<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#888"/>
<text class="tick" x="${left - 6}" y="${top + 10}" text-anchor="end">${escapeHtml(formatUsd(max))}</text>
<text class="tick" x="${left - 6}" y="${top + plotH}" text-anchor="end">$0</text>
${parts.join('\n')}
${labels}
</svg>`;
  return { svg, legend };
}

/** One bar of a horizontal bar list. */
export interface Bar {
  readonly label: string;
  readonly usd: number;
  readonly note: string;
  /** Shown as "unpriced", never as $0. */
  readonly unpriced?: boolean;
}

/** Horizontal bars in HTML and CSS (widths relative to the biggest). */
export function barList(id: string, bars: readonly Bar[]): string {
  const max = Math.max(0, ...bars.map(b => b.usd));
  const rows = bars.map(
    b =>
      `<li class="bar-row"><span class="bar-label">${escapeHtml(b.label)}</span><span class="bar-track"><span class="bar" style="width:${max > 0 ? ((100 * b.usd) / max).toFixed(2) : '0'}%"></span></span><span class="bar-value">${escapeHtml(b.unpriced === true ? 'unpriced' : formatUsd(b.usd))} ${escapeHtml(b.note)}</span></li>`,
  );
  return `<ol id="${id}" class="bars">${rows.join('')}</ol>`;
}

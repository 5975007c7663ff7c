/**
 * The HTML report page: self-contained (no script, no URL), every stored
 * value escaped (generated hostile values never change the page's
 * structure), rendered by headless Chromium with the network off (its DOM
 * has the charts and rows; a screenshot at a fixed size is not blank).
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerReportRow } from '../../../src/ledger/query/ledger-query.js';
import {
  PAGE_TOP_USERS,
  readReportPageData,
  type ReportPageData,
} from '../../../src/ledger/report/report-page-data.js';
import { renderReportPage } from '../../../src/ledger/report/report-page.js';
import {
  chromiumBinary,
  dumpDom,
  readPng,
  screenshot,
} from '../../helpers/chromium.js';
import {
  nanoUsdOf,
  sampleCalls,
  sqliteWith,
  type TempStore,
} from './report-fixture.js';

const CALLS = sampleCalls(1);
const NOW = new Date('2026-11-30T12:00:00Z');
let t: TempStore;
let page: string;
let dir: string;
beforeAll(async () => {
  t = await sqliteWith(CALLS);
  page = renderReportPage(
    await readReportPageData(t.store, { by: 'user', top: 20 }, NOW),
  );
  dir = mkdtempSync(join(tmpdir(), 'report-page-'));
}, 60_000);
afterAll(async () => {
  await t.remove();
  rmSync(dir, { recursive: true, force: true });
});

/** The page's spend total from published prices, formatted as it shows it. */
function expectedTotal(): string {
  const nusd = CALLS.reduce((a, c) => a + BigInt(nanoUsdOf(c) ?? 0), 0n);
  return `$${(Number(nusd) / 1e9).toFixed(6)}`;
}

/** Every tag name, in order: the page's structure. */
const tags = (html: string) =>
  [...html.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map(m => m[1]?.toLowerCase());

describe('report page (static)', () => {
  it('is self-contained: no script, no URL, a policy that allows nothing to load', () => {
    expect(page).not.toMatch(
      /<script|javascript:|\bsrc=|\bhref=|url\(|@import/i,
    );
    expect(page).not.toMatch(/https?:|\/\/[a-z]/i);
    expect(page).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    );
    expect(page).toContain(`<b id="total-spend">${expectedTotal()}</b>`);
    expect(page).toContain(`<b id="total-calls">${CALLS.length}</b>`);
  });

  it('generated hostile values (ids, tenants, models, tags) never change the structure: the same tags in the same order as with plain values', () => {
    const hostile = fc.oneof(
      fc.string({ maxLength: 20, unit: 'binary' }),
      fc.constantFrom(
        '<script>alert(1)</script>',
        '"><img src=x onerror=alert(1)>',
        "'><svg onload=alert(1)>",
        '</td></tr></table><script>',
        '&lt;script&gt;',
        '<!--',
        ']]>',
        '\u0000\u001b[31m',
        '\ud800',
      ),
    );
    const row = (
      key: string,
      tenant: string,
      model: string,
    ): LedgerReportRow => ({
      key,
      tenant,
      spendUsd: 0.25,
      calls: 3,
      unpricedCalls: 1,
      inputTokens: 10,
      outputTokens: 5,
      lastSeen: '2026-11-03T10:00:00.000Z',
      topModel: model,
    });
    const data = (
      k: string,
      tn: string,
      m: string,
      tag: [string, string],
    ): ReportPageData => ({
      query: {
        by: 'user',
        tenantId: tn,
        userId: k,
        tags: { [tag[0]]: tag[1] },
      },
      rows: [row(k, tn, m)],
      topUsers: [row(k, tn, m)],
      models: [row(m, tn, m)],
      daily: [
        { day: '2026-11-03', tenant: tn, spendNanoUsd: 250_000_000n, calls: 3 },
      ],
      generatedAt: NOW.toISOString(),
    });
    const plain = tags(renderReportPage(data('u', 't', 'm', ['k', 'v'])));
    fc.assert(
      fc.property(
        hostile,
        hostile,
        hostile,
        hostile,
        hostile,
        (k, tn, m, tk, tv) => {
          const html = renderReportPage(data(k, tn, m, [tk, tv]));
          expect(tags(html)).toEqual(plain);
          expect(html).not.toMatch(/<script|<img|<svg onload/i);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe.runIf(chromiumBinary() !== undefined)(
  'report page in headless Chromium',
  () => {
    const chromium = () => chromiumBinary() as string;

    it('renders offline: the stacked daily chart, top users, model mix and the rows', async () => {
      const file = join(dir, 'report.html');
      writeFileSync(file, page);
      const dom = await dumpDom(chromium(), file);
      const days = new Set(CALLS.map(c => c.time.slice(0, 10)));
      expect(dom).toMatch(/<svg id="daily-chart"/);
      const segments = dom.match(/<rect class="seg"/g) ?? [];
      // At least one segment a day, at most one per day and colour (9).
      expect(segments.length).toBeGreaterThanOrEqual(days.size);
      expect(segments.length).toBeLessThanOrEqual(days.size * 9);
      const list = (id: string) =>
        (
          new RegExp(`<ol id="${id}" class="bars">(.*?)</ol>`, 's').exec(
            dom,
          )?.[1] ?? ''
        ).match(/<li /g)?.length;
      expect(list('top-users')).toBe(PAGE_TOP_USERS);
      expect(list('model-mix')).toBe(4); // gpt-4o, gpt-4o-mini, claude-sonnet-4-5, acme-llm-1
      const body =
        /<table id="rows">.*?<tbody>(.*?)<\/tbody>/s.exec(dom)?.[1] ?? '';
      expect(body.match(/<tr>/g)).toHaveLength(20);
      expect(dom).toContain(`<b id="total-spend">${expectedTotal()}</b>`);
      expect(dom).toMatch(/acme-llm-1<\/span>.*?unpriced/s);
    });

    it('hostile values stay text in the rendered DOM (no element, no script runs)', async () => {
      const evil =
        '<img src=x onerror="document.title=1"><script>document.title=2</script>';
      const row: LedgerReportRow = {
        key: evil,
        tenant: `"'><b>${evil}`,
        spendUsd: 1,
        calls: 1,
        unpricedCalls: 0,
        inputTokens: 1,
        outputTokens: 1,
        lastSeen: '2026-11-03T10:00:00.000Z',
        topModel: evil,
      };
      const html = renderReportPage({
        query: { by: 'user' },
        rows: [row],
        topUsers: [row],
        models: [{ ...row, key: evil }],
        daily: [
          {
            day: '2026-11-03',
            tenant: evil,
            spendNanoUsd: 1_000_000_000n,
            calls: 1,
          },
        ],
        generatedAt: NOW.toISOString(),
      });
      const file = join(dir, 'hostile.html');
      writeFileSync(file, html);
      const dom = await dumpDom(chromium(), file);
      expect(dom).toContain('<title>LLM spend by user</title>');
      expect(dom).not.toMatch(/<img|<script|<b>/i);
      expect(dom).toContain('&lt;img src=x onerror="document.title=1"&gt;');
    });

    it('screenshot at 1200x1500: a PNG of that size, mostly drawn (not blank), with the chart colours', async () => {
      const file = join(dir, 'report.html');
      writeFileSync(file, page);
      const out = join(dir, 'report.png');
      await screenshot(chromium(), file, out, 1200, 1500);
      const png = readPng(out);
      expect([png.width, png.height]).toEqual([1200, 1500]);
      let drawn = 0;
      let firstTenant = 0; // #4e79a7, the biggest tenant's colour and the bars'
      for (let i = 0; i < png.rgba.length; i += 4) {
        const r = png.rgba[i] as number;
        const g = png.rgba[i + 1] as number;
        const b = png.rgba[i + 2] as number;
        if (r < 245 || g < 245 || b < 245) drawn += 1;
        if (
          Math.abs(r - 0x4e) < 6 &&
          Math.abs(g - 0x79) < 6 &&
          Math.abs(b - 0xa7) < 6
        )
          firstTenant += 1;
      }
      const pixels = png.width * png.height;
      expect(drawn / pixels).toBeGreaterThan(0.05);
      expect(drawn / pixels).toBeLessThan(0.9);
      expect(firstTenant).toBeGreaterThan(2000);
      if (process.env['REPORT_SCREENSHOT_OUT'] !== undefined) {
        writeFileSync(process.env['REPORT_SCREENSHOT_OUT'], readFileSync(out));
      }
    });
  },
);

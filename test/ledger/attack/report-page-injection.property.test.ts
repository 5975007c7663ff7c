/**
 * Attack on the HTML page: generated hostile ids (tags, quotes, comment
 * and CDATA openers, `</style>`, `javascript:` URLs, control characters,
 * lone surrogates) as user, tenant, model keys and tag filters. The page
 * must have exactly the markup it has with harmless ids (the same tag
 * sequence, so no id opens an element or attribute), never a script or
 * event handler, and the same CSP.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedgerReportRow } from '../../../src/ledger/query/ledger-query.js';
import type { ReportPageData } from '../../../src/ledger/report/report-page-data.js';
import { renderReportPage } from '../../../src/ledger/report/report-page.js';

const pieces = fc.constantFrom(
  '<script>alert(1)</script>',
  '</title><svg onload=alert(1)>',
  '" onmouseover="x',
  "' style='background:url(javascript:x)",
  '</style><style>*{display:none}',
  '<!--',
  ']]>',
  '<![CDATA[',
  '&lt;',
  '\u0000',
  '\ud800',
  '\u2028',
  'javascript:alert(1)',
  '{}',
  'a',
);
const hostile = fc
  .array(pieces, { minLength: 1, maxLength: 4 })
  .map(parts => parts.join(''));

function row(key: string, tenant: string, model: string): LedgerReportRow {
  return {
    key,
    tenant,
    spendUsd: 1.25,
    calls: 3,
    unpricedCalls: 1,
    inputTokens: 1000,
    outputTokens: 100,
    lastSeen: '2026-11-29T10:00:00.000Z',
    topModel: model,
  };
}

function page(ids: readonly (readonly [string, string, string])[]): string {
  const rows = ids.map(([u, t, m]) => row(u, t, m));
  const data: ReportPageData = {
    query: {
      by: 'user',
      tenantId: ids[0]?.[1],
      tags: { [ids[0]?.[0] ?? 'k']: ids[0]?.[2] ?? 'v' },
    },
    rows,
    daily: ids.map(([, t], i) => ({
      day: `2026-11-${String(10 + i).padStart(2, '0')}`,
      tenant: t,
      spendNanoUsd: 1_250_000_000n,
      calls: 3,
    })),
    topUsers: rows,
    models: ids.map(([, , m]) => ({ ...row(m, 'x', m), key: m })),
    generatedAt: '2026-11-30T12:00:00.000Z',
  };
  return renderReportPage(data);
}

/**
 * The markup: every tag, its name and attribute names, in order (data
 * never holds a raw `<` or `>`, so each `<...>` is markup; quoted
 * attribute values are left out).
 */
function markup(html: string): string[] {
  return [...html.matchAll(/<[^>]*>/g)].map(([tag]) =>
    tag.replace(/"[^"]*"|'[^']*'/g, '""'),
  );
}

describe('report page with hostile ids', () => {
  it('has the markup of the same page with harmless ids', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(hostile, hostile, hostile), {
          minLength: 1,
          maxLength: 5,
        }),
        generated => {
          // Distinct ids (equal ones share a legend entry or bar).
          const ids = generated.map(
            ([u, t, m], i) => [`${u}${i}`, `${t}${i}`, `${m}${i}`] as const,
          );
          const html = page(ids);
          const plain = page(
            ids.map(
              (_, i) => [`u${i}`, `t${i}`, `m${i}`] as [string, string, string],
            ),
          );
          expect(markup(html)).toEqual(markup(plain));
          expect(markup(html).join('')).not.toMatch(/script|onload|onmouse/i);
          expect(html).not.toMatch(/<script|<!--|<!\[CDATA/i);
          expect(html).not.toMatch(
            // eslint-disable-next-line no-control-regex
            /[\u0000]|[\ud800-\udbff](?![\udc00-\udfff])/,
          );
          expect(html).toContain(
            `content="default-src 'none'; style-src 'unsafe-inline'"`,
          );
        },
      ),
      { numRuns: 300, seed: 2026 },
    );
  });
});

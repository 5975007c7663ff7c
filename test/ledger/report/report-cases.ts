/**
 * The report cases every store must pass (SQLite and PostgreSQL run the
 * same list): grouping, tenant semantics, filters, order, `top`, exact
 * sums, and hostile strings as bound values. Expected money comes from
 * published prices (report-fixture.ts), worked out by hand here.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LedgerRow } from '../../../src/ledger/ledger-row.js';
import type {
  LedgerQuery,
  LedgerReportRow,
} from '../../../src/ledger/query/ledger-query.js';
import { queryLedger } from '../../../src/ledger/query/query-ledger.js';
import { dailySpendByTenant } from '../../../src/ledger/query/daily-spend.js';
import { rowOf, type Call, type TempStore } from './report-fixture.js';

/** Seven calls over four UTC days (prices: see each line). */
export const CALLS: readonly Call[] = [
  // gpt-4o $2.50/$10: 1000 in + 500 out = $0.0025 + $0.005 = $0.0075
  {
    time: '2026-11-01T09:00:00Z',
    user: 'u-1',
    tenant: 't-a',
    plan: 'pro',
    feature: 'chat',
    tags: { region: 'eu' },
    model: 'gpt-4o',
    input: 1000,
    output: 500,
  },
  // gpt-4o-mini $0.15/$0.60: 10,000 in + 2,000 out = $0.0015 + $0.0012 = $0.0027 (last ms of Nov 1)
  {
    time: '2026-11-01T23:59:59.999Z',
    user: 'u-1',
    tenant: 't-a',
    plan: 'pro',
    feature: 'chat',
    tags: { region: 'eu' },
    model: 'gpt-4o-mini',
    input: 10_000,
    output: 2000,
  },
  // claude-sonnet-4-5 $3/$15: 2000 in + 300 out = $0.006 + $0.0045 = $0.0105 (first ms of Nov 2)
  {
    time: '2026-11-02T00:00:00.000Z',
    user: 'u-2',
    tenant: 't-a',
    plan: 'pro',
    feature: 'search',
    tags: { region: 'us' },
    model: 'claude-sonnet-4-5',
    input: 2000,
    output: 300,
  },
  // unknown model: unpriced (the same user id in another tenant)
  {
    time: '2026-11-02T10:00:00Z',
    user: 'u-2',
    tenant: 't-b',
    plan: 'free',
    feature: 'search',
    model: 'acme-llm-1',
    input: 100,
    output: 10,
  },
  // gpt-4o-mini: 17 in + 3 out = $0.00000255 + $0.0000018 = $0.00000435
  {
    time: '2026-11-03T10:00:00Z',
    user: 'u-3',
    tenant: 't-b',
    plan: 'free',
    feature: 'chat',
    tags: { region: 'eu' },
    model: 'gpt-4o-mini',
    input: 17,
    output: 3,
  },
  // gpt-4o: 1 in + 1 out = $0.0000025 + $0.00001 = $0.0000125, no user, no tenant
  { time: '2026-11-03T11:00:00Z', model: 'gpt-4o', input: 1, output: 1 },
  // gpt-4o: 100,000 in + 10,000 out = $0.25 + $0.10 = $0.35
  {
    time: '2026-11-04T00:00:00Z',
    user: 'u-4',
    tenant: 't-c',
    plan: 'enterprise',
    feature: 'chat',
    model: 'gpt-4o',
    input: 100_000,
    output: 10_000,
  },
];

type Brief = [string | null, string | null, number, number, number];
/** key, tenant, spend, calls, unpriced of each row, in order. */
const brief = (rows: readonly LedgerReportRow[]): Brief[] =>
  rows.map(r => [r.key, r.tenant, r.spendUsd, r.calls, r.unpricedCalls]);

/** Registers the cases on stores made by `open` (each call: a fresh ledger). */
export function reportCases(
  open: (
    calls: readonly Call[],
    rows?: readonly LedgerRow[],
  ) => Promise<TempStore>,
): void {
  let t: TempStore;
  beforeAll(async () => {
    t = await open(CALLS);
  }, 60_000);
  afterAll(() => t?.remove());
  const q = (query: LedgerQuery) => queryLedger(t.store, query);

  it('by user: one row per (user, tenant), biggest spend first, no user as null, unpriced counted at no spend', async () => {
    const rows = await q({ by: 'user' });
    expect(brief(rows)).toEqual([
      ['u-4', 't-c', 0.35, 1, 0],
      ['u-2', 't-a', 0.0105, 1, 0],
      ['u-1', 't-a', 0.0102, 2, 0],
      [null, null, 0.0000125, 1, 0],
      ['u-3', 't-b', 0.00000435, 1, 0],
      ['u-2', 't-b', 0, 1, 1],
    ]);
    expect(rows[2]).toEqual({
      key: 'u-1',
      tenant: 't-a',
      spendUsd: 0.0102,
      calls: 2,
      unpricedCalls: 0,
      inputTokens: 11_000,
      outputTokens: 2500,
      lastSeen: '2026-11-01T23:59:59.999Z',
      topModel: 'gpt-4o', // $0.0075 beats gpt-4o-mini's $0.0027
    });
    expect(rows[5]?.topModel).toBe('acme-llm-1');
  });

  it('by tenant: the tenant is the key; the top model is the one with most spend', async () => {
    const rows = await q({ by: 'tenant' });
    expect(brief(rows)).toEqual([
      ['t-c', 't-c', 0.35, 1, 0],
      ['t-a', 't-a', 0.0207, 3, 0],
      [null, null, 0.0000125, 1, 0],
      ['t-b', 't-b', 0.00000435, 2, 1],
    ]);
    expect(rows.map(r => r.topModel)).toEqual([
      'gpt-4o',
      'claude-sonnet-4-5',
      'gpt-4o',
      'gpt-4o-mini', // priced beats unpriced
    ]);
  });

  it('by day (UTC, the last and first millisecond on the right side of midnight): in day order, the tenant only when the day has one', async () => {
    const rows = await q({ by: 'day' });
    expect(brief(rows)).toEqual([
      ['2026-11-01', 't-a', 0.0102, 2, 0],
      ['2026-11-02', null, 0.0105, 2, 1],
      ['2026-11-03', null, 0.00001685, 2, 0],
      ['2026-11-04', 't-c', 0.35, 1, 0],
    ]);
    // top keeps the latest days, still in order.
    expect((await q({ by: 'day', top: 2 })).map(r => r.key)).toEqual([
      '2026-11-03',
      '2026-11-04',
    ]);
  });

  it('by model, plan and feature', async () => {
    expect(brief(await q({ by: 'model' }))).toEqual([
      ['gpt-4o', null, 0.3575125, 3, 0],
      ['claude-sonnet-4-5', 't-a', 0.0105, 1, 0],
      ['gpt-4o-mini', null, 0.00270435, 2, 0],
      ['acme-llm-1', 't-b', 0, 1, 1],
    ]);
    expect(brief(await q({ by: 'plan' }))).toEqual([
      ['enterprise', 't-c', 0.35, 1, 0],
      ['pro', 't-a', 0.0207, 3, 0],
      [null, null, 0.0000125, 1, 0],
      ['free', 't-b', 0.00000435, 2, 1],
    ]);
    expect(brief(await q({ by: 'feature' }))).toEqual([
      ['chat', null, 0.36020435, 4, 0],
      ['search', null, 0.0105, 2, 1],
      [null, null, 0.0000125, 1, 0],
    ]);
  });

  it('filters: since inclusive, until exclusive, tenant, user, tags (JSON and column ones), top', async () => {
    const keys = async (query: Omit<LedgerQuery, 'by'>) =>
      brief(await q({ by: 'user', ...query })).map(([k, tn]) => `${k}@${tn}`);
    expect(
      await keys({
        since: new Date('2026-11-02T00:00:00.000Z'),
        until: new Date('2026-11-04T00:00:00.000Z'),
      }),
    ).toEqual(['u-2@t-a', 'null@null', 'u-3@t-b', 'u-2@t-b']);
    expect(await keys({ tenantId: 't-a' })).toEqual(['u-2@t-a', 'u-1@t-a']);
    expect(await keys({ userId: 'u-2' })).toEqual(['u-2@t-a', 'u-2@t-b']);
    expect(await keys({ tags: { region: 'eu' } })).toEqual([
      'u-1@t-a',
      'u-3@t-b',
    ]);
    expect(await keys({ tags: { plan: 'free' } })).toEqual([
      'u-3@t-b',
      'u-2@t-b',
    ]);
    expect(
      await keys({ tags: { region: 'eu', feature: 'chat', tenantId: 't-b' } }),
    ).toEqual(['u-3@t-b']);
    expect(await keys({ tags: { region: 'asia' } })).toEqual([]);
    expect(await keys({ top: 2 })).toEqual(['u-4@t-c', 'u-2@t-a']);
    const filtered = await q({ by: 'tenant', tenantId: 't-b' });
    expect(filtered.map(r => r.tenant)).toEqual(['t-b']);
    expect(brief(await q({ by: 'model', tenantId: 't-b' }))).toEqual([
      ['gpt-4o-mini', 't-b', 0.00000435, 1, 0],
      ['acme-llm-1', 't-b', 0, 1, 1],
    ]);
  });

  it('the daily spend by tenant (the page chart) adds up to the by-tenant report, exactly', async () => {
    const daily = await dailySpendByTenant(t.store, {});
    expect(daily.map(d => [d.day, d.tenant, d.spendNanoUsd, d.calls])).toEqual([
      ['2026-11-01', 't-a', 10_200_000n, 2],
      ['2026-11-02', 't-a', 10_500_000n, 1],
      ['2026-11-02', 't-b', 0n, 1],
      ['2026-11-03', 't-b', 4_350n, 1],
      ['2026-11-03', null, 12_500n, 1],
      ['2026-11-04', 't-c', 350_000_000n, 1],
    ]);
    const total = daily.reduce((a, d) => a + d.spendNanoUsd, 0n);
    const byTenant = await q({ by: 'tenant' });
    expect(Number(total) / 1e9).toBeCloseTo(
      byTenant.reduce((a, r) => a + r.spendUsd, 0),
      12,
    );
  });

  it('sums are exact: integer nano-dollar sums in SQL, converted once (no float drift, no loss past 2^53)', async () => {
    // Three calls of $0.10: a float sum says 0.30000000000000004.
    const dimes = [0, 1, 2].map(n => ({
      ...rowOf(
        {
          time: '2026-11-05T12:00:00Z',
          tenant: 't-dime',
          model: 'gpt-4o',
          input: 1,
          output: 1,
        },
        2000 + n,
      ),
      totalNanoUsd: 100_000_000,
    }));
    // Five calls of 4e15 + 2 n$: 2e16 + 10 n$ = $20,000,000.00000001 exactly;
    // past 2^53 a number sum (or n / 1e9) gives 20000000.000000007.
    const whales = [0, 1, 2, 3, 4].map(n => ({
      ...rowOf(
        {
          time: '2026-11-05T12:00:00Z',
          tenant: 't-whale',
          model: 'gpt-4o',
          input: 1,
          output: 1,
        },
        1000 + n,
      ),
      totalNanoUsd: 4_000_000_000_000_002,
    }));
    const big = await open([], [...dimes, ...whales]);
    try {
      const rows = await queryLedger(big.store, { by: 'tenant' });
      expect(rows.map(r => [r.key, r.spendUsd])).toEqual([
        ['t-whale', 20_000_000.00000001],
        ['t-dime', 0.3],
      ]);
    } finally {
      await big.remove();
    }
  });

  it('generated hostile ids, tenants and tags are bound values: each filter matches exactly the rows a plain comparison picks', async () => {
    const text = fc.oneof(
      fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }),
      fc.constantFrom(
        "'; DROP TABLE llm_calls; --",
        '" OR 1=1 --',
        '$.region',
        '$."a"',
        '%',
        '_',
        '?',
        '\\',
        'a"b',
        '$1',
        '<script>alert(1)</script>',
        'region',
      ),
    );
    const callArb = fc.record({
      user: fc.option(text, { nil: null }),
      tenant: fc.option(text, { nil: null }),
      tags: fc.dictionary(text, text, { maxKeys: 3 }),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(callArb, { minLength: 1, maxLength: 8 }),
        fc.nat(),
        async (calls, pick) => {
          run += 1;
          const feature = `run-${run}`;
          const withRun: Call[] = calls.map(c => ({
            time: '2026-11-06T00:00:00Z',
            user: c.user,
            tenant: c.tenant,
            // Column tags are left to the columns.
            tags: Object.fromEntries(
              Object.entries(c.tags).filter(
                ([k]) =>
                  ![
                    'userId',
                    'sessionId',
                    'tenantId',
                    'plan',
                    'feature',
                  ].includes(k),
              ),
            ),
            feature,
            model: 'gpt-4o-mini',
            input: 1,
            output: 1,
          }));
          await t.store.insert(
            withRun.map((c, i) => rowOf(c, 1_000_000 + run * 100 + i)),
          );
          const target = withRun[pick % withRun.length] as Call;
          const tagEntries = Object.entries(target.tags ?? {});
          const filters: LedgerQuery[] = [
            { by: 'user', tags: { feature } },
            ...(target.user == null
              ? []
              : [
                  {
                    by: 'user' as const,
                    userId: target.user,
                    tags: { feature },
                  },
                ]),
            ...(target.tenant == null
              ? []
              : [
                  {
                    by: 'tenant' as const,
                    tenantId: target.tenant,
                    tags: { feature },
                  },
                ]),
            ...(tagEntries.length === 0
              ? []
              : [
                  {
                    by: 'user' as const,
                    tags: {
                      feature,
                      ...Object.fromEntries(tagEntries.slice(0, 1)),
                    },
                  },
                ]),
          ];
          for (const filter of filters) {
            const expected = withRun.filter(
              c =>
                (filter.userId === undefined || c.user === filter.userId) &&
                (filter.tenantId === undefined ||
                  c.tenant === filter.tenantId) &&
                Object.entries(filter.tags ?? {}).every(([k, v]) =>
                  k === 'feature' ? c.feature === v : c.tags?.[k] === v,
                ),
            ).length;
            const rows = await queryLedger(t.store, filter);
            expect(rows.reduce((a, r) => a + r.calls, 0)).toBe(expected);
          }
        },
      ),
      { numRuns: 40 },
    );
    // The table is still there, every generated row in it.
    const all = await queryLedger(t.store, { by: 'tenant' });
    expect(all.reduce((a, r) => a + r.calls, 0)).toBeGreaterThan(CALLS.length);
  });
}

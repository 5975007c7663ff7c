import type { LedgerStore } from '../ledger-store.js';
import { checkLedgerQuery, type LedgerQuery } from './ledger-query.js';
import { dayOf } from './query-ledger.js';
import { callSource } from './call-source.js';
import { DIALECT } from './report-sql.js';
import { bigIntOf, countOf, textOf } from './sql-values.js';

/** Spend of one tenant on one UTC day. */
export interface DailyTenantSpend {
  /** `YYYY-MM-DD` (UTC). */
  readonly day: string;
  /** Null: calls without a tenant. */
  readonly tenant: string | null;
  /** Priced spend in integer nano-dollars (exact). */
  readonly spendNanoUsd: bigint;
  readonly calls: number;
}

/**
 * Spend per UTC day and tenant over the query's filter (its `by` and `top`
 * are ignored): the data of the page's stacked chart. PostgreSQL answers
 * from its daily sums when it can (`canUseDailySums`; `dailySums: false`
 * reads the calls). One row per (day,
 * tenant) that had calls, in day order (then tenant, in byte order; no
 * tenant last).
 */
export async function dailySpendByTenant(
  store: LedgerStore,
  q: Omit<LedgerQuery, 'by' | 'top'>,
  dailySums = true,
): Promise<DailyTenantSpend[]> {
  const query: LedgerQuery = { ...q, by: 'day' };
  checkLedgerQuery(query);
  const source = callSource(query, store.dialect, dailySums);
  const d = DIALECT[store.dialect];
  const rows = await store.select(
    `SELECT k AS day_ms, t AS tenant, ${d.text('SUM(nusd)')} AS spend_nusd, ${d.text('SUM(n)')} AS calls
FROM (${source.sql}) AS c
GROUP BY k, t
ORDER BY k, (t IS NULL), ${d.bytes('t')}`,
    source.params,
  );
  return rows.map(r => ({
    day: dayOf(r['day_ms']),
    tenant: textOf(r['tenant']),
    spendNanoUsd: bigIntOf(r['spend_nusd']),
    calls: countOf(r['calls']),
  }));
}

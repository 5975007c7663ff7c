import type { LedgerStore } from '../ledger-store.js';
import { checkLedgerQuery, type LedgerQuery } from './ledger-query.js';
import { dayOf } from './query-ledger.js';
import { queryFilter } from './query-filter.js';
import { DAY_START_SQL, DIALECT } from './report-sql.js';
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
 * are ignored): the data of the page's stacked chart. One row per (day,
 * tenant) that had calls, in day order (then tenant, in byte order; no
 * tenant last).
 */
export async function dailySpendByTenant(
  store: LedgerStore,
  q: Omit<LedgerQuery, 'by' | 'top'>,
): Promise<DailyTenantSpend[]> {
  checkLedgerQuery({ ...q, by: 'day' });
  const filter = queryFilter(q, store.dialect);
  const text = (sql: string) => `CAST(${sql} AS TEXT)`;
  const rows = await store.select(
    `SELECT ${DAY_START_SQL} AS day_ms, llm_calls.tenant_id AS tenant,
  ${text('SUM(llm_calls.total_nusd)')} AS spend_nusd, ${text('COUNT(*)')} AS calls
FROM llm_calls ${filter.where}
GROUP BY ${DAY_START_SQL}, llm_calls.tenant_id
ORDER BY day_ms, (llm_calls.tenant_id IS NULL), ${DIALECT[store.dialect].bytes('llm_calls.tenant_id')}`,
    filter.params,
  );
  return rows.map(r => ({
    day: dayOf(r['day_ms']),
    tenant: textOf(r['tenant']),
    spendNanoUsd: bigIntOf(r['spend_nusd']),
    calls: countOf(r['calls']),
  }));
}

import type { LedgerStore } from '../ledger-store.js';
import {
  dailySpendByTenant,
  type DailyTenantSpend,
} from '../query/daily-spend.js';
import type { LedgerQuery, LedgerReportRow } from '../query/ledger-query.js';
import { queryLedger } from '../query/query-ledger.js';

/** Users in the page's "top users" chart. */
export const PAGE_TOP_USERS = 10;

/** Everything the HTML page shows, read with the same filter. */
export interface ReportPageData {
  /** The query the table answers. */
  readonly query: LedgerQuery;
  /** The table. */
  readonly rows: readonly LedgerReportRow[];
  /** Spend per day and tenant (the stacked chart). */
  readonly daily: readonly DailyTenantSpend[];
  /** The biggest spenders (`by: 'user'`). */
  readonly topUsers: readonly LedgerReportRow[];
  /** Every model (`by: 'model'`). */
  readonly models: readonly LedgerReportRow[];
  /** When the page was made (ISO 8601). */
  readonly generatedAt: string;
}

/** Four queries over the same filter (time range, tenant, user, tags). */
export async function readReportPageData(
  store: LedgerStore,
  query: LedgerQuery,
  now: Date = new Date(),
): Promise<ReportPageData> {
  const filter = {
    since: query.since,
    until: query.until,
    tenantId: query.tenantId,
    userId: query.userId,
    tags: query.tags,
  };
  const rows = await queryLedger(store, query);
  const daily = await dailySpendByTenant(store, filter);
  const topUsers = await queryLedger(store, {
    ...filter,
    by: 'user',
    top: PAGE_TOP_USERS,
  });
  const models = await queryLedger(store, { ...filter, by: 'model' });
  return {
    query,
    rows,
    daily,
    topUsers,
    models,
    generatedAt: now.toISOString(),
  };
}

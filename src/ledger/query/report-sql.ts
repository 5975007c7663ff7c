import type { LedgerDialect, LedgerSqlParam } from '../ledger-store.js';
import type { LedgerQuery } from './ledger-query.js';
import { callSource } from './call-source.js';

/** Per dialect: an exact integer sum as text, and a byte-order sort. */
export const DIALECT = {
  sqlite: {
    text: (sql: string) => `CAST(${sql} AS TEXT)`,
    bytes: (sql: string) => sql,
  },
  postgres: {
    text: (sql: string) => `CAST(${sql} AS text)`,
    bytes: (sql: string) => `${sql} COLLATE "C"`,
  },
} as const;

export interface ReportSql {
  readonly sql: string;
  readonly params: readonly LedgerSqlParam[];
}

/**
 * One statement for a report: the filtered calls (or PostgreSQL's daily
 * sums when they can answer, see `canUseDailySums`) grouped by (key, model)
 * (`by: 'user'`: by (user, tenant, model)), then a window over each key
 * gives the group's totals and ranks its models, so the top model comes
 * from the same scan with no join. Sums are integer sums cast to text
 * (exact past 2^53 whatever the driver); unpriced calls are counted, their
 * NULL cost adds nothing. Biggest spend first (then calls, then key in byte
 * order, no key last); `day`: latest first, reversed by the caller.
 */
export function reportSql(
  q: LedgerQuery,
  dialect: LedgerDialect,
  dailySums = true,
): ReportSql {
  const d = DIALECT[dialect];
  const source = callSource(q, dialect, dailySums);
  const byTenant = q.by === 'user';
  const part = byTenant ? 'k, t' : 'k';
  const tenant =
    q.by === 'user'
      ? 't'
      : q.by === 'tenant'
        ? 'k'
        : 'CASE WHEN g_with_tenant = g_calls AND g_tmin = g_tmax THEN g_tmin END';
  const order =
    q.by === 'day'
      ? 'k DESC'
      : `COALESCE(g_nusd, 0) DESC, g_calls DESC, (k IS NULL), ${d.bytes('k')}${byTenant ? `, (t IS NULL), ${d.bytes('t')}` : ''}`;
  const sql = `WITH c AS (
  ${source.sql}
), gm AS (
  SELECT k, ${byTenant ? 't, ' : ''}model, SUM(n) AS calls, SUM(u) AS unpriced,
    SUM(nusd) AS nusd, SUM(itok) AS itok, SUM(otok) AS otok, MAX(last_ms) AS last_ms,
    SUM(CASE WHEN t IS NULL THEN 0 ELSE n END) AS with_tenant, MIN(t) AS tmin, MAX(t) AS tmax
  FROM c GROUP BY k, ${byTenant ? 't, ' : ''}model
), r AS (
  SELECT k, ${byTenant ? 't, ' : ''}model,
    ROW_NUMBER() OVER (PARTITION BY ${part} ORDER BY (model IS NULL), COALESCE(nusd, 0) DESC, calls DESC, ${d.bytes('model')}) AS rn,
    SUM(calls) OVER w AS g_calls, SUM(unpriced) OVER w AS g_unpriced,
    SUM(nusd) OVER w AS g_nusd, SUM(itok) OVER w AS g_itok, SUM(otok) OVER w AS g_otok,
    MAX(last_ms) OVER w AS g_last_ms, SUM(with_tenant) OVER w AS g_with_tenant,
    MIN(tmin) OVER w AS g_tmin, MAX(tmax) OVER w AS g_tmax
  FROM gm WINDOW w AS (PARTITION BY ${part})
)
SELECT k AS group_key, ${tenant} AS tenant, ${d.text('g_nusd')} AS spend_nusd,
  ${d.text('g_calls')} AS calls, ${d.text('g_unpriced')} AS unpriced_calls,
  ${d.text('g_itok')} AS input_tokens, ${d.text('g_otok')} AS output_tokens,
  ${d.text('g_last_ms')} AS last_ms, model AS top_model
FROM r WHERE rn = 1
ORDER BY ${order}${q.top === undefined ? '' : '\nLIMIT ?'}`;
  return {
    sql,
    params: q.top === undefined ? source.params : [...source.params, q.top],
  };
}

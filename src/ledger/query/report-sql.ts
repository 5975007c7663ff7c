import type { LedgerDialect, LedgerSqlParam } from '../ledger-store.js';
import type { LedgerQuery, LedgerQueryBy } from './ledger-query.js';
import { queryFilter } from './query-filter.js';

const DAY_MILLIS = 86_400_000;

/** The start (epoch ms, UTC) of the call's day; floor, also before 1970. */
export const DAY_START_SQL = `(llm_calls.time_ms - ((llm_calls.time_ms % ${DAY_MILLIS}) + ${DAY_MILLIS}) % ${DAY_MILLIS})`;

const KEY_SQL: Readonly<Record<LedgerQueryBy, string>> = {
  user: 'llm_calls.user_id',
  tenant: 'llm_calls.tenant_id',
  model: 'llm_calls.model',
  plan: 'llm_calls.plan',
  feature: 'llm_calls.feature',
  day: DAY_START_SQL,
};

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
 * One statement for a report: the filtered calls grouped by (key, model)
 * (`by: 'user'`: by (user, tenant, model)), then a window over each key
 * gives the group's totals and ranks its models, so the top model comes
 * from the same scan with no join. Sums are integer sums cast to text
 * (exact past 2^53 whatever the driver); unpriced calls are counted, their
 * NULL cost adds nothing. Biggest spend first (then calls, then key in byte
 * order, no key last); `day`: latest first, reversed by the caller.
 */
export function reportSql(q: LedgerQuery, dialect: LedgerDialect): ReportSql {
  const d = DIALECT[dialect];
  const filter = queryFilter(q, dialect);
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
  SELECT ${KEY_SQL[q.by]} AS k, llm_calls.tenant_id AS t, llm_calls.model AS model,
    llm_calls.time_ms AS time_ms, llm_calls.total_nusd AS total_nusd,
    llm_calls.input_tokens AS input_tokens, llm_calls.output_tokens AS output_tokens
  FROM llm_calls ${filter.where}
), gm AS (
  SELECT k, ${byTenant ? 't, ' : ''}model, COUNT(*) AS calls,
    SUM(CASE WHEN total_nusd IS NULL THEN 1 ELSE 0 END) AS unpriced,
    SUM(total_nusd) AS nusd, SUM(input_tokens) AS itok, SUM(output_tokens) AS otok,
    MAX(time_ms) AS last_ms, COUNT(t) AS with_tenant, MIN(t) AS tmin, MAX(t) AS tmax
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
    params: q.top === undefined ? filter.params : [...filter.params, q.top],
  };
}

import type { LedgerDialect, LedgerSqlParam } from '../ledger-store.js';
import type { LedgerQuery, LedgerQueryBy } from './ledger-query.js';
import { queryFilter } from './query-filter.js';

const DAY_MILLIS = 86_400_000;

/** The start (epoch ms, UTC) of the call's day; floor, also before 1970. */
export const DAY_START_SQL = `(llm_calls.time_ms - ((llm_calls.time_ms % ${DAY_MILLIS}) + ${DAY_MILLIS}) % ${DAY_MILLIS})`;

/**
 * Where a report reads its calls: a subquery with one row per call (or per
 * pre-summed group) and the columns `k` (the group key), `t` (tenant),
 * `model`, `n` (calls), `u` (unpriced calls), `nusd`, `itok`, `otok`,
 * `last_ms`; NULL where a field is absent.
 */
export interface CallSource {
  readonly sql: string;
  readonly params: readonly LedgerSqlParam[];
}

const RAW_KEYS: Readonly<Record<LedgerQueryBy, string>> = {
  user: 'llm_calls.user_id',
  tenant: 'llm_calls.tenant_id',
  model: 'llm_calls.model',
  plan: 'llm_calls.plan',
  feature: 'llm_calls.feature',
  day: DAY_START_SQL,
};

/** Every call row the filter covers. */
function rawSource(q: LedgerQuery, dialect: LedgerDialect): CallSource {
  const filter = queryFilter(q, dialect);
  return {
    sql: `SELECT ${RAW_KEYS[q.by]} AS k, llm_calls.tenant_id AS t, llm_calls.model AS model,
    1 AS n, CASE WHEN llm_calls.total_nusd IS NULL THEN 1 ELSE 0 END AS u,
    llm_calls.total_nusd AS nusd, llm_calls.input_tokens AS itok,
    llm_calls.output_tokens AS otok, llm_calls.time_ms AS last_ms
  FROM llm_calls ${filter.where}`,
    params: filter.params,
  };
}

/** Columns of PostgreSQL's daily sums (`llm_calls_daily`; '' stands for NULL there). */
const ROLLUP_COLUMNS: Readonly<Record<string, string>> = {
  userId: 'user_id',
  tenantId: 'tenant_id',
  plan: 'plan',
  feature: 'feature',
};

const ROLLUP_KEYS: Readonly<Record<LedgerQueryBy, string>> = {
  user: "NULLIF(user_id, '')",
  tenant: "NULLIF(tenant_id, '')",
  model: "NULLIF(model, '')",
  plan: "NULLIF(plan, '')",
  feature: "NULLIF(feature, '')",
  day: 'day_ms',
};

const wholeDay = (date: Date | undefined) =>
  date === undefined || date.getTime() % DAY_MILLIS === 0;

/**
 * PostgreSQL keeps daily sums per (day, service, tenant, user, plan,
 * feature, provider, model), maintained with every insert, retention and
 * `forget`: a query that only filters on whole UTC days and those columns
 * reads them instead of every call (a month by tenant: ~days x groups rows,
 * not millions). Tags in the JSON column, `sessionId` or a bound inside a
 * day need the calls themselves.
 */
export function canUseDailySums(
  q: Omit<LedgerQuery, 'by' | 'top'>,
  dialect: LedgerDialect,
): boolean {
  return (
    dialect === 'postgres' &&
    wholeDay(q.since) &&
    wholeDay(q.until) &&
    Object.keys(q.tags ?? {}).every(key => Object.hasOwn(ROLLUP_COLUMNS, key))
  );
}

function rollupSource(q: LedgerQuery): CallSource {
  const filter = queryFilter(q, 'postgres', 'dailySums');
  return {
    sql: `SELECT ${ROLLUP_KEYS[q.by]} AS k, NULLIF(tenant_id, '') AS t, NULLIF(model, '') AS model,
    calls AS n, unpriced_calls AS u, total_nusd AS nusd, input_tokens AS itok,
    output_tokens AS otok, last_ms
  FROM llm_calls_daily ${filter.where}`,
    params: filter.params,
  };
}

/** The daily sums when they can answer (`dailySums` not false), else the calls. */
export function callSource(
  q: LedgerQuery,
  dialect: LedgerDialect,
  dailySums = true,
): CallSource {
  return dailySums && canUseDailySums(q, dialect)
    ? rollupSource(q)
    : rawSource(q, dialect);
}

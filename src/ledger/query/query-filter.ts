import { ledgerText } from '../ledger-row.js';
import type { LedgerDialect, LedgerSqlParam } from '../ledger-store.js';
import type { LedgerQuery } from './ledger-query.js';

/** A WHERE clause with its parameters, in order. */
export interface SqlFilter {
  readonly where: string;
  readonly params: readonly LedgerSqlParam[];
}

/** Tags with a column of their own (the rest live in the JSON `tags` column). */
const TAG_COLUMNS: Readonly<Record<string, string>> = {
  userId: 'user_id',
  sessionId: 'session_id',
  tenantId: 'tenant_id',
  plan: 'plan',
  feature: 'feature',
};

/**
 * One tag of the JSON `tags` column equal to a value. The key is a bound
 * value compared to the object's keys, never a JSON path (a key holding
 * `"`, `.` or `$` matches itself and nothing else).
 */
const TAG_MATCH: Readonly<Record<LedgerDialect, string>> = {
  sqlite:
    "EXISTS (SELECT 1 FROM json_each(llm_calls.tags) AS tag WHERE tag.key = ? AND tag.type = 'text' AND tag.value = ?)",
  postgres: '(llm_calls.tags::jsonb ->> CAST(? AS text)) = CAST(? AS text)',
};

/**
 * What a filter reads: the calls (`llm_calls`), or PostgreSQL's daily sums
 * (`llm_calls_daily`, whose day starts at `day_ms` and which hold the
 * column tags but no JSON tags).
 */
export type FilteredTable = 'calls' | 'dailySums';

const TIME_COLUMN: Readonly<Record<FilteredTable, string>> = {
  calls: 'llm_calls.time_ms',
  dailySums: 'day_ms',
};
const COLUMN_PREFIX: Readonly<Record<FilteredTable, string>> = {
  calls: 'llm_calls.',
  dailySums: '',
};

/** The rows a query covers: its time range, tenant, user and tags; every value bound. */
export function queryFilter(
  q: Omit<LedgerQuery, 'by' | 'top'>,
  dialect: LedgerDialect,
  table: FilteredTable = 'calls',
): SqlFilter {
  const clauses: string[] = [];
  const params: LedgerSqlParam[] = [];
  if (q.since !== undefined) {
    clauses.push(`${TIME_COLUMN[table]} >= ?`);
    params.push(q.since.getTime());
  }
  if (q.until !== undefined) {
    clauses.push(`${TIME_COLUMN[table]} < ?`);
    params.push(q.until.getTime());
  }
  const equal: [string, string][] = [];
  if (q.tenantId !== undefined) equal.push(['tenant_id', q.tenantId]);
  if (q.userId !== undefined) equal.push(['user_id', q.userId]);
  // Sorted: the same filter always makes the same statement.
  for (const [key, value] of Object.entries(q.tags ?? {}).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  )) {
    const column = Object.hasOwn(TAG_COLUMNS, key)
      ? TAG_COLUMNS[key]
      : undefined;
    if (column !== undefined) equal.push([column, value]);
    else if (table === 'dailySums') {
      throw new RangeError(`the daily sums hold no tag ${JSON.stringify(key)}`);
    } else {
      clauses.push(TAG_MATCH[dialect]);
      // Compared as stored (no NUL, lone surrogates as U+FFFD).
      params.push(ledgerText(key), ledgerText(value));
    }
  }
  for (const [column, value] of equal) {
    clauses.push(`${COLUMN_PREFIX[table]}${column} = ?`);
    params.push(ledgerText(value));
  }
  return {
    where: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`,
    params,
  };
}

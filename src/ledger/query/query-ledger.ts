import type { LedgerStore } from '../ledger-store.js';
import {
  checkLedgerQuery,
  type LedgerQuery,
  type LedgerReportRow,
} from './ledger-query.js';
import { reportSql } from './report-sql.js';
import {
  bigIntOf,
  countOf,
  isoOfMillis,
  textOf,
  usdOfNanoUsd,
} from './sql-values.js';

/** A `day` key (the day's first millisecond) as `YYYY-MM-DD`. */
export function dayOf(value: unknown): string {
  return isoOfMillis(value).slice(0, 10);
}

/**
 * Runs a report on a store (SQLite or PostgreSQL), one statement, every
 * value bound. Throws a `LedgerQueryError` for a query it cannot run.
 * `dailySums: false` makes PostgreSQL read every call even when its daily
 * sums could answer (tests compare the two).
 */
export async function queryLedger(
  store: LedgerStore,
  q: LedgerQuery,
  dailySums = true,
): Promise<LedgerReportRow[]> {
  checkLedgerQuery(q);
  const { sql, params } = reportSql(q, store.dialect, dailySums);
  const rows = (await store.select(sql, params)).map((r): LedgerReportRow => ({
    key: q.by === 'day' ? dayOf(r['group_key']) : textOf(r['group_key']),
    tenant: textOf(r['tenant']),
    spendUsd: usdOfNanoUsd(bigIntOf(r['spend_nusd'])),
    calls: countOf(r['calls']),
    unpricedCalls: countOf(r['unpriced_calls']),
    inputTokens: countOf(r['input_tokens']),
    outputTokens: countOf(r['output_tokens']),
    lastSeen: isoOfMillis(r['last_ms']),
    topModel: textOf(r['top_model']),
  }));
  // Days come latest first (so `top` keeps the latest); shown in order.
  return q.by === 'day' ? rows.reverse() : rows;
}

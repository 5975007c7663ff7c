import type { LedgerStore } from '../ledger-store.js';
import { ExportError } from './export-error.js';
import { DAY_MILLIS, dayOf, dayStartMillis } from './export-period.js';

/** Who a usage line is billed to: the ledger's tenant or user column. */
export type ExportCustomerBy = 'tenant' | 'user';

const COLUMN: Readonly<Record<ExportCustomerBy, string>> = {
  tenant: 'tenant_id',
  user: 'user_id',
};

/**
 * One customer's usage on one UTC day, as the ledger holds it now. Only
 * priced calls carry cost and tokens; unpriced calls are counted apart
 * (they are never exported as $0).
 */
export interface DailyUsage {
  /** The ledger's tenant or user id; null for calls without one. */
  readonly customer: string | null;
  /** `YYYY-MM-DD` (UTC). */
  readonly day: string;
  /** Priced calls. */
  readonly calls: number;
  /** Calls left unpriced (reported, not exported). */
  readonly unpricedCalls: number;
  /** Cost of the priced calls, integer nano-dollars (exact sum). */
  readonly costNanoUsd: number;
  /** Input tokens of the priced calls. */
  readonly inputTokens: number;
  /** Output tokens of the priced calls. */
  readonly outputTokens: number;
}

/** A driver value (number, bigint or decimal string) as a safe integer. */
export function toSafeInteger(value: unknown, what: string): number {
  if (value === null || value === undefined) return 0;
  const number =
    typeof value === 'bigint' ? Number(value) : Number(String(value));
  if (!Number.isSafeInteger(number)) {
    throw new ExportError(
      `${what}: ${String(value)} is beyond what an export carries exactly (2^53)`,
    );
  }
  return number;
}

/**
 * Usage per customer per UTC day over `days` (consecutive `YYYY-MM-DD`),
 * summed by the database in integers. One statement, the same text in
 * both dialects (integer division of `time_ms` gives the day).
 */
export async function aggregateDailyUsage(
  store: LedgerStore,
  by: ExportCustomerBy,
  days: readonly string[],
): Promise<DailyUsage[]> {
  if (days.length === 0) return [];
  const from = dayStartMillis(days[0] as string) as number;
  const until =
    (dayStartMillis(days[days.length - 1] as string) as number) + DAY_MILLIS;
  const column = COLUMN[by];
  const rows = await store.select(
    `SELECT ${column} AS customer, time_ms / ${DAY_MILLIS} AS day_index,
       SUM(CASE WHEN total_nusd IS NULL THEN 0 ELSE 1 END) AS calls,
       SUM(CASE WHEN total_nusd IS NULL THEN 1 ELSE 0 END) AS unpriced_calls,
       SUM(total_nusd) AS cost_nusd,
       SUM(CASE WHEN total_nusd IS NULL THEN 0 ELSE COALESCE(input_tokens, 0) END) AS input_tokens,
       SUM(CASE WHEN total_nusd IS NULL THEN 0 ELSE COALESCE(output_tokens, 0) END) AS output_tokens
     FROM llm_calls
     WHERE time_ms >= ? AND time_ms < ?
     GROUP BY ${column}, time_ms / ${DAY_MILLIS}
     ORDER BY day_index, customer`,
    [from, until],
  );
  return rows.map(row => {
    const customer = row['customer'];
    const day = dayOf(toSafeInteger(row['day_index'], 'day') * DAY_MILLIS);
    const what = `${by} ${String(customer)} on ${day}`;
    return {
      customer: customer === null ? null : String(customer),
      day,
      calls: toSafeInteger(row['calls'], what),
      unpricedCalls: toSafeInteger(row['unpriced_calls'], what),
      costNanoUsd: toSafeInteger(row['cost_nusd'], `${what}: cost`),
      inputTokens: toSafeInteger(row['input_tokens'], what),
      outputTokens: toSafeInteger(row['output_tokens'], what),
    };
  });
}

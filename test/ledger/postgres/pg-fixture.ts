/** Helpers for the PostgreSQL ledger tests: a server per file, rows read back. */
import pg from 'pg';
import type { LedgerRow } from '../../../src/ledger/ledger-row.js';

/** Runs one statement on its own connection (reads what the ledger wrote). */
export async function pgQuery(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/** Row count and nano-dollar total (exact: bigint sums as strings). */
export async function totals(
  url: string,
): Promise<{ rows: number; nusd: bigint }> {
  const [row] = await pgQuery(
    url,
    'SELECT count(*) AS n, coalesce(sum(total_nusd), 0) AS s FROM llm_calls',
  );
  return { rows: Number(row?.['n']), nusd: BigInt(String(row?.['s'])) };
}

/** The day partitions of llm_calls, sorted. */
export async function partitions(url: string): Promise<string[]> {
  const rows = await pgQuery(
    url,
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname = 'llm_calls' ORDER BY 1`,
  );
  return rows.map(row => String(row['name']));
}

/** A plain row at `timeMillis` (gpt-4o at the published $2.50 / $10 per M). */
export function rowAt(
  n: number,
  timeMillis: number,
  userId: string | null = `u-${n % 4}`,
): LedgerRow {
  const input = 1000 + n;
  const output = 100 + (n % 50);
  // $2.50 per M input = 2500 n$ a token; $10 per M output = 10000 n$.
  const inputNanoUsd = input * 2500;
  const outputNanoUsd = output * 10_000;
  return {
    traceId: n.toString(16).padStart(32, '0'),
    spanId: (n + 1).toString(16).padStart(16, '0'),
    timeMillis,
    service: 'svc',
    userId,
    sessionId: null,
    tenantId: `t-${n % 3}`,
    plan: null,
    feature: null,
    tags: '{}',
    provider: 'openai',
    model: 'gpt-4o',
    inputTokens: input,
    outputTokens: output,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    inputNanoUsd,
    outputNanoUsd,
    cacheReadNanoUsd: 0,
    cacheWriteNanoUsd: 0,
    totalNanoUsd: inputNanoUsd + outputNanoUsd,
    source: 'price_table',
    priceVersion: 'test',
    unpricedReason: null,
  };
}

/**
 * The PostgreSQL ledger schema, as numbered migrations run once each, in
 * order, under an advisory lock (`ledger_schema` holds the versions
 * applied). The columns are SQLite's (`sqlite-schema.ts`), so a query
 * reads the same in both dialects; integers are `bigint`, money is integer
 * nano-dollars (`*_nusd`), a NULL cost is unknown (unpriced), never zero.
 *
 * `llm_calls` is partitioned by RANGE on `time_ms` (the span start, ms
 * since the epoch, a `bigint` as in SQLite: report filters
 * `time_ms >= ? AND time_ms < ?` prune partitions in both dialects alike),
 * one partition per UTC day, named `llm_calls_pYYYYMMDD`. A partitioned
 * table's key must hold the partition column: the key is
 * (trace_id, span_id, time_ms); the span start is deterministic, so a
 * span delivered again still collides. Indexes: a BRIN on `time_ms` (rows
 * arrive in time order: a few pages per partition instead of a B-tree
 * entry per row), B-trees on (tenant_id, time_ms) and (user_id, time_ms)
 * for tenant reports and `ledger forget`.
 *
 * `llm_calls_daily` sums the rows per UTC day and (service, tenant, user,
 * plan, feature, provider, model); it is maintained in the insert's own
 * statement from the rows that were new, so it never counts a duplicate.
 * NULL dimensions are stored as '' (attribution values are never empty),
 * so the key works on PostgreSQL before 15.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS llm_calls (
    trace_id text NOT NULL,
    span_id text NOT NULL,
    time_ms bigint NOT NULL,
    service text,
    user_id text,
    session_id text,
    tenant_id text,
    plan text,
    feature text,
    tags text NOT NULL DEFAULT '{}',
    provider text,
    model text,
    input_tokens bigint,
    output_tokens bigint,
    cache_read_tokens bigint,
    cache_write_tokens bigint,
    reasoning_tokens bigint,
    input_nusd bigint,
    output_nusd bigint,
    cache_read_nusd bigint,
    cache_write_nusd bigint,
    total_nusd bigint,
    source text,
    price_version text,
    unpriced_reason text,
    PRIMARY KEY (trace_id, span_id, time_ms)
  ) PARTITION BY RANGE (time_ms);
  CREATE INDEX IF NOT EXISTS llm_calls_time ON llm_calls USING brin (time_ms);
  CREATE INDEX IF NOT EXISTS llm_calls_tenant_time ON llm_calls (tenant_id, time_ms);
  CREATE INDEX IF NOT EXISTS llm_calls_user_time ON llm_calls (user_id, time_ms);
  CREATE TABLE IF NOT EXISTS llm_calls_daily (
    day_ms bigint NOT NULL,
    service text NOT NULL,
    tenant_id text NOT NULL,
    user_id text NOT NULL,
    plan text NOT NULL,
    feature text NOT NULL,
    provider text NOT NULL,
    model text NOT NULL,
    calls bigint NOT NULL,
    unpriced_calls bigint NOT NULL,
    input_tokens bigint NOT NULL,
    output_tokens bigint NOT NULL,
    total_nusd bigint NOT NULL,
    first_ms bigint NOT NULL,
    last_ms bigint NOT NULL,
    PRIMARY KEY (day_ms, tenant_id, user_id, service, plan, feature, provider, model)
  );
  CREATE INDEX IF NOT EXISTS llm_calls_daily_user ON llm_calls_daily (user_id);`,
];

export const POSTGRES_SCHEMA_TABLE = `CREATE TABLE IF NOT EXISTS ledger_schema (
  version integer PRIMARY KEY,
  applied_ms bigint NOT NULL
)`;

/** Milliseconds in a UTC day (partition width). */
export const DAY_MILLIS = 86_400_000;

/** The partition holding day `day` (days since the epoch, UTC). */
export function partitionName(day: number): string {
  const date = new Date(day * DAY_MILLIS).toISOString();
  return `llm_calls_p${date.slice(0, 10).replaceAll('-', '')}`;
}

/** The day (days since the epoch) a partition name stands for, else undefined. */
export function partitionDay(name: string): number | undefined {
  const m = /^llm_calls_p(\d{4})(\d{2})(\d{2})$/.exec(name);
  if (m === null) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MILLIS;
}

/** Creates day `day`'s partition unless it exists. */
export function createPartitionSql(day: number): string {
  const from = day * DAY_MILLIS;
  return `CREATE TABLE IF NOT EXISTS ${partitionName(day)} PARTITION OF llm_calls FOR VALUES FROM (${from}) TO (${from + DAY_MILLIS})`;
}

const COLUMNS: readonly (readonly [string, string])[] = [
  ['trace_id', 'text'],
  ['span_id', 'text'],
  ['time_ms', 'bigint'],
  ['service', 'text'],
  ['user_id', 'text'],
  ['session_id', 'text'],
  ['tenant_id', 'text'],
  ['plan', 'text'],
  ['feature', 'text'],
  ['tags', 'text'],
  ['provider', 'text'],
  ['model', 'text'],
  ['input_tokens', 'bigint'],
  ['output_tokens', 'bigint'],
  ['cache_read_tokens', 'bigint'],
  ['cache_write_tokens', 'bigint'],
  ['reasoning_tokens', 'bigint'],
  ['input_nusd', 'bigint'],
  ['output_nusd', 'bigint'],
  ['cache_read_nusd', 'bigint'],
  ['cache_write_nusd', 'bigint'],
  ['total_nusd', 'bigint'],
  ['source', 'text'],
  ['price_version', 'text'],
  ['unpriced_reason', 'text'],
];

const ROLLUP_DIMENSIONS = [
  'service',
  'tenant_id',
  'user_id',
  'plan',
  'feature',
  'provider',
  'model',
] as const;

/**
 * One statement: the batch (one array per column, `$1`..`$25`) inserted,
 * keys already stored ignored; the new rows, and only they, added to the
 * daily sums (sorted by key so concurrent writers lock in one order);
 * answers `inserted`, the count of new rows.
 */
export const POSTGRES_INSERT_SQL = `WITH ins AS (
  INSERT INTO llm_calls (${COLUMNS.map(([name]) => name).join(', ')})
  SELECT * FROM unnest(${COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})
  ON CONFLICT DO NOTHING
  RETURNING time_ms, ${ROLLUP_DIMENSIONS.join(', ')}, input_tokens, output_tokens, total_nusd
), sums AS (
  INSERT INTO llm_calls_daily AS d (day_ms, ${ROLLUP_DIMENSIONS.join(', ')}, calls, unpriced_calls, input_tokens, output_tokens, total_nusd, first_ms, last_ms)
  SELECT time_ms - time_ms % ${DAY_MILLIS}, ${ROLLUP_DIMENSIONS.map(c => `coalesce(${c}, '')`).join(', ')},
    count(*), count(*) FILTER (WHERE total_nusd IS NULL),
    coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0),
    coalesce(sum(total_nusd), 0), min(time_ms), max(time_ms)
  FROM ins
  GROUP BY 1, ${ROLLUP_DIMENSIONS.map((_, i) => i + 2).join(', ')}
  ORDER BY 1, ${ROLLUP_DIMENSIONS.map((_, i) => i + 2).join(', ')}
  ON CONFLICT (day_ms, tenant_id, user_id, service, plan, feature, provider, model) DO UPDATE SET
    calls = d.calls + excluded.calls,
    unpriced_calls = d.unpriced_calls + excluded.unpriced_calls,
    input_tokens = d.input_tokens + excluded.input_tokens,
    output_tokens = d.output_tokens + excluded.output_tokens,
    total_nusd = d.total_nusd + excluded.total_nusd,
    first_ms = least(d.first_ms, excluded.first_ms),
    last_ms = greatest(d.last_ms, excluded.last_ms)
)
SELECT count(*)::int AS inserted FROM ins`;

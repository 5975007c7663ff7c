/**
 * The performance budget (issue 15), checked against one run. Each timing
 * is what `CostSpanProcessor` adds beyond a floor measured in the same
 * rounds (median of per-round pairs): the attribute-write floor for LLM
 * spans, a do-nothing processor for spans it leaves alone.
 */
import type { BenchResult, BudgetLine } from './bench-result.js';

type Parts = Pick<
  BenchResult,
  'spanOverhead' | 'priceLookups' | 'identities' | 'inFlight'
>;

/** Added beyond a do-nothing processor on a span that is not an LLM call. */
const NON_LLM_OVER_FLOOR_NS = 30;
/** Added beyond writing the same attributes on an LLM call span. */
const LLM_OVER_FLOOR_NS = 1000;

/** Heap left behind by 100,000 ended spans that still counts as "returned". */
const IN_FLIGHT_RETAINED_LIMIT_MB = 2;

function line(
  id: string,
  description: string,
  kind: 'max' | 'min',
  limit: number,
  value: number | undefined,
  unit: string,
  alsoRequired = true,
): BudgetLine {
  const v = value ?? Number.NaN;
  const pass = (kind === 'max' ? v <= limit : v >= limit) && alsoRequired;
  return { id, description, kind, limit, value: v, unit, pass };
}

export function evaluateBudget(parts: Parts): BudgetLine[] {
  const overhead = (id: string) => parts.spanOverhead.find(c => c.id === id);
  const lines: BudgetLine[] = [
    line(
      'non_llm_over_do_nothing_ns',
      'non-LLM spans: time added per span beyond a do-nothing processor',
      'max',
      NON_LLM_OVER_FLOOR_NS,
      overhead('non_llm')?.addedOverFloorNsPerSpan,
      'ns',
    ),
  ];
  for (const c of parts.spanOverhead.filter(c => c.llm)) {
    if (c.id === 'gen_ai_chat_tiered') continue; // reported, not budgeted
    lines.push(
      line(
        `llm_over_write_floor_ns.${c.id}`,
        `LLM span (${c.label}): time added per span beyond the write floor, metrics and attribution on`,
        'max',
        LLM_OVER_FLOOR_NS,
        c.addedOverFloorNsPerSpan,
        'ns',
      ),
    );
  }
  lines.push(
    line(
      'memoized_price_lookups',
      'memoized price lookups per second',
      'min',
      2_000_000,
      parts.priceLookups.find(c => c.id === 'memoized_flat')?.lookupsPerSecond,
      '1/s',
    ),
    line(
      'identities_heap_growth',
      `${parts.identities.users} users / ${parts.identities.tenants} tenants: heap growth after GC`,
      'max',
      20,
      parts.identities.heapGrowthMb,
      'MB',
    ),
    line(
      'identities_series',
      'exported metric series within the configured bound (each metric)',
      'max',
      parts.identities.seriesBoundTotal,
      parts.identities.seriesTotal,
      'series',
      parts.identities.seriesWithinBound,
    ),
  );
  for (const c of parts.inFlight) {
    if (c.id === 'nested_remote_parent') continue; // reported, see docs
    lines.push(
      line(
        `in_flight_bookkeeping.${c.id}`,
        `${c.spans} spans in flight (${c.id}): coverage entries left after they end`,
        'max',
        0,
        c.coverageEntriesAfter,
        'entries',
      ),
      line(
        `in_flight_heap.${c.id}`,
        `${c.spans} spans in flight (${c.id}): heap retained after they end`,
        'max',
        IN_FLIGHT_RETAINED_LIMIT_MB,
        c.heapRetainedMb,
        'MB',
      ),
    );
  }
  return lines;
}

/** Issue 13: sustained writes from the processor into each store. */
const LEDGER_MIN_CALLS_PER_SECOND = 20_000;
/** Issue 13: month-by-tenant report over 10 million PostgreSQL rows. */
const LEDGER_MAX_REPORT_MS = 2_000;

type Stores = Pick<BenchResult, 'ledger' | 'budgets'>;

const numberAt = (value: unknown, ...path: string[]): number | undefined => {
  let at: unknown = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return typeof at === 'number' ? at : undefined;
};

/**
 * The ledger's and the budgets' lines (issues 13 and 14). A store that was
 * not installed gives no line (its result says `skipped`).
 */
export function storeBudgetLines(
  ledger: Stores['ledger'],
  budgets: Stores['budgets'],
): BudgetLine[] {
  const lines: BudgetLine[] = [
    line(
      'ledger_sqlite_calls_per_second',
      'ledger: calls per second from the processor into SQLite, every row written',
      'min',
      LEDGER_MIN_CALLS_PER_SECOND,
      ledger.sqlite.callsPerSecond,
      '1/s',
      ledger.sqlite.written === ledger.sqlite.calls,
    ),
  ];
  const pg = ledger.postgres as Record<string, unknown>;
  if (!('skipped' in pg)) {
    lines.push(
      line(
        'ledger_postgres_calls_per_second',
        'ledger: calls per second from the processor into PostgreSQL, every row written',
        'min',
        LEDGER_MIN_CALLS_PER_SECOND,
        numberAt(pg, 'callsPerSecond'),
        '1/s',
        numberAt(pg, 'written') === numberAt(pg, 'calls'),
      ),
      line(
        'ledger_postgres_month_by_tenant_ms',
        `ledger: month-by-tenant report over ${(numberAt(pg, 'monthByTenant', 'rows') ?? 0).toLocaleString('en-US')} PostgreSQL rows (median, daily sums; both answers equal)`,
        'max',
        LEDGER_MAX_REPORT_MS,
        numberAt(pg, 'monthByTenant', 'fromDailySumsMs', 'median'),
        'ms',
        (pg['monthByTenant'] as { answersAgree?: boolean } | undefined)
          ?.answersAgree === true,
      ),
    );
  }
  const b = budgets as Record<string, unknown>;
  if (!('skipped' in b)) {
    lines.push(
      line(
        'budget_check_round_trips',
        'budgets: Redis round trips per check',
        'max',
        1,
        numberAt(b, 'check', 'roundTripsPerCheck'),
        'round trips',
      ),
    );
  }
  return lines;
}

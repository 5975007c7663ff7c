import type { CostRecord } from '../core/cost-record.js';
import { isTokenCount } from '../core/normalize/token-count.js';
import { isPlausibleCost } from '../core/price/max-call-cost.js';

/**
 * One ledger row: one evaluated LLM call, keyed by (traceId, spanId). Money
 * is in integer nano-dollars (USD × 10^9, rounded once per call), so sums
 * in the database are exact integer sums, never a float drifting with the
 * row count. Identity fields hold what the pipeline already scrubbed
 * (pseudonyms where configured, never a raw e-mail by default).
 */
export interface LedgerRow {
  /** The span's trace id (32 hex digits); with `spanId`, the key. */
  readonly traceId: string;
  /** The span's id (16 hex digits). */
  readonly spanId: string;
  /** Span start, whole milliseconds since the epoch. */
  readonly timeMillis: number;
  /** The service the call was made from (`CostLedgerOptions.service`). */
  readonly service: string | null;
  /** Who the call is billed to, as the pipeline wrote it (a pseudonym with `hmacSecret`). */
  readonly userId: string | null;
  /** The session or conversation. */
  readonly sessionId: string | null;
  /** The tenant (customer account). */
  readonly tenantId: string | null;
  /** The tenant's or user's plan. */
  readonly plan: string | null;
  /** The product feature that made the call. */
  readonly feature: string | null;
  /**
   * The other attribution tags (`tagKeys`) as a JSON object, keys sorted;
   * the well-known ones have their own columns. `{}` when none.
   */
  readonly tags: string;
  /** GenAI provider name (`openai`, `anthropic`, ...). */
  readonly provider: string | null;
  /** The billed model (response model first). */
  readonly model: string | null;
  /** The whole prompt, cache reads and writes included; null: no usage on the span. */
  readonly inputTokens: number | null;
  /** The whole completion, reasoning included. */
  readonly outputTokens: number | null;
  /** Part of `inputTokens` read from the cache. */
  readonly cacheReadTokens: number | null;
  /** Part of `inputTokens` written to the cache. */
  readonly cacheWriteTokens: number | null;
  /** Part of `outputTokens` spent reasoning. */
  readonly reasoningTokens: number | null;
  /**
   * Uncached input, in nano-dollars; each part is null when unknown
   * (unpriced, or a total reported upstream).
   */
  readonly inputNanoUsd: number | null;
  /** Output, reasoning included. */
  readonly outputNanoUsd: number | null;
  /** Cached input read. */
  readonly cacheReadNanoUsd: number | null;
  /** Cache writes. */
  readonly cacheWriteNanoUsd: number | null;
  /** Null when unpriced: unknown is never zero. */
  readonly totalNanoUsd: number | null;
  /** `price_table`, `override`, `provider`; null when unpriced. */
  readonly source: string | null;
  /** The price data that priced it (`genai-prices@x.y.z+corrections.DATE`, `override`, `provider`). */
  readonly priceVersion: string | null;
  /** Why it is unpriced (`unknown_model`, `missing_usage`, ...); null when priced. */
  readonly unpricedReason: string | null;
}

/** Nano-dollars per US dollar. */
export const NANO_USD = 1e9;

/** USD to integer nano-dollars (nearest; a call's cost is far below 2^53 n$). */
export function toNanoUsd(usd: number | undefined): number | null {
  return usd === undefined ? null : Math.round(usd * NANO_USD);
}

/** Tags with a column of their own. */
const COLUMN_TAGS = new Set([
  'userId',
  'sessionId',
  'tenantId',
  'plan',
  'feature',
]);

const LONE_SURROGATE =
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text as every store keeps it, the same in SQLite and PostgreSQL: no NUL
 * (PostgreSQL text refuses it; SQLite stores it but reads the text back
 * cut at it, so two ids differing after a NUL showed as one key) and lone
 * surrogates as U+FFFD (what the drivers' UTF-8 makes of them; in the
 * `tags` JSON, JSON.stringify writes `\u0000` and `\ud800` escapes that
 * PostgreSQL's jsonb refuses, failing every report filtered on a tag).
 * `ledger forget` looks ids up through the same rule.
 */
export function ledgerText(text: string): string {
  return text.replaceAll('\0', '').replace(LONE_SURROGATE, '\ufffd');
}

/**
 * A text column: none (null) when absent or empty after `ledgerText`. An
 * empty id would be a group of its own among the calls but the same as
 * none in PostgreSQL's daily sums (which store none as ''), so a report
 * would change with its time bounds.
 */
function textOrNull(value: string | undefined): string | null {
  if (value === undefined || value === null) return null;
  const text = ledgerText(value);
  return text === '' ? null : text;
}

function otherTags(tags: Readonly<Record<string, string>>): string {
  const keys = Object.keys(tags)
    .filter(key => !COLUMN_TAGS.has(key))
    .sort();
  if (keys.length === 0) return '{}';
  // No prototype: a `__proto__` key is a key like any other.
  const sorted: Record<string, string> = Object.create(null) as Record<
    string,
    string
  >;
  for (const key of keys)
    sorted[ledgerText(key)] = ledgerText(tags[key] as string);
  return JSON.stringify(sorted);
}

/** Why a record cannot become a row. */
export type UnkeepableRecord = 'no_key' | 'bad_time';

/**
 * Start times a row may hold: 1970-01-01 up to the end of year 9999 UTC
 * (a day partition is named after a four-digit year, a report prints ISO
 * dates, and the daily sums' day arithmetic assumes no negative time).
 */
export const LEDGER_TIME_MILLIS_MAX = 253_402_300_799_999;

const isLedgerTime = (millis: number): boolean =>
  Number.isFinite(millis) && millis >= 0 && millis <= LEDGER_TIME_MILLIS_MAX;

/** A token count the core would accept, else unknown (null). */
const tokensOrNull = (value: number | undefined): number | null =>
  isTokenCount(value) ? value : null;

/**
 * A priced record whose amounts a store cannot hold exactly (not finite,
 * negative, above the per-call cap: a record built outside the pricer) is
 * kept as unpriced (`price_error`), never as a wrong or negative cost.
 */
type Priced = Extract<CostRecord['cost'], { readonly priced: true }>;

function pricedAmounts(cost: CostRecord['cost']): cost is Priced {
  if (!cost.priced) return false;
  const parts = [
    cost.inputUsd,
    cost.outputUsd,
    cost.cacheReadUsd,
    cost.cacheWriteUsd,
  ];
  return (
    isPlausibleCost(cost.totalUsd) &&
    parts.every(part => part === undefined || isPlausibleCost(part))
  );
}

/**
 * The row of a record, or why it cannot be kept: `no_key` (a record built
 * by hand without `traceId`/`spanId`), `bad_time` (a start time outside
 * 1970 to 9999, or not a number: stored, it would fail its batch on every
 * retry, or every report). Token counts the core would refuse (fractions,
 * negatives, past `MAX_TOKEN_COUNT`) are stored as unknown (null).
 */
export function ledgerRowOf(
  record: CostRecord,
  service: string | undefined,
): LedgerRow | UnkeepableRecord {
  const { call, cost, identity, traceId, spanId } = record;
  if (traceId === undefined || spanId === undefined) return 'no_key';
  if (!isLedgerTime(call.startTimeMillis)) return 'bad_time';
  const usage = call.usage;
  const priced = pricedAmounts(cost) ? cost : undefined;
  return {
    traceId,
    spanId,
    timeMillis: Math.floor(call.startTimeMillis),
    service: textOrNull(service),
    userId: textOrNull(identity.userId),
    sessionId: textOrNull(identity.sessionId),
    tenantId: textOrNull(identity.tenantId),
    plan: textOrNull(identity.plan),
    feature: textOrNull(identity.feature),
    tags: otherTags(identity.tags),
    provider: textOrNull(call.provider),
    model: textOrNull(call.model),
    inputTokens: tokensOrNull(usage?.inputTokens),
    outputTokens: tokensOrNull(usage?.outputTokens),
    cacheReadTokens: tokensOrNull(usage?.cacheReadTokens),
    cacheWriteTokens: tokensOrNull(usage?.cacheWriteTokens),
    reasoningTokens: tokensOrNull(usage?.reasoningTokens),
    inputNanoUsd: priced ? toNanoUsd(priced.inputUsd) : null,
    outputNanoUsd: priced ? toNanoUsd(priced.outputUsd) : null,
    cacheReadNanoUsd: priced ? toNanoUsd(priced.cacheReadUsd) : null,
    cacheWriteNanoUsd: priced ? toNanoUsd(priced.cacheWriteUsd) : null,
    totalNanoUsd: priced ? toNanoUsd(priced.totalUsd) : null,
    source: priced?.source ?? null,
    priceVersion: priced?.priceVersion ?? null,
    unpricedReason: priced ? null : cost.priced ? 'price_error' : cost.reason,
  };
}

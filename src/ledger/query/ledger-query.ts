/**
 * What a ledger report asks for, and what each of its rows says. One row
 * per group of calls (`by`), money summed exactly as integer nano-dollars
 * and converted to US dollars once.
 */

/** How calls are grouped. `day` is the UTC calendar day of the span start. */
export type LedgerQueryBy =
  'user' | 'tenant' | 'model' | 'plan' | 'feature' | 'day';

export const LEDGER_QUERY_BY: readonly LedgerQueryBy[] = [
  'user',
  'tenant',
  'model',
  'plan',
  'feature',
  'day',
];

/** Largest `top`. */
export const MAX_LEDGER_QUERY_TOP = 1_000_000;

/** A report over the ledger's rows. Every value is bound as a parameter, never spliced into SQL. */
export interface LedgerQuery {
  /** The grouping. */
  readonly by: LedgerQueryBy;
  /** Calls that started at or after this instant. */
  readonly since?: Date | undefined;
  /** Calls that started before this instant (exclusive). */
  readonly until?: Date | undefined;
  /** Only this tenant's calls. */
  readonly tenantId?: string | undefined;
  /** Only this user's calls (the id as stored: a pseudonym with `hmacSecret`). */
  readonly userId?: string | undefined;
  /**
   * Only calls carrying every one of these tags. `userId`, `sessionId`,
   * `tenantId`, `plan` and `feature` match their columns; other keys match
   * the row's `tags` (the allow-listed `tagKeys`).
   */
  readonly tags?: Readonly<Record<string, string>> | undefined;
  /**
   * At most this many rows: the biggest spenders (for `day`, the latest
   * days). @defaultValue all
   */
  readonly top?: number | undefined;
}

/** One group of calls. */
export interface LedgerReportRow {
  /**
   * The group: user id, tenant id, model, plan, feature, or the day as
   * `YYYY-MM-DD` (UTC). Null for calls without that field (e.g. no user).
   */
  readonly key: string | null;
  /**
   * `by: 'user'`: the user's tenant (a user id seen in two tenants gives
   * two rows); `by: 'tenant'`: the key. Otherwise the one tenant of every
   * call in the group, or null when they span several tenants (or have none).
   */
  readonly tenant: string | null;
  /** Sum of the priced calls, in USD (exact to the nano-dollar before the one conversion). */
  readonly spendUsd: number;
  /** Calls, priced or not. */
  readonly calls: number;
  /** Calls without a price (unknown model, missing usage, ...): counted, never as $0 spend. */
  readonly unpricedCalls: number;
  /** Input tokens, cache reads and writes included. */
  readonly inputTokens: number;
  /** Output tokens, reasoning included. */
  readonly outputTokens: number;
  /** Start of the latest call, ISO 8601 UTC. */
  readonly lastSeen: string;
  /** The model with the most spend in the group (then the most calls, then by name); null when no call names one. */
  readonly topModel: string | null;
}

/** A query the ledger cannot run (a bad grouping, date, `top` or filter). */
export class LedgerQueryError extends Error {
  /** Always `LedgerQueryError`. */
  override readonly name = 'LedgerQueryError';
}

function checkDate(name: string, value: Date | undefined): void {
  if (value === undefined) return;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new LedgerQueryError(`ledger query: ${name} must be a valid Date`);
  }
}

function checkText(name: string, value: unknown): void {
  if (typeof value !== 'string' || value === '') {
    throw new LedgerQueryError(
      `ledger query: ${name} must be a non-empty string`,
    );
  }
}

/** Throws a `LedgerQueryError` naming the first thing wrong with the query. */
export function checkLedgerQuery(q: LedgerQuery): void {
  if (!LEDGER_QUERY_BY.includes(q.by)) {
    throw new LedgerQueryError(
      `ledger query: by must be one of ${LEDGER_QUERY_BY.join(', ')}`,
    );
  }
  checkDate('since', q.since);
  checkDate('until', q.until);
  if (q.tenantId !== undefined) checkText('tenantId', q.tenantId);
  if (q.userId !== undefined) checkText('userId', q.userId);
  for (const [key, value] of Object.entries(q.tags ?? {})) {
    checkText('a tag key', key);
    checkText(`tag ${JSON.stringify(key)}`, value);
  }
  if (
    q.top !== undefined &&
    !(
      Number.isSafeInteger(q.top) &&
      q.top >= 1 &&
      q.top <= MAX_LEDGER_QUERY_TOP
    )
  ) {
    throw new LedgerQueryError(
      `ledger query: top must be a whole number from 1 to ${MAX_LEDGER_QUERY_TOP}`,
    );
  }
}

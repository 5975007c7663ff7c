import {
  IdentityPolicy,
  REDACTED_EMAIL,
} from '../core/identity/identity-policy.js';
import { ledgerText } from './ledger-row.js';
import type { LedgerStore } from './ledger-store.js';

/** How the pipeline wrote user ids: the identity settings it ran with. */
export interface ForgetIdentityOptions {
  /** `hmacSecret` (`OTEL_GENAI_COST_HMAC_SECRET`): ids were pseudonymized with it. */
  readonly hmacSecret?: string | undefined;
  /** `pseudonymizeKeys`. @defaultValue ['userId'] */
  readonly pseudonymizeKeys?: readonly string[] | undefined;
  /** `maxTagValueLength`: longer ids were truncated. @defaultValue 128 */
  readonly maxTagValueLength?: number | undefined;
  /** `allowRawEmail`. @defaultValue false */
  readonly allowRawEmail?: boolean | undefined;
}

/**
 * The `user_id` values rows of this user may hold: the value the pipeline
 * writes for the raw id (its pseudonym when a secret is set, through the
 * same `IdentityPolicy`), and the id as written without pseudonymization
 * (rows kept before a secret was set). Never `redacted-email`: that value
 * stands for every user whose id was an e-mail address without a secret,
 * and no single one can be told apart.
 */
export function storedUserIds(
  userId: string,
  options: ForgetIdentityOptions = {},
): string[] {
  const common = {
    ...(options.maxTagValueLength === undefined
      ? {}
      : { maxValueLength: options.maxTagValueLength }),
    ...(options.pseudonymizeKeys === undefined
      ? {}
      : { pseudonymizeKeys: options.pseudonymizeKeys }),
  };
  const values = new Set([
    new IdentityPolicy({
      ...common,
      hmacSecret: options.hmacSecret,
      allowRawEmail: options.allowRawEmail === true,
    }).outputValue('userId', userId),
    new IdentityPolicy({ ...common, allowRawEmail: true }).outputValue(
      'userId',
      userId,
    ),
  ]);
  values.delete(REDACTED_EMAIL);
  // As the rows hold them (no NUL, lone surrogates as U+FFFD).
  return [...new Set([...values].map(ledgerText))];
}

/** What `forgetUser` deleted. */
export interface ForgetResult {
  /** Call rows. */
  readonly deleted: number;
  /** Billing export outbox entries billed to the user (`export --by user`). */
  readonly billingEvents: number;
}

/** Whether the billing export's outbox exists in this ledger. */
async function hasBillingOutbox(store: LedgerStore): Promise<boolean> {
  const rows =
    store.dialect === 'postgres'
      ? await store.select(
          "SELECT 1 AS present WHERE to_regclass('billing_outbox') IS NOT NULL",
        )
      : await store.select(
          "SELECT 1 AS present FROM sqlite_master WHERE type = 'table' AND name = 'billing_outbox'",
        );
  return rows.length > 0;
}

/**
 * Deletes the billing export's outbox entries billed to this user
 * (`export --by user`): they hold the user id and the request bodies. Safe
 * for billing: the user's calls are gone too, so a later export finds
 * nothing of theirs to send again.
 */
async function forgetBilledUser(
  store: LedgerStore,
  ids: readonly string[],
): Promise<number> {
  if (!(await hasBillingOutbox(store))) return 0;
  const list = ids.map(() => '?').join(', ');
  return store.execute(
    `DELETE FROM billing_outbox WHERE customer_by = 'user' AND customer IN (${list})`,
    ids,
  );
}

/**
 * Deletes every ledger row of a user (by the raw id; see `storedUserIds`)
 * and, on PostgreSQL, the user's daily sums in the same statement.
 * Also deletes the billing export's outbox entries billed to that user.
 * Resolves to the number of call rows and outbox entries deleted.
 */
export async function forgetUser(
  store: LedgerStore,
  userId: string,
  options: ForgetIdentityOptions = {},
): Promise<ForgetResult> {
  if (userId === '') throw new RangeError('forget: the user id is empty');
  const ids = storedUserIds(userId, options);
  if (ids.length === 0) return { deleted: 0, billingEvents: 0 };
  const list = ids.map(() => '?').join(', ');
  if (store.dialect === 'postgres') {
    const [row] = await store.select(
      `WITH del AS (DELETE FROM llm_calls WHERE user_id IN (${list}) RETURNING 1),
            sums AS (DELETE FROM llm_calls_daily WHERE user_id IN (${list}))
       SELECT count(*)::bigint AS deleted FROM del`,
      [...ids, ...ids],
    );
    return {
      deleted: Number(row?.['deleted'] ?? 0),
      billingEvents: await forgetBilledUser(store, ids),
    };
  }
  return {
    deleted: await store.execute(
      `DELETE FROM llm_calls WHERE user_id IN (${list})`,
      ids,
    ),
    billingEvents: await forgetBilledUser(store, ids),
  };
}

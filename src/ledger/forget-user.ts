import {
  IdentityPolicy,
  REDACTED_EMAIL,
} from '../core/identity/identity-policy.js';
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
  return [...values];
}

/**
 * Deletes every ledger row of a user (by the raw id; see `storedUserIds`)
 * and, on PostgreSQL, the user's daily sums in the same statement.
 * Resolves to the number of call rows deleted.
 */
export async function forgetUser(
  store: LedgerStore,
  userId: string,
  options: ForgetIdentityOptions = {},
): Promise<{ deleted: number }> {
  if (userId === '') throw new RangeError('forget: the user id is empty');
  const ids = storedUserIds(userId, options);
  if (ids.length === 0) return { deleted: 0 };
  const list = ids.map(() => '?').join(', ');
  if (store.dialect === 'postgres') {
    const [row] = await store.select(
      `WITH del AS (DELETE FROM llm_calls WHERE user_id IN (${list}) RETURNING 1),
            sums AS (DELETE FROM llm_calls_daily WHERE user_id IN (${list}))
       SELECT count(*)::bigint AS deleted FROM del`,
      [...ids, ...ids],
    );
    return { deleted: Number(row?.['deleted'] ?? 0) };
  }
  return {
    deleted: await store.execute(
      `DELETE FROM llm_calls WHERE user_id IN (${list})`,
      ids,
    ),
  };
}

import { createHash } from 'node:crypto';
import type { BudgetScope } from './budget-types.js';

/**
 * The store's key layout, in one place. Every key of a subject carries
 * its hash tag `{<scope>:<id>}` (the id encoded by `encodeSubjectId`, so
 * it holds no `{`, `}` or `:`),
 * so a subject's keys share a Redis Cluster slot (the scripts themselves
 * touch the keys of a call's user, tenant and plan together: one Redis
 * node, or a primary with replicas, not a Cluster):
 *
 * - `<prefix>{user:alice}:s:day@Europe/Berlin:2026-11-30`: spend of a
 *   calendar window (integer micro-dollars), expiring an hour past its end;
 * - `<prefix>{user:alice}:h:493848`: spend of one hour (hours since the
 *   epoch) for the rolling windows, expiring when the longest rolling
 *   window no longer covers it;
 * - `<prefix>seen:<trace id>:<span id>`: the call was counted (no subject
 *   in it: a redelivery counts once even if its attribution changed);
 * - `<prefix>{user:alice}:a:<window key>:<limit micros>:<threshold>`:
 *   the alert fired in this window;
 * - `<prefix>{user:alice}:r`: sorted set of reservations (member
 *   `<id>:<micros>`, score its expiry).
 */
export class BudgetKeys {
  constructor(private readonly prefix: string) {}

  tag(scope: BudgetScope, id: string): string {
    return `${this.prefix}{${scope}:${encodeSubjectId(id)}}`;
  }

  spend(tag: string, windowKey: string): string {
    return `${tag}:s:${windowKey}`;
  }

  hour(tag: string, hour: number): string {
    return `${tag}:h:${hour}`;
  }

  seen(callKey: string): string {
    return `${this.prefix}seen:${callKey}`;
  }

  alert(
    tag: string,
    windowKey: string,
    limitMicros: number,
    threshold: number,
  ): string {
    return `${tag}:a:${windowKey}:${limitMicros}:${threshold}`;
  }

  reservations(tag: string): string {
    return `${tag}:r`;
  }
}

/** Longer encoded ids are replaced by a digest (keys stay small in memory and Redis). */
export const MAX_ENCODED_ID_LENGTH = 256;

/**
 * A subject id as it appears in keys: URI-encoded (no `{`, `}`, `:` or
 * `%` left bare). A lone surrogate, which `encodeURIComponent` refuses
 * with a URIError, is written `%u` and its four hex digits; an id whose
 * encoding is longer than `MAX_ENCODED_ID_LENGTH` is written `%h` and the
 * SHA-256 of its UTF-16 code units (43 base64url characters). Neither
 * `%u` nor `%h` is ever produced by `encodeURIComponent`, so no two ids
 * share a key.
 */
export function encodeSubjectId(id: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(id);
  } catch {
    encoded = id.replace(
      /[\uD800-\uDBFF][\uDC00-\uDFFF]|[\uD800-\uDFFF]|[^\uD800-\uDFFF]+/g,
      part =>
        part.length === 1 &&
        part.charCodeAt(0) >= 0xd800 &&
        part.charCodeAt(0) <= 0xdfff
          ? `%u${part.charCodeAt(0).toString(16).toUpperCase()}`
          : encodeURIComponent(part),
    );
  }
  if (encoded.length <= MAX_ENCODED_ID_LENGTH) return encoded;
  return `%h${createHash('sha256').update(Buffer.from(id, 'utf16le')).digest('base64url')}`;
}

/**
 * The most one call counts: 1e15 micro-dollars, the largest `limitUsd`
 * (a call costing more changes no answer). Sums stay exact integers in
 * JavaScript, Lua and Redis's 64-bit counters.
 */
export const MAX_CALL_MICROS = 1e15;

/**
 * A call's cost in micro-dollars (at most `MAX_CALL_MICROS`), or undefined
 * when it is not a finite amount of at least 0 (NaN would poison a memory
 * counter and make Redis refuse the script on every replay).
 */
export function costMicros(usd: number): number | undefined {
  if (typeof usd !== 'number' || !Number.isFinite(usd) || usd < 0) {
    return undefined;
  }
  return Math.min(toMicros(usd), MAX_CALL_MICROS);
}

/** USD to integer micro-dollars (rounded to the nearest). */
export function toMicros(usd: number): number {
  return Math.round(usd * 1_000_000);
}

export function fromMicros(micros: number): number {
  return micros / 1_000_000;
}

import type { BudgetScope } from './budget-types.js';

/**
 * The store's key layout, in one place. Every key of a subject carries
 * its hash tag `{<scope>:<id>}` (the id URI-encoded, so it holds no `}`),
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
    return `${this.prefix}{${scope}:${encodeURIComponent(id)}}`;
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

/** USD to integer micro-dollars (rounded to the nearest). */
export function toMicros(usd: number): number {
  return Math.round(usd * 1_000_000);
}

export function fromMicros(micros: number): number {
  return micros / 1_000_000;
}

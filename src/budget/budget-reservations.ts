import type { SubjectIds } from './budget-plan.js';

interface Held {
  readonly member: string;
  readonly sets: readonly string[];
  readonly expireAt: number;
}

/** Reservations this guard made and no call settled yet, at most this many. */
export const MAX_HELD_RESERVATIONS = 10_000;

/**
 * The reservations this replica holds, oldest first per subject. A
 * reservation belongs to the subject's most specific id (user, else
 * tenant, else plan); a priced call of that subject settles the oldest.
 * Forgetting one here (past the bound, or expired) leaves it to its time
 * to live in the store.
 */
export class BudgetReservations {
  private readonly held = new Map<string, Held[]>();
  private count = 0;

  static owner(ids: SubjectIds): string | undefined {
    if (ids.user !== undefined) return `user:${ids.user}`;
    if (ids.tenant !== undefined) return `tenant:${ids.tenant}`;
    if (ids.plan !== undefined) return `plan:${ids.plan}`;
    return undefined;
  }

  add(ids: SubjectIds, held: Held): void {
    const owner = BudgetReservations.owner(ids);
    if (owner === undefined) return;
    let list = this.held.get(owner);
    if (list === undefined) {
      list = [];
      this.held.set(owner, list);
    }
    list.push(held);
    this.count += 1;
    while (this.count > MAX_HELD_RESERVATIONS) {
      const [oldest, oldList] = this.held.entries().next().value as [
        string,
        Held[],
      ];
      oldList.shift();
      this.count -= 1;
      if (oldList.length === 0) this.held.delete(oldest);
    }
  }

  /** The oldest live reservation of the subject, as the sets to remove it from. */
  take(ids: SubjectIds, now: number): { setKey: string; member: string }[] {
    const owner = BudgetReservations.owner(ids);
    const list = owner === undefined ? undefined : this.held.get(owner);
    if (owner === undefined || list === undefined) return [];
    let held: Held | undefined;
    while (held === undefined && list.length > 0) {
      const next = list.shift() as Held;
      this.count -= 1;
      if (next.expireAt > now) held = next;
    }
    if (list.length === 0) this.held.delete(owner);
    return held === undefined
      ? []
      : held.sets.map(setKey => ({ setKey, member: held.member }));
  }

  get size(): number {
    return this.count;
  }
}

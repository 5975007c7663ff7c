import type { SubjectIds } from './budget-plan.js';

export interface Held {
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

  /** The oldest live reservation of the subject (removed from this list). */
  take(ids: SubjectIds, now: number): Held | undefined {
    const owner = BudgetReservations.owner(ids);
    const list = owner === undefined ? undefined : this.held.get(owner);
    if (owner === undefined || list === undefined) return undefined;
    let held: Held | undefined;
    while (held === undefined && list.length > 0) {
      const next = list.shift() as Held;
      this.count -= 1;
      if (next.expireAt > now) held = next;
    }
    if (list.length === 0) this.held.delete(owner);
    return held;
  }

  /**
   * Gives back a reservation a call did not settle (the store had counted
   * that call already: a redelivery settles nothing), as the oldest.
   */
  putBack(ids: SubjectIds, held: Held): void {
    const owner = BudgetReservations.owner(ids);
    if (owner === undefined || this.count >= MAX_HELD_RESERVATIONS) return;
    const list = this.held.get(owner);
    if (list === undefined) this.held.set(owner, [held]);
    else list.unshift(held);
    this.count += 1;
  }

  get size(): number {
    return this.count;
  }
}

/**
 * A map bounded by two generations: when the young generation is full it
 * becomes the old one and the previous old generation is dropped whole. O(1)
 * per operation (evicting one entry at a time from a big `Map` walks over the
 * holes its deletions left and costs microseconds), and never more than
 * `maxEntries` entries.
 *
 * Each generation's `Map` holds one private key besides the entries
 * (`HELD`, never a string, so no caller can read, set or delete it): V8
 * shrinks a `Map` whose deletion leaves it fewer entries than half its
 * buckets, which for a small map means a runtime call and a new table each
 * time its last entry is deleted (a gateway trace's coverage mark is set
 * and taken once per trace). With the key held, a small map is never
 * emptied. Sizes and the generation bound count the entries only.
 */
export class GenerationalMap<V> {
  private _young = generation<V>();
  private _old = generation<V>();
  private readonly _generationSize: number;

  constructor(maxEntries: number) {
    this._generationSize = Math.max(1, Math.floor(maxEntries / 2));
  }

  get size(): number {
    return this._young.size + this._old.size - 2;
  }

  get(key: string): V | undefined {
    const young = this._young.get(key);
    // The old generation is empty until the young one first fills up.
    return young !== undefined || this._old.size === 1
      ? young
      : this._old.get(key);
  }

  set(key: string, value: V): void {
    // `size - 1` entries: the young generation is full at `size - 1 >= n`.
    if (this._young.size > this._generationSize && !this._young.has(key)) {
      this._old = this._young;
      this._young = generation();
    }
    this._young.set(key, value);
  }

  /** Removes the key; returns whether it was present. */
  delete(key: string): boolean {
    return (
      this._young.delete(key) || (this._old.size !== 1 && this._old.delete(key))
    );
  }

  /**
   * Empties both generations. A generation without entries is left as it
   * is: V8's `Map.prototype.clear` allocates a new backing table even for
   * an empty map (the gateway clears a reused trace engine's maps per
   * trace).
   */
  clear(): void {
    if (this._young.size !== 1) this._young = generation();
    if (this._old.size !== 1) this._old = generation();
  }
}

/** The key each generation holds besides its entries (see the class). */
const HELD = Symbol('held') as unknown as string;

/** An empty generation: a `Map` holding `HELD` only. */
function generation<V>(): Map<string, V> {
  const map = new Map<string, V>();
  map.set(HELD, undefined as V);
  return map;
}

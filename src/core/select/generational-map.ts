/**
 * A map bounded by two generations: when the young generation is full it
 * becomes the old one and the previous old generation is dropped whole. O(1)
 * per operation (evicting one entry at a time from a big `Map` walks over the
 * holes its deletions left and costs microseconds), and never more than
 * `maxEntries` entries.
 */
export class GenerationalMap<V> {
  private _young = new Map<string, V>();
  private _old = new Map<string, V>();
  private readonly _generationSize: number;

  constructor(maxEntries: number) {
    this._generationSize = Math.max(1, Math.floor(maxEntries / 2));
  }

  get size(): number {
    return this._young.size + this._old.size;
  }

  get(key: string): V | undefined {
    const young = this._young.get(key);
    // The old generation is empty until the young one first fills up.
    return young !== undefined || this._old.size === 0
      ? young
      : this._old.get(key);
  }

  set(key: string, value: V): void {
    if (this._young.size >= this._generationSize && !this._young.has(key)) {
      this._old = this._young;
      this._young = new Map();
    }
    this._young.set(key, value);
  }

  /** Removes the key; returns whether it was present. */
  delete(key: string): boolean {
    return (
      this._young.delete(key) || (this._old.size !== 0 && this._old.delete(key))
    );
  }

  /**
   * Empties both generations. An empty `Map` is left as it is: V8's
   * `Map.prototype.clear` allocates a new backing table even for an empty
   * map (the gateway clears a reused trace engine's maps per trace).
   */
  clear(): void {
    if (this._young.size !== 0) this._young.clear();
    if (this._old.size !== 0) this._old.clear();
  }
}

/**
 * A first-seen admission set that never holds more than `capacity` keys and
 * never evicts: once full, new keys are refused for the life of the process.
 * Refusing (instead of evicting) is what keeps a cumulative counter's series
 * count bounded over time; the price is that which keys get in depends on
 * arrival order, so it can differ between replicas.
 */
export class BoundedAdmission {
  private readonly _keys = new Set<string>();
  readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = Math.max(0, Math.floor(capacity));
  }

  /** True when `key` is (or has just been) admitted. */
  admit(key: string): boolean {
    if (this._keys.has(key)) return true;
    if (this._keys.size >= this.capacity) return false;
    this._keys.add(key);
    return true;
  }

  get size(): number {
    return this._keys.size;
  }
}

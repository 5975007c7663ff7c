/**
 * `GenerationalMap`'s contract (two generations: when the young one holds
 * `maxEntries / 2` keys and a new key comes, it becomes the old one and the
 * previous old one is dropped whole) for string keys, in open-addressing
 * tables: one typed array of hashes probed linearly, the keys and values in
 * two arrays beside it. For a big memory read on every call (the duplicate
 * detector's response ids): a `Map` of thousands of entries is out of the
 * CPU caches by the time the next span ends (the SDK allocates kilobytes
 * per span in between), so each look-up walked a bucket chain through
 * several cache misses (~300 ns per LLM span measured); here a look-up
 * reads one slot of a compact hash array, then compares the one key whose
 * hash matches. No allocation per call: the dropped generation's arrays
 * are cleared and reused as the new young one.
 *
 * Keys are hashed with a seed drawn per process, so a caller cannot choose
 * keys that collide; a table is at most half full. Memory: at most
 * `maxEntries` keys and values, in tables at most half full that grow by
 * doubling from 4 slots, allocated at the first key (nothing for an
 * engine that sees no call, a few hundred bytes for one that sees a few);
 * 10,000 ids take two tables of 16,384 slots, ~640 KB with their arrays.
 */
export class StringGenerations<V> {
  private _young = new Table<V>();
  private _old = new Table<V>();
  private readonly _generationSize: number;
  private readonly _hash: (key: string) => number;

  /** `hash` is for tests (colliding keys); it must never return 0. */
  constructor(maxEntries: number, hash: (key: string) => number = hashOf) {
    this._generationSize = Math.max(1, Math.floor(maxEntries / 2));
    this._hash = hash;
  }

  get size(): number {
    return this._young.size + this._old.size;
  }

  get(key: string): V | undefined {
    const hash = this._hash(key);
    const young = this._young.get(key, hash);
    // The old generation is empty until the young one first fills up.
    return young !== undefined || this._old.size === 0
      ? young
      : this._old.get(key, hash);
  }

  set(key: string, value: V): void {
    const hash = this._hash(key);
    const young = this._young;
    const slot = young.slotOf(key, hash);
    if (young.holds(slot)) {
      young.replace(slot, value);
      return;
    }
    if (young.size >= this._generationSize) {
      const dropped = this._old;
      dropped.clear();
      this._old = young;
      this._young = dropped;
      this._young.add(key, hash, value);
      return;
    }
    young.insert(slot, key, hash, value);
  }

  clear(): void {
    this._young.clear();
    this._old.clear();
  }
}

const INITIAL_SLOTS = 4;
/** Shared by every table until its first key (never written: see slotOf). */
const NO_SLOTS = new Int32Array(0);
const NO_ENTRIES: undefined[] = [];
/** Per process: which keys collide cannot be chosen from outside. */
const SEED = (Math.random() * 0x100000000) >>> 0;

/** Seeded 32-bit FNV-1a over UTF-16 code units; never 0 (the empty slot). */
function hashOf(key: string): number {
  let hash = 0x811c9dc5 ^ SEED;
  for (let i = 0; i < key.length; i++) {
    hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  }
  return hash === 0 ? 1 : hash;
}

/** One generation: linear probing, at most half full. */
class Table<V> {
  size = 0;
  /** Allocated at the first key (an engine that sees no call holds none). */
  private _hashes = NO_SLOTS;
  private _keys: (string | undefined)[] = NO_ENTRIES;
  private _values: (V | undefined)[] = NO_ENTRIES;
  private _mask = 0;

  get(key: string, hash: number): V | undefined {
    if (this.size === 0) return undefined;
    const slot = this.slotOf(key, hash);
    return this._hashes[slot] === 0 ? undefined : this._values[slot];
  }

  /** The key's slot, or the empty slot where it would go. */
  slotOf(key: string, hash: number): number {
    if (this._hashes.length === 0) this._allocate(INITIAL_SLOTS);
    const hashes = this._hashes;
    const mask = this._mask;
    let slot = hash & mask;
    for (;;) {
      const found = hashes[slot];
      if (found === 0) return slot;
      if (found === hash && this._keys[slot] === key) return slot;
      slot = (slot + 1) & mask;
    }
  }

  holds(slot: number): boolean {
    return this._hashes[slot] !== 0;
  }

  replace(slot: number, value: V): void {
    this._values[slot] = value;
  }

  /** Adds a key known absent, at its empty slot (`slotOf`). */
  insert(slot: number, key: string, hash: number, value: V): void {
    if ((this.size + 1) * 2 > this._hashes.length) {
      this._grow();
      this.add(key, hash, value);
      return;
    }
    this._hashes[slot] = hash;
    this._keys[slot] = key;
    this._values[slot] = value;
    this.size += 1;
  }

  /** Adds a key known absent. */
  add(key: string, hash: number, value: V): void {
    this.insert(this.slotOf(key, hash), key, hash, value);
  }

  clear(): void {
    if (this.size === 0) return;
    this._hashes.fill(0);
    this._keys.fill(undefined);
    this._values.fill(undefined);
    this.size = 0;
  }

  private _allocate(slots: number): void {
    this._hashes = new Int32Array(slots);
    this._keys = new Array<undefined>(slots).fill(undefined);
    this._values = new Array<undefined>(slots).fill(undefined);
    this._mask = slots - 1;
    this.size = 0;
  }

  private _grow(): void {
    const hashes = this._hashes;
    const keys = this._keys;
    const values = this._values;
    this._allocate(hashes.length * 2);
    for (let i = 0; i < hashes.length; i++) {
      const hash = hashes[i] as number;
      if (hash === 0) continue;
      const key = keys[i] as string;
      this.insert(this.slotOf(key, hash), key, hash, values[i] as V);
    }
  }
}

/** What `TraceTable` holds: an entry keyed by its trace id. */
export interface TraceTableEntry {
  readonly traceId: string;
  /** The table's hash of `traceId`, set when added (where to find it). */
  tableHash: number;
}

/** A slot without an entry (no stored hash is 0: see `hashOf`). */
const EMPTY = 0;
const MIN_SLOTS = 16;
/**
 * Every entry lies fewer slots than this past its home slot: an entry that
 * would lie further (at a load of at most one half this does not happen by
 * chance, only for trace ids made to collide) moves every entry to a
 * `Map`. So a look-up probes at most this many slots.
 */
const MAX_PROBES = 128;

/**
 * The trace window's traces by trace id: linear probing over a seeded
 * 32-bit hash of the id, the hashes in an `Int32Array` beside the entries,
 * deletions by backward shift (no tombstones, so a look-up of an absent
 * id stops at the first empty slot). Answers like a `Map` of the same
 * entries; cheaper on the gateway's hot path because a trace seen for the
 * first time (almost every trace) costs one read of the hash array where a
 * `Map` of 50,000 traces walks a bucket chain through entries and key
 * strings scattered in the heap (cache misses: about 0.5 µs a look-up and
 * as much a deletion, measured in the gateway's profile).
 *
 * Memory: at most two slots per entry plus the smallest table (12 bytes a
 * slot); grows by doubling, never shrinks (bounded by the window's
 * `maxTraces`); `clear` frees it. A sender that finds ids colliding under
 * the per-process seed makes runs longer than `MAX_PROBES`: the table then
 * keeps its entries in a `Map` until cleared (V8's own seeded hash).
 */
export class TraceTable<E extends TraceTableEntry> {
  private _hashes = new Int32Array(MIN_SLOTS);
  private _entries = new Array<E | undefined>(MIN_SLOTS).fill(undefined);
  private _mask = MIN_SLOTS - 1;
  private _size = 0;
  /** Where the entries are kept once the hash was defeated. */
  private _map: Map<string, E> | undefined = undefined;
  /** The id hashed last and its hash (a look-up is followed by an add). */
  private _lastId: string | undefined = undefined;
  private _lastHash = 0;

  get size(): number {
    return this._map === undefined ? this._size : this._map.size;
  }

  get(traceId: string): E | undefined {
    if (this._map !== undefined) return this._map.get(traceId);
    const hash = this._hashOf(traceId);
    const hashes = this._hashes;
    const mask = this._mask;
    let slot = hash & mask;
    // Every entry lies fewer than MAX_PROBES slots past its home (`add`).
    for (let probes = 0; probes < MAX_PROBES; probes += 1) {
      const stored = hashes[slot] as number;
      if (stored === EMPTY) return undefined;
      if (stored === hash) {
        const entry = this._entries[slot] as E;
        if (entry.traceId === traceId) return entry;
      }
      slot = (slot + 1) & mask;
    }
    return undefined;
  }

  /** Adds an entry whose trace id the table does not hold. */
  add(entry: E): void {
    if (this._map !== undefined) {
      this._map.set(entry.traceId, entry);
      return;
    }
    if ((this._size + 1) * 2 > this._hashes.length) this._grow();
    const hash = this._hashOf(entry.traceId);
    entry.tableHash = hash;
    const hashes = this._hashes;
    const mask = this._mask;
    let slot = hash & mask;
    for (let probes = 1; hashes[slot] !== EMPTY; probes += 1) {
      if (probes >= MAX_PROBES) {
        this._toMap().set(entry.traceId, entry);
        return;
      }
      slot = (slot + 1) & mask;
    }
    hashes[slot] = hash;
    this._entries[slot] = entry;
    this._size += 1;
  }

  /** Removes the entry (nothing when the table does not hold it). */
  delete(entry: E): void {
    if (this._map !== undefined) {
      if (this._map.get(entry.traceId) === entry) {
        this._map.delete(entry.traceId);
      }
      return;
    }
    const hashes = this._hashes;
    const entries = this._entries;
    const mask = this._mask;
    let hole = entry.tableHash & mask;
    for (let probes = 1; entries[hole] !== entry; probes += 1) {
      if (hashes[hole] === EMPTY || probes >= MAX_PROBES) return;
      hole = (hole + 1) & mask;
    }
    // Backward shift: each later entry of the run whose home slot is not
    // between the hole and itself moves into the hole.
    let next = (hole + 1) & mask;
    for (let probes = 0; hashes[next] !== EMPTY; probes += 1) {
      if (probes >= MAX_PROBES) {
        // The hole holds the deleted entry or a copy of one moved: with it
        // emptied, the slots hold every other entry once (placed or not,
        // which the Map does not need).
        hashes[hole] = EMPTY;
        entries[hole] = undefined;
        this._toMap();
        return;
      }
      const stored = hashes[next] as number;
      if (((next - stored) & mask) >= ((next - hole) & mask)) {
        hashes[hole] = stored;
        entries[hole] = entries[next];
        hole = next;
      }
      next = (next + 1) & mask;
    }
    hashes[hole] = EMPTY;
    entries[hole] = undefined;
    this._size -= 1;
  }

  clear(): void {
    this._hashes = new Int32Array(MIN_SLOTS);
    this._entries = new Array<E | undefined>(MIN_SLOTS).fill(undefined);
    this._mask = MIN_SLOTS - 1;
    this._size = 0;
    this._map = undefined;
    this._lastId = undefined;
  }

  private _hashOf(traceId: string): number {
    if (traceId !== this._lastId) {
      this._lastId = traceId;
      this._lastHash = hashOf(traceId);
    }
    return this._lastHash;
  }

  /** Twice the slots, every entry placed again (from its stored hash). */
  private _grow(): void {
    const oldHashes = this._hashes;
    const oldEntries = this._entries;
    const slots = oldHashes.length * 2;
    const hashes = new Int32Array(slots);
    const entries = new Array<E | undefined>(slots).fill(undefined);
    const mask = slots - 1;
    let far = false;
    for (let i = 0; i < oldHashes.length; i += 1) {
      const hash = oldHashes[i] as number;
      if (hash === EMPTY) continue;
      let slot = hash & mask;
      for (let probes = 1; hashes[slot] !== EMPTY; probes += 1) {
        if (probes >= MAX_PROBES) far = true;
        slot = (slot + 1) & mask;
      }
      hashes[slot] = hash;
      entries[slot] = oldEntries[i];
    }
    this._hashes = hashes;
    this._entries = entries;
    this._mask = mask;
    if (far) this._toMap();
  }

  /** Moves every entry to a `Map`, kept from now until `clear`. */
  private _toMap(): Map<string, E> {
    const map = new Map<string, E>();
    for (const entry of this._entries) {
      if (entry !== undefined) map.set(entry.traceId, entry);
    }
    this._map = map;
    this._hashes = new Int32Array(0);
    this._entries = [];
    this._size = 0;
    return map;
  }
}

/** Per process: which ids collide cannot be chosen from outside. */
const SEED = (Math.random() * 0x100000000) | 0;

/**
 * A seeded 32-bit hash of the id's UTF-16 code units (two a word,
 * MurmurHash3's mixing), never `EMPTY`.
 */
export function hashOf(id: string): number {
  const length = id.length;
  let h = SEED ^ length;
  let i = 0;
  for (; i + 1 < length; i += 2) {
    h = mixWord(h, id.charCodeAt(i) | (id.charCodeAt(i + 1) << 16));
  }
  if (i < length) h = mixWord(h, id.charCodeAt(i));
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h === EMPTY ? 1 : h;
}

function mixWord(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

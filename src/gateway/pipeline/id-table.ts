/**
 * An index of one request's fixed-length ids (8-byte span ids or 16-byte
 * trace ids) read straight from their bytes: an id's first index, with no
 * string made or hashed. Open addressing over the ids' 32-bit words,
 * reused from request to request (a stamp per slot marks the slots of the
 * current request, so nothing is cleared between requests).
 *
 * Keys are hashed with a seed drawn per process, so a sender cannot choose
 * ids that collide; in case it still finds some, a request whose probes
 * pass a bound linear in its ids is reported `overloaded` and the caller
 * falls back to a `Map` (V8's own seeded string hash).
 */
export class IdTable {
  private readonly _words: 2 | 4;
  private _mask = 0;
  private _stamp = 0;
  private _stamps = new Int32Array(0);
  private _keys = new Int32Array(0);
  private _values = new Int32Array(0);
  private _probes = 0;
  private _maxProbes = 0;

  /** `words`: the id's length in 32-bit words (2 for span ids, 4 for trace ids). */
  constructor(words: 2 | 4) {
    this._words = words;
  }

  /** Forgets the previous request's ids; room for `ids` ids. */
  reset(ids: number): void {
    const slots = slotsFor(ids);
    if (this._stamps.length < slots || this._stamps.length > slots * 8) {
      this._stamps = new Int32Array(slots);
      this._keys = new Int32Array(slots * this._words);
      this._values = new Int32Array(slots);
      this._stamp = 0;
    }
    this._mask = this._stamps.length - 1;
    this._stamp += 1;
    if (this._stamp === 0x7fffffff) {
      this._stamps.fill(0);
      this._stamp = 1;
    }
    this._probes = 0;
    this._maxProbes = 8 * ids + 64;
  }

  /** Probes past the bound: the table's answers are not to be used. */
  get overloaded(): boolean {
    return this._probes > this._maxProbes;
  }

  /**
   * The value of the id held in `bytes` (of the table's length), adding it
   * with `value` when absent (then returns `value`).
   */
  findOrAdd(bytes: Uint8Array, value: number): number {
    return this._slot(bytes, value, true);
  }

  /** The value of the id held in `bytes`, or -1; any length (-1 if not the table's). */
  find(bytes: Uint8Array): number {
    if (bytes.length !== this._words * 4) return -1;
    return this._slot(bytes, -1, false);
  }

  private _slot(bytes: Uint8Array, value: number, add: boolean): number {
    const w0 = word(bytes, 0);
    const w1 = word(bytes, 4);
    const four = this._words === 4;
    const w2 = four ? word(bytes, 8) : 0;
    const w3 = four ? word(bytes, 12) : 0;
    let h = Math.imul(w0 ^ SEED, 0x9e3779b1);
    h = Math.imul(h ^ (h >>> 15) ^ w1, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13) ^ w2, 0xc2b2ae35);
    h = Math.imul(h ^ (h >>> 16) ^ w3, 0x27d4eb2f);
    h ^= h >>> 15;
    const stamps = this._stamps;
    const keys = this._keys;
    const stamp = this._stamp;
    const mask = this._mask;
    const words = this._words;
    let slot = h & mask;
    for (;;) {
      // Past the bound every answer is "absent" (the caller falls back).
      if (++this._probes > this._maxProbes) return add ? value : -1;
      if (stamps[slot] !== stamp) {
        if (!add) return -1;
        stamps[slot] = stamp;
        const k = slot * words;
        keys[k] = w0;
        keys[k + 1] = w1;
        if (four) {
          keys[k + 2] = w2;
          keys[k + 3] = w3;
        }
        this._values[slot] = value;
        return value;
      }
      const k = slot * words;
      if (
        keys[k] === w0 &&
        keys[k + 1] === w1 &&
        (!four || (keys[k + 2] === w2 && keys[k + 3] === w3))
      ) {
        return this._values[slot] as number;
      }
      slot = (slot + 1) & mask;
    }
  }
}

/** Per process: which ids collide cannot be chosen from outside. */
const SEED = (Math.random() * 0x100000000) | 0;

/** A power of two at least twice `ids` (at least 16). */
function slotsFor(ids: number): number {
  let slots = 16;
  while (slots < ids * 2) slots *= 2;
  return slots;
}

/** The little-endian 32-bit word at `at`. */
function word(bytes: Uint8Array, at: number): number {
  return (
    (bytes[at] as number) |
    ((bytes[at + 1] as number) << 8) |
    ((bytes[at + 2] as number) << 16) |
    ((bytes[at + 3] as number) << 24)
  );
}

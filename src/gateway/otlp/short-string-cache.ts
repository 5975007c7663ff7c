/** Slots of the cache (a power of two). */
const SLOTS = 1024;
/** Longer strings are not cached. */
const MAX_BYTES = 64;

/**
 * Strings decoded from short UTF-8 byte ranges, remembered by their bytes:
 * attribute keys and span names repeat across spans and requests, and
 * decoding one costs a call into C++ and a new string (which V8 must then
 * internalize to use it as a property key), while finding it here costs a
 * hash and a compare of its bytes in JavaScript, and gives the same string
 * each time. Direct-mapped (a new string takes its slot), so its memory is
 * fixed: 1,024 slots of at most 64 bytes copied into one 64 KiB buffer,
 * plus their strings (about 150 KB at most). The bytes are compared in
 * full, so a hit is exactly what decoding would have given.
 */
export class ShortStringCache {
  private readonly _bytes = Buffer.alloc(SLOTS * MAX_BYTES);
  private readonly _lengths = new Int32Array(SLOTS).fill(-1);
  private readonly _hashes = new Int32Array(SLOTS);
  private readonly _values: string[] = new Array<string>(SLOTS).fill('');

  /** `buf.toString('utf8', start, end)`, remembered when short. */
  read(buf: Buffer, start: number, end: number): string {
    const length = end - start;
    if (length > MAX_BYTES) return buf.toString('utf8', start, end);
    let hash = length | 0;
    for (let i = start; i < end; i++) {
      hash = Math.imul(hash ^ (buf[i] as number), 0x01000193);
    }
    hash ^= hash >>> 15;
    const slot = hash & (SLOTS - 1);
    const at = slot * MAX_BYTES;
    if (this._lengths[slot] === length && this._hashes[slot] === hash) {
      const bytes = this._bytes;
      let same = true;
      for (let i = 0; i < length; i++) {
        if (bytes[at + i] !== buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return this._values[slot] as string;
    }
    const value = buf.toString('utf8', start, end);
    buf.copy(this._bytes, at, start, end);
    this._lengths[slot] = length;
    this._hashes[slot] = hash;
    this._values[slot] = value;
    return value;
  }
}

/** The gateway's one cache (its decoding runs on one thread). */
export const SHORT_STRINGS = new ShortStringCache();

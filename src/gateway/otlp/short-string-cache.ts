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
 *
 * A cache made with a `test` also remembers, with each string, the
 * answer `test` gives for it (`matches`): a test that depends on the
 * string only (an attribute key filter) is then run once per slot fill,
 * not per read.
 *
 * Strings come back in the same order span after span (a span's keys, in
 * the order its SDK wrote them), so each slot also remembers the slot read
 * after it: when the next string is that one again (its bytes compared in
 * full), it is found without hashing.
 */
export class ShortStringCache {
  private readonly _bytes = Buffer.alloc(SLOTS * MAX_BYTES);
  private readonly _view = viewOf(this._bytes);
  private readonly _lengths = new Int32Array(SLOTS).fill(-1);
  private readonly _hashes = new Int32Array(SLOTS);
  private readonly _values: string[] = new Array<string>(SLOTS).fill('');
  /**
   * Per slot, the slot read after it the last time (strings come in the
   * same order span after span: a span's keys, its name); `_last` is the
   * slot read last.
   */
  private readonly _next = new Int32Array(SLOTS);
  private _last = 0;
  /** `test`'s answer per slot: 1 yes, 0 no, -1 not asked yet. */
  private readonly _answers = new Int8Array(SLOTS).fill(-1);
  private readonly _test: ((value: string) => boolean) | undefined;
  /**
   * Per slot, the last value read after its string (`readValue`), as
   * bytes and as the string decoded from them; allocated at the first
   * `readValue`.
   */
  private _valueBytes: Buffer | undefined;
  private _valueView: DataView | undefined;
  private _valueLengths: Int32Array | undefined;
  private _valueStrings: string[] | undefined;

  constructor(test?: (value: string) => boolean) {
    this._test = test;
  }

  /**
   * `buf.toString('utf8', start, end)`, remembered when short. `view` is a
   * `DataView` over `buf` (`viewOf(buf)`): a reader passes the one it
   * made for its body, so bytes are compared four at a time.
   */
  read(buf: Buffer, start: number, end: number, view = viewOf(buf)): string {
    const slot = this._slot(buf, view, start, end);
    return slot < 0
      ? buf.toString('utf8', start, end)
      : (this._values[slot] as string);
  }

  /**
   * `test(buf.toString('utf8', start, end))` (the cache's `test`),
   * remembered with the string when it is short.
   */
  matches(
    buf: Buffer,
    start: number,
    end: number,
    view = viewOf(buf),
  ): boolean {
    const test = this._test;
    if (test === undefined) throw new Error('internal: a cache without test');
    const slot = this._slot(buf, view, start, end);
    if (slot < 0) return test(buf.toString('utf8', start, end));
    const known = this._answers[slot] as number;
    if (known >= 0) return known === 1;
    const answer = test(this._values[slot] as string);
    this._answers[slot] = answer ? 1 : 0;
    return answer;
  }

  /**
   * `buf.toString('utf8', start, end)` for a value read right after the
   * string read last (an attribute's value after its key): the same key
   * tends to carry the same value span after span (a model, a provider,
   * an operation name), so the slot of the string read last remembers the
   * value read after it, bytes and string. When the bytes are the same
   * (compared in full) that string is given back, else the bytes are
   * decoded and remembered in its place. Whatever was read last, the
   * answer is what decoding gives; which slot serves only changes how
   * often the bytes match. Values longer than 64 bytes are decoded.
   */
  readValue(
    buf: Buffer,
    start: number,
    end: number,
    view = viewOf(buf),
  ): string {
    return this.readValueAfter(this._last, buf, start, end, view);
  }

  /**
   * The slot holding the string of `start..end` (filled if needed, and
   * then the slot read last), or -1 when it is longer than 64 bytes (not
   * cached: decode it). What `read` looks up, for a caller that keeps
   * the slot (`stringAt`, `answerAt`, `readValueAfter`).
   */
  slotOf(buf: Buffer, start: number, end: number, view: DataView): number {
    return this._slot(buf, view, start, end);
  }

  /** The string in `slot` (from `slotOf`, before any other look-up). */
  stringAt(slot: number): string {
    return this._values[slot] as string;
  }

  /**
   * `test`'s answer for the string in `slot` (from `slotOf`, before any
   * other look-up), remembered with it (`matches`).
   */
  answerAt(slot: number): boolean {
    const known = this._answers[slot] as number;
    if (known >= 0) return known === 1;
    const test = this._test;
    if (test === undefined) throw new Error('internal: a cache without test');
    const answer = test(this._values[slot] as string);
    this._answers[slot] = answer ? 1 : 0;
    return answer;
  }

  /**
   * `readValue` for a value read after the string of `slot` (an
   * attribute's key, looked up earlier with `slotOf`; -1 for a long key):
   * the same answer, `buf.toString('utf8', start, end)`, remembered in
   * that slot's place (which slot serves only changes how often the bytes
   * match).
   */
  readValueAfter(
    slot: number,
    buf: Buffer,
    start: number,
    end: number,
    view: DataView,
  ): string {
    const length = end - start;
    if (length > MAX_BYTES || length === 0) {
      return buf.toString('utf8', start, end);
    }
    let bytes = this._valueBytes;
    let lengths = this._valueLengths;
    let strings = this._valueStrings;
    let valueView = this._valueView;
    if (
      bytes === undefined ||
      lengths === undefined ||
      strings === undefined ||
      valueView === undefined
    ) {
      bytes = this._valueBytes = Buffer.alloc(SLOTS * MAX_BYTES);
      valueView = this._valueView = viewOf(bytes);
      lengths = this._valueLengths = new Int32Array(SLOTS).fill(-1);
      strings = this._valueStrings = new Array<string>(SLOTS).fill('');
    }
    if (slot < 0) return buf.toString('utf8', start, end);
    const at = slot * MAX_BYTES;
    if (
      lengths[slot] === length &&
      sameBytes(valueView, bytes, at, view, buf, start, length)
    ) {
      return strings[slot] as string;
    }
    for (let i = 0; i < length; i++) bytes[at + i] = buf[start + i] as number;
    const value = buf.toString('utf8', start, end);
    lengths[slot] = length;
    strings[slot] = value;
    return value;
  }

  /** The slot holding the string of `start..end` (filled if needed), or -1 when long. */
  private _slot(
    buf: Buffer,
    view: DataView,
    start: number,
    end: number,
  ): number {
    const length = end - start;
    if (length > MAX_BYTES) return -1;
    // The string that followed the last one the previous time, if it is
    // this one again (compared in full): no hash to compute.
    const guess = this._next[this._last] as number;
    if (
      this._lengths[guess] === length &&
      this._holds(guess, view, buf, start)
    ) {
      this._last = guess;
      return guess;
    }
    let hash = length | 0;
    for (let i = start; i < end; i++) {
      hash = Math.imul(hash ^ (buf[i] as number), 0x01000193);
    }
    hash ^= hash >>> 15;
    const slot = hash & (SLOTS - 1);
    if (
      this._lengths[slot] !== length ||
      this._hashes[slot] !== hash ||
      !this._holds(slot, view, buf, start)
    ) {
      buf.copy(this._bytes, slot * MAX_BYTES, start, end);
      this._lengths[slot] = length;
      this._hashes[slot] = hash;
      this._values[slot] = buf.toString('utf8', start, end);
      this._answers[slot] = -1;
    }
    this._next[this._last] = slot;
    this._last = slot;
    return slot;
  }

  /** Whether `slot` holds the bytes at `start` (as many as its length). */
  private _holds(
    slot: number,
    view: DataView,
    buf: Buffer,
    start: number,
  ): boolean {
    return sameBytes(
      this._view,
      this._bytes,
      slot * MAX_BYTES,
      view,
      buf,
      start,
      this._lengths[slot] as number,
    );
  }
}

/** A `DataView` over the same memory as `buf`. */
export function viewOf(buf: Buffer): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

/**
 * Whether `length` bytes of `a` at `aStart` equal those of `b` at
 * `bStart` (each view over the same memory as its buffer): four bytes at
 * a time (little-endian on both sides, so on any machine), then the rest
 * one by one.
 */
function sameBytes(
  aView: DataView,
  a: Buffer,
  aStart: number,
  bView: DataView,
  b: Buffer,
  bStart: number,
  length: number,
): boolean {
  const words = length & ~3;
  for (let i = 0; i < words; i += 4) {
    if (aView.getInt32(aStart + i, true) !== bView.getInt32(bStart + i, true)) {
      return false;
    }
  }
  for (let i = words; i < length; i++) {
    if (a[aStart + i] !== b[bStart + i]) return false;
  }
  return true;
}

/** The gateway's one cache (its decoding runs on one thread). */
export const SHORT_STRINGS = new ShortStringCache();

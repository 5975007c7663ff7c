import type { Long as LongType } from 'protobufjs';
import { Long } from './otlp-message-types.js';
import { SHORT_STRINGS, viewOf } from './short-string-cache.js';

/**
 * A cursor over protobuf bytes already checked by
 * `validateProtobufRequest`: reads tags, varints, fixed-width numbers and
 * length-delimited fields without allocating for what it skips. Strings and
 * bytes are read straight from the body (bytes as views, not copies).
 */
export class WireReader {
  readonly buf: Buffer;
  pos: number;
  end: number;
  private _view: DataView | undefined;
  /**
   * `buf.buffer` and `buf.byteOffset`, read once: each getter costs
   * about 10-15 ns a call (Node 20), twice per view made (`bytesAt`).
   */
  private readonly _memory: ArrayBufferLike;
  private readonly _offset: number;

  constructor(buf: Buffer, pos = 0, end = buf.length) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    this._memory = buf.buffer;
    this._offset = buf.byteOffset;
  }

  /**
   * A `DataView` over `buf` (made at the first use), for the string
   * caches' compares four bytes at a time.
   */
  get view(): DataView {
    return (this._view ??= viewOf(this.buf));
  }

  /** A varint as a number (exact up to 2^53; tags and lengths fit). */
  varint(): number {
    const buf = this.buf;
    // One byte (tags of fields 1-15, most lengths): no loop.
    const first = buf[this.pos] as number;
    if (first < 0x80) {
      this.pos += 1;
      return first;
    }
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = buf[this.pos++] as number;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80 || this.pos >= this.end) return value;
      scale *= 128;
    }
  }

  /** An int64 varint, all 64 bits. */
  varint64(unsigned: boolean): LongType {
    const buf = this.buf;
    let low = 0;
    for (let index = 0; index < 4; index++) {
      const byte = buf[this.pos++] as number;
      low |= (byte & 0x7f) << (index * 7);
      if (byte < 0x80) return Long.fromBits(low, 0, unsigned);
    }
    let byte = buf[this.pos++] as number;
    low |= (byte & 0x7f) << 28;
    let high = (byte & 0x7f) >> 4;
    if (byte < 0x80) return Long.fromBits(low, high, unsigned);
    for (let index = 0; index < 5; index++) {
      byte = buf[this.pos++] as number;
      high |= (byte & 0x7f) << (index * 7 + 3);
      if (byte < 0x80) break;
    }
    return Long.fromBits(low, high, unsigned);
  }

  /**
   * An int64 varint, exact: a number when it is a safe integer (most are:
   * token counts, sizes), else a `bigint` (16 bytes, a third of a `Long`
   * with its two halves), so a request of a million 19-digit values holds
   * no `Long`.
   */
  int64(): number | bigint {
    const buf = this.buf;
    let low = 0;
    for (let index = 0; index < 4; index++) {
      const byte = buf[this.pos++] as number;
      low |= (byte & 0x7f) << (index * 7);
      if (byte < 0x80) return low;
    }
    let byte = buf[this.pos++] as number;
    low |= (byte & 0x7f) << 28;
    let high = (byte & 0x7f) >> 4;
    if (byte < 0x80) return high * 0x1_0000_0000 + (low >>> 0);
    for (let index = 0; index < 5; index++) {
      byte = buf[this.pos++] as number;
      high |= (byte & 0x7f) << (index * 7 + 3);
      if (byte < 0x80) break;
    }
    // |value| < 2^53: high within 21 bits (and the sign's).
    if (high >= -0x20_0000 && high < 0x20_0000) {
      return high * 0x1_0000_0000 + (low >>> 0);
    }
    return BigInt.asIntN(
      64,
      (BigInt(high >>> 0) << BigInt(32)) | BigInt(low >>> 0),
    );
  }

  fixed64(): LongType {
    const low = this.buf.readUInt32LE(this.pos);
    const high = this.buf.readUInt32LE(this.pos + 4);
    this.pos += 8;
    return Long.fromBits(low | 0, high | 0, true);
  }

  fixed32(): number {
    const value = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return value;
  }

  double(): number {
    const value = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  /** The end offset of the length-delimited field starting here. */
  lengthEnd(): number {
    const length = this.varint();
    return this.pos + length;
  }

  bytes(): Buffer {
    const end = this.lengthEnd();
    const value = this.buf.subarray(this.pos, end);
    this.pos = end;
    return value;
  }

  /**
   * The bytes of a length-delimited field as a plain `Uint8Array` view of
   * the body (no copy): cheaper to make than a `Buffer` view (`bytes()`),
   * for the span ids the scan reads from every span.
   */
  bytesView(): Uint8Array {
    const end = this.lengthEnd();
    const value = this.bytesAt(this.pos, end);
    this.pos = end;
    return value;
  }

  /**
   * Bytes `start..end` of `buf` as a plain `Uint8Array` view (no copy;
   * see `bytesView`).
   */
  bytesAt(start: number, end: number): Uint8Array {
    return new Uint8Array(this._memory, this._offset + start, end - start);
  }

  string(): string {
    const end = this.lengthEnd();
    const value = this.buf.toString('utf8', this.pos, end);
    this.pos = end;
    return value;
  }

  /**
   * A string that repeats (an attribute key, a span or scope name): the
   * same as `string()`, found in `SHORT_STRINGS` when seen before.
   */
  cachedString(): string {
    const end = this.lengthEnd();
    const value = SHORT_STRINGS.read(this.buf, this.pos, end, this.view);
    this.pos = end;
    return value;
  }

  /**
   * A string read right after a `cachedString` (an attribute's value
   * after its key): the same as `string()`, given back from
   * `SHORT_STRINGS` when that key's last value had the same bytes.
   */
  valueString(): string {
    const end = this.lengthEnd();
    const value = SHORT_STRINGS.readValue(this.buf, this.pos, end, this.view);
    this.pos = end;
    return value;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 5) this.pos += 4;
    else this.pos = this.lengthEnd();
  }
}

/** A Buffer over the same memory (no copy). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

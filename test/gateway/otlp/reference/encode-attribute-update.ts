/**
 * The writer as it was before the key cache (d8f1aae), kept as the
 * reference the current one is tested against, byte for byte
 * (`write-differential.property.test.ts`).
 */
import type { AttributeUpdateValue } from '../../../../src/gateway/otlp/scanned-request.js';

const ATTRIBUTES = (9 << 3) | 2; // Span.attributes
const KEY = (1 << 3) | 2; // KeyValue.key
const VALUE = (2 << 3) | 2; // KeyValue.value
const STRING = (1 << 3) | 2; // AnyValue.string_value
const BOOL = (2 << 3) | 0; // AnyValue.bool_value
const INT = (3 << 3) | 0; // AnyValue.int_value
const DOUBLE = (4 << 3) | 1; // AnyValue.double_value
const ARRAY = (5 << 3) | 2; // AnyValue.array_value
const ARRAY_VALUES = (1 << 3) | 2; // ArrayValue.values

type Scalar = string | number | boolean;

/**
 * The `Span.attributes` fields (tag 9 each) of a span update, as protobufjs
 * encodes `{ attributes }` with the vendored protos (a `Span` holding only
 * attributes encodes as exactly those fields), with the OpenTelemetry JS
 * SDK's rule for numbers (`toOtlpAnyValue`): a safe integer is an
 * `int_value`, any other number a `double_value`. Sizes first, then one
 * buffer written once, without protobufjs's per-field operations.
 */
export function referenceEncodeAttributeUpdate(
  update: Readonly<Record<string, AttributeUpdateValue>>,
): Uint8Array {
  const keys = Object.keys(update);
  const buffer = Buffer.allocUnsafe(attributeUpdateSize(update, keys));
  const end = writeAttributeUpdate(buffer, 0, update, keys);
  if (end !== buffer.length) {
    throw new Error(`internal: wrote ${end} of ${buffer.length} bytes`);
  }
  return buffer;
}

/**
 * The size of `encodeAttributeUpdate(update)`, for `keys`, which are
 * `Object.keys(update)` (the caller's, so the writer can reuse them).
 */
export function attributeUpdateSize(
  update: Readonly<Record<string, AttributeUpdateValue>>,
  keys: readonly string[],
): number {
  let total = 0;
  for (const key of keys) {
    const entrySize = entrySizeOf(key, update[key] as AttributeUpdateValue);
    total += 1 + varintSize(entrySize) + entrySize;
  }
  return total;
}

/**
 * Writes `encodeAttributeUpdate(update)` into `buffer` at `pos` (room for
 * `attributeUpdateSize(update, keys)` bytes); returns the end.
 */
export function writeAttributeUpdate(
  buffer: Buffer,
  pos: number,
  update: Readonly<Record<string, AttributeUpdateValue>>,
  keys: readonly string[],
): number {
  const out = new Writer(buffer, pos);
  for (const key of keys) {
    const value = update[key] as AttributeUpdateValue;
    const keySize = utf8Length(key);
    const valueSize = anyValueSize(value);
    out.header(
      ATTRIBUTES,
      1 + varintSize(keySize) + keySize + 1 + varintSize(valueSize) + valueSize,
    );
    out.header(KEY, keySize);
    out.utf8(key, keySize);
    out.header(VALUE, valueSize);
    out.anyValue(value);
  }
  return out.pos;
}

function entrySizeOf(key: string, value: AttributeUpdateValue): number {
  const keySize = utf8Length(key);
  const valueSize = anyValueSize(value);
  return (
    1 + varintSize(keySize) + keySize + 1 + varintSize(valueSize) + valueSize
  );
}

function anyValueSize(value: AttributeUpdateValue): number {
  if (typeof value !== 'object') return scalarSize(value);
  const size = listSize(value);
  return 1 + varintSize(size) + size;
}

function listSize(list: readonly Scalar[]): number {
  let size = 0;
  for (const element of list) {
    const elementSize = scalarSize(element);
    size += 1 + varintSize(elementSize) + elementSize;
  }
  return size;
}

function scalarSize(value: Scalar): number {
  if (typeof value === 'string') {
    const length = utf8Length(value);
    return 1 + varintSize(length) + length;
  }
  if (typeof value === 'boolean') return 2;
  if (Number.isSafeInteger(value)) return 1 + int64Size(value);
  return 9;
}

function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size += 1;
  }
  return size;
}

/** An int64 varint: a negative number takes ten bytes (two's complement). */
function int64Size(value: number): number {
  return value < 0 ? 10 : varintSize(value);
}

/** Strings up to this length are measured and written in JavaScript. */
const SHORT_STRING = 64;

/**
 * `Buffer.byteLength(value)` (UTF-8, a lone surrogate as the three bytes
 * of U+FFFD), counted in JavaScript for short strings (a native call costs
 * more than the loop).
 */
function utf8Length(value: string): number {
  const length = value.length;
  if (length > SHORT_STRING) return Buffer.byteLength(value);
  let bytes = length;
  for (let i = 0; i < length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (
      code >= 0xd800 &&
      code <= 0xdbff &&
      i + 1 < length &&
      (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00
    ) {
      // A surrogate pair: two code units, four bytes.
      bytes += 2;
      i += 1;
    } else bytes += 2;
  }
  return bytes;
}

class Writer {
  private readonly _buffer: Buffer;
  pos: number;

  constructor(buffer: Buffer, pos: number) {
    this._buffer = buffer;
    this.pos = pos;
  }

  header(tag: number, length: number): void {
    this._buffer[this.pos++] = tag;
    this.varint(length);
  }

  varint(value: number): void {
    while (value >= 0x80) {
      this._buffer[this.pos++] = (value & 0x7f) | 0x80;
      value = Math.floor(value / 128);
    }
    this._buffer[this.pos++] = value;
  }

  /** `value` as UTF-8, `size` bytes (`utf8Length(value)`). */
  utf8(value: string, size: number): void {
    if (size === value.length && size <= SHORT_STRING) {
      // ASCII (as many bytes as code units): copied in JavaScript.
      const buffer = this._buffer;
      let pos = this.pos;
      for (let i = 0; i < size; i++) buffer[pos++] = value.charCodeAt(i);
      this.pos = pos;
    } else this.pos += this._buffer.write(value, this.pos, size, 'utf8');
  }

  anyValue(value: AttributeUpdateValue): void {
    if (typeof value !== 'object') {
      this.scalar(value);
      return;
    }
    this.header(ARRAY, listSize(value));
    for (const element of value) {
      this.header(ARRAY_VALUES, scalarSize(element));
      this.scalar(element);
    }
  }

  scalar(value: Scalar): void {
    if (typeof value === 'string') {
      const size = utf8Length(value);
      this.header(STRING, size);
      this.utf8(value, size);
    } else if (typeof value === 'boolean') {
      this._buffer[this.pos++] = BOOL;
      this._buffer[this.pos++] = value ? 1 : 0;
    } else if (Number.isSafeInteger(value)) {
      this._buffer[this.pos++] = INT;
      this.int64(value);
    } else {
      this._buffer[this.pos++] = DOUBLE;
      this._buffer.writeDoubleLE(value, this.pos);
      this.pos += 8;
    }
  }

  /** A safe integer as an int64 varint (negative: 64-bit two's complement). */
  int64(value: number): void {
    if (value >= 0) this.varint(value);
    else this.pos = writeNegativeInt64(this._buffer, this.pos, value);
  }
}

/** Ten bytes: the 64-bit two's complement of a negative safe integer. */
function writeNegativeInt64(
  buffer: Buffer,
  pos: number,
  value: number,
): number {
  let bits = BigInt.asUintN(64, BigInt(value));
  for (let i = 0; i < 9; i++) {
    buffer[pos++] = Number(bits & 0x7fn) | 0x80;
    bits >>= 7n;
  }
  buffer[pos++] = Number(bits);
  return pos;
}

/**
 * Reference copy (test only) of src/gateway/otlp/encode-attribute-update.ts
 * as of 9f95c47, before the known keys were found by key list
 * (`knownKeysOf`): known-key-lists.property.test.ts compares the current
 * encoder with it byte for byte.
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
export function encodeAttributeUpdate(
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
    const value = update[key] as AttributeUpdateValue;
    const known = knownKey(key);
    let entrySize: number;
    if (known === undefined) entrySize = entrySizeOf(utf8Length(key), value);
    else {
      const entry = known.entryOf(value);
      entrySize =
        entry !== undefined
          ? entry.length - known.entryHeader
          : entrySizeOf(known.keyField.length - 2, value);
    }
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
    const known = knownKey(key);
    if (known === undefined) {
      const keySize = utf8Length(key);
      const valueSize = anyValueSize(value);
      out.header(
        ATTRIBUTES,
        1 +
          varintSize(keySize) +
          keySize +
          1 +
          varintSize(valueSize) +
          valueSize,
      );
      out.header(KEY, keySize);
      out.utf8(key, keySize);
      out.header(VALUE, valueSize);
      out.anyValue(value);
      continue;
    }
    const entry = known.entryOf(value);
    if (entry !== undefined) {
      out.bytes(entry);
      continue;
    }
    const keyField = known.keyField;
    const valueSize = anyValueSize(value);
    out.header(
      ATTRIBUTES,
      keyField.length + 1 + varintSize(valueSize) + valueSize,
    );
    out.bytes(keyField);
    out.header(VALUE, valueSize);
    out.anyValue(value);
  }
  return out.pos;
}

function entrySizeOf(keySize: number, value: AttributeUpdateValue): number {
  const valueSize = anyValueSize(value);
  return (
    1 + varintSize(keySize) + keySize + 1 + varintSize(valueSize) + valueSize
  );
}

/** Keys of at most this many code units are remembered (`KnownKey`). */
const KNOWN_KEY_LENGTH = 100;
/** String values of at most this many code units are remembered. */
const KNOWN_VALUE_LENGTH = 100;
/** At most this many keys are remembered, the first ones seen. */
const KNOWN_KEYS = 256;

/**
 * A key the writer has seen: its `KeyValue.key` field encoded (tag, one
 * byte of length, UTF-8), and once a string value came twice in a row for
 * it, the whole attribute entry of that value (the `Span.attributes`
 * field), so a span update of the same keys and values as the last one
 * (the cost attributes' currency, source, price version...) is mostly
 * copied. Bytes are encoded by the same code as any other entry.
 */
class KnownKey {
  readonly keyField: Uint8Array;
  /** Bytes of the entry's tag and length. */
  entryHeader = 0;
  private _lastString: string | undefined;
  private _entry: Uint8Array | undefined;

  constructor(key: string, keySize: number) {
    const field = Buffer.allocUnsafeSlow(2 + keySize);
    field[0] = KEY;
    field[1] = keySize;
    new Writer(field, 2).utf8(key, keySize);
    this.keyField = field;
  }

  /** The whole entry of `value` for this key, if remembered. */
  entryOf(value: AttributeUpdateValue): Uint8Array | undefined {
    if (typeof value !== 'string') return undefined;
    if (value === this._lastString) {
      this._entry ??= this._encode(value);
      return this._entry;
    }
    this._lastString = value.length <= KNOWN_VALUE_LENGTH ? value : undefined;
    this._entry = undefined;
    return undefined;
  }

  private _encode(value: string): Uint8Array {
    const valueSize = scalarSize(value);
    const entrySize =
      this.keyField.length + 1 + varintSize(valueSize) + valueSize;
    this.entryHeader = 1 + varintSize(entrySize);
    const entry = Buffer.allocUnsafeSlow(this.entryHeader + entrySize);
    const out = new Writer(entry, 0);
    out.header(ATTRIBUTES, entrySize);
    out.bytes(this.keyField);
    out.header(VALUE, valueSize);
    out.scalar(value);
    return entry;
  }
}

const knownKeys = new Map<string, KnownKey>();

/** The key as remembered, if it is or can be (short, one byte of length). */
function knownKey(key: string): KnownKey | undefined {
  const known = knownKeys.get(key);
  if (known !== undefined || knownKeys.size >= KNOWN_KEYS) return known;
  if (key.length > KNOWN_KEY_LENGTH) return undefined;
  const keySize = utf8Length(key);
  if (keySize >= 0x80) return undefined;
  const created = new KnownKey(key, keySize);
  knownKeys.set(key, created);
  return created;
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

  /** `bytes` as they are. */
  bytes(bytes: Uint8Array): void {
    this._buffer.set(bytes, this.pos);
    this.pos += bytes.length;
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

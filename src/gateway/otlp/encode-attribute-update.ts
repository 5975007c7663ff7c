import type { AttributeUpdateValue } from './scanned-request.js';

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
  const entries = Object.entries(update);
  const sizes: number[] = [];
  let total = 0;
  for (const [key, value] of entries) {
    const keySize = Buffer.byteLength(key);
    const valueSize = anyValueSize(value);
    const entrySize =
      1 + varintSize(keySize) + keySize + 1 + varintSize(valueSize) + valueSize;
    sizes.push(keySize, valueSize, entrySize);
    total += 1 + varintSize(entrySize) + entrySize;
  }
  const out = new Writer(total);
  entries.forEach(([key, value], i) => {
    out.header(ATTRIBUTES, sizes[3 * i + 2] as number);
    out.header(KEY, sizes[3 * i] as number);
    out.utf8(key);
    out.header(VALUE, sizes[3 * i + 1] as number);
    out.anyValue(value);
  });
  return out.done();
}

function anyValueSize(value: AttributeUpdateValue): number {
  if (typeof value !== 'object') return scalarSize(value);
  let size = 0;
  for (const element of value) {
    const elementSize = scalarSize(element);
    size += 1 + varintSize(elementSize) + elementSize;
  }
  return 1 + varintSize(size) + size;
}

function scalarSize(value: Scalar): number {
  if (typeof value === 'string') {
    const length = Buffer.byteLength(value);
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

class Writer {
  private readonly _buffer: Buffer;
  private _pos = 0;

  constructor(size: number) {
    this._buffer = Buffer.allocUnsafe(size);
  }

  header(tag: number, length: number): void {
    this._buffer[this._pos++] = tag;
    this.varint(length);
  }

  varint(value: number): void {
    while (value >= 0x80) {
      this._buffer[this._pos++] = (value & 0x7f) | 0x80;
      value = Math.floor(value / 128);
    }
    this._buffer[this._pos++] = value;
  }

  utf8(value: string): void {
    this._pos += this._buffer.write(value, this._pos, 'utf8');
  }

  anyValue(value: AttributeUpdateValue): void {
    if (typeof value !== 'object') {
      this.scalar(value);
      return;
    }
    let size = 0;
    for (const element of value) {
      const elementSize = scalarSize(element);
      size += 1 + varintSize(elementSize) + elementSize;
    }
    this.header(ARRAY, size);
    for (const element of value) {
      this.header(ARRAY_VALUES, scalarSize(element));
      this.scalar(element);
    }
  }

  scalar(value: Scalar): void {
    if (typeof value === 'string') {
      this.header(STRING, Buffer.byteLength(value));
      this.utf8(value);
    } else if (typeof value === 'boolean') {
      this._buffer[this._pos++] = BOOL;
      this._buffer[this._pos++] = value ? 1 : 0;
    } else if (Number.isSafeInteger(value)) {
      this._buffer[this._pos++] = INT;
      this.int64(value);
    } else {
      this._buffer[this._pos++] = DOUBLE;
      this._buffer.writeDoubleLE(value, this._pos);
      this._pos += 8;
    }
  }

  /** A safe integer as an int64 varint (negative: 64-bit two's complement). */
  int64(value: number): void {
    if (value >= 0) this.varint(value);
    else this._pos = writeNegativeInt64(this._buffer, this._pos, value);
  }

  done(): Uint8Array {
    if (this._pos !== this._buffer.length) {
      throw new Error(
        `internal: wrote ${this._pos} of ${this._buffer.length} bytes`,
      );
    }
    return this._buffer;
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

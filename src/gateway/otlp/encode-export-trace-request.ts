import type { Long } from 'protobufjs';
import { readDecimalInt64, type Int64Halves } from './decimal-int64.js';
import type {
  ExportTraceRequest,
  OtlpAnyValue,
  OtlpEntityRef,
  OtlpEvent,
  OtlpInstrumentationScope,
  OtlpKeyValue,
  OtlpLink,
  OtlpResource,
  OtlpResourceSpans,
  OtlpScopeSpans,
  OtlpSpan,
  OtlpStatus,
} from './otlp-types.js';

/**
 * Encodes a trace request (decoded from either format, possibly enriched) as
 * binary protobuf `ExportTraceServiceRequest`, the body of an OTLP/HTTP
 * `application/x-protobuf` export. The same bytes protobufjs writes (fields
 * in number order, a field written when it is an own, non-null property,
 * repeated fields when non-empty), but in two passes: every message size
 * first (one number each), then one buffer written once. protobufjs keeps
 * an operation object per field until it finishes, several times the
 * request's size for a request of many small values.
 */
export function encodeExportTraceRequest(
  request: ExportTraceRequest,
): Uint8Array {
  const sizer = new Sizer();
  sizer.message(0, request, requestFields);
  const writer = new Writer(sizer.sizes, sizer.size);
  writer.message(0, request, requestFields);
  return writer.done();
}

type Fields<T> = (message: T, sink: Sink) => void;

/** One pass over a message's fields: counting bytes, or writing them. */
abstract class Sink {
  abstract varint(tag: number, value: number | undefined | null): void;
  abstract int64(tag: number, value: Int64 | undefined | null): void;
  abstract fixed64(tag: number, value: Int64 | undefined | null): void;
  abstract fixed32(tag: number, value: number | undefined | null): void;
  abstract double(tag: number, value: number | undefined | null): void;
  abstract bytes(
    tag: number,
    value: Uint8Array | string | undefined | null,
  ): void;
  abstract string(tag: number, value: string | undefined | null): void;
  abstract message<T>(
    tag: number,
    value: T | undefined | null,
    fields: Fields<T>,
  ): void;

  repeated<T>(
    tag: number,
    values: readonly T[] | undefined | null,
    fields: Fields<T>,
  ): void {
    if (values == null) return;
    for (const value of values) this.message(tag, value, fields);
  }

  strings(tag: number, values: readonly string[] | undefined | null): void {
    if (values == null) return;
    for (const value of values) this.string(tag, value);
  }
}

type Int64 = Long | number | bigint | string;

/** An own, non-null property (protobufjs leaves defaults on prototypes). */
function own<T extends object, K extends keyof T>(
  message: T,
  key: K,
): T[K] | undefined {
  return Object.hasOwn(message, key) ? message[key] : undefined;
}

function requestFields(m: ExportTraceRequest, s: Sink): void {
  s.repeated(0x0a, m.resourceSpans, resourceSpansFields);
}

function resourceSpansFields(m: OtlpResourceSpans, s: Sink): void {
  s.message(0x0a, own(m, 'resource'), resourceFields);
  s.repeated(0x12, m.scopeSpans, scopeSpansFields);
  s.string(0x1a, own(m, 'schemaUrl'));
  s.repeated(0x1f42, m.deprecatedScopeSpans, scopeSpansFields); // field 1000
}

function resourceFields(m: OtlpResource, s: Sink): void {
  s.repeated(0x0a, m.attributes, keyValueFields);
  s.varint(0x10, own(m, 'droppedAttributesCount'));
  s.repeated(0x1a, m.entityRefs, entityRefFields);
}

function entityRefFields(m: OtlpEntityRef, s: Sink): void {
  s.string(0x0a, own(m, 'schemaUrl'));
  s.string(0x12, own(m, 'type'));
  s.strings(0x1a, m.idKeys);
  s.strings(0x22, m.descriptionKeys);
}

function scopeSpansFields(m: OtlpScopeSpans, s: Sink): void {
  s.message(0x0a, own(m, 'scope'), scopeFields);
  s.repeated(0x12, m.spans, spanFields);
  s.string(0x1a, own(m, 'schemaUrl'));
}

function scopeFields(m: OtlpInstrumentationScope, s: Sink): void {
  s.string(0x0a, own(m, 'name'));
  s.string(0x12, own(m, 'version'));
  s.repeated(0x1a, m.attributes, keyValueFields);
  s.varint(0x20, own(m, 'droppedAttributesCount'));
}

function spanFields(m: OtlpSpan, s: Sink): void {
  s.bytes(0x0a, own(m, 'traceId'));
  s.bytes(0x12, own(m, 'spanId'));
  s.string(0x1a, own(m, 'traceState'));
  s.bytes(0x22, own(m, 'parentSpanId'));
  s.string(0x2a, own(m, 'name'));
  s.varint(0x30, own(m, 'kind'));
  s.fixed64(0x39, own(m, 'startTimeUnixNano'));
  s.fixed64(0x41, own(m, 'endTimeUnixNano'));
  s.repeated(0x4a, m.attributes, keyValueFields);
  s.varint(0x50, own(m, 'droppedAttributesCount'));
  s.repeated(0x5a, m.events, eventFields);
  s.varint(0x60, own(m, 'droppedEventsCount'));
  s.repeated(0x6a, m.links, linkFields);
  s.varint(0x70, own(m, 'droppedLinksCount'));
  s.message(0x7a, own(m, 'status'), statusFields);
  s.fixed32(0x85, own(m, 'flags')); // field 16, wire type 5 (tag 133)
}

function eventFields(m: OtlpEvent, s: Sink): void {
  s.fixed64(0x09, own(m, 'timeUnixNano'));
  s.string(0x12, own(m, 'name'));
  s.repeated(0x1a, m.attributes, keyValueFields);
  s.varint(0x20, own(m, 'droppedAttributesCount'));
}

function linkFields(m: OtlpLink, s: Sink): void {
  s.bytes(0x0a, own(m, 'traceId'));
  s.bytes(0x12, own(m, 'spanId'));
  s.string(0x1a, own(m, 'traceState'));
  s.repeated(0x22, m.attributes, keyValueFields);
  s.varint(0x28, own(m, 'droppedAttributesCount'));
  s.fixed32(0x35, own(m, 'flags'));
}

function statusFields(m: OtlpStatus, s: Sink): void {
  s.string(0x12, own(m, 'message'));
  s.varint(0x18, own(m, 'code'));
}

function keyValueFields(m: OtlpKeyValue, s: Sink): void {
  s.string(0x0a, own(m, 'key'));
  s.message(0x12, own(m, 'value'), anyValueFields);
}

function anyValueFields(m: OtlpAnyValue, s: Sink): void {
  s.string(0x0a, own(m, 'stringValue'));
  const bool = own(m, 'boolValue');
  s.varint(0x10, bool == null ? bool : bool ? 1 : 0);
  s.int64(0x18, own(m, 'intValue'));
  s.double(0x21, own(m, 'doubleValue'));
  s.message(0x2a, own(m, 'arrayValue'), arrayValueFields);
  s.message(0x32, own(m, 'kvlistValue'), keyValueListFields);
  s.bytes(0x3a, own(m, 'bytesValue'));
}

function arrayValueFields(m: { values: OtlpAnyValue[] }, s: Sink): void {
  s.repeated(0x0a, m.values, anyValueFields);
}

function keyValueListFields(m: { values: OtlpKeyValue[] }, s: Sink): void {
  s.repeated(0x0a, m.values, keyValueFields);
}

const decimal: Int64Halves = { low: 0, high: 0 };

/** A 64-bit integer as its two 32-bit halves (two's complement). */
function halves(value: Int64): [low: number, high: number] {
  if (typeof value === 'object') return [value.low >>> 0, value.high >>> 0];
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    return [value >>> 0, Math.floor(value / 0x1_0000_0000) >>> 0];
  }
  // Decimal text from OTLP/JSON: no BigInt (`readDecimalInt64`).
  if (typeof value === 'string' && readDecimalInt64(value, false, decimal)) {
    return [decimal.low, decimal.high];
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return [0, 0];
  const big = BigInt.asUintN(
    64,
    typeof value === 'number' ? BigInt(Math.trunc(value)) : BigInt(value),
  ); // a bigint, or text out of int64 (uint64)
  return [Number(big & 0xffff_ffffn), Number(big >> 32n)];
}

function varintLength(value: number): number {
  // Negative int32 values are written as 64-bit: 10 bytes.
  if (value < 0) return 10;
  let length = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    length += 1;
  }
  return length;
}

function varint64Length(low: number, high: number): number {
  if (high === 0) return varintLength(low);
  let length = 5; // the 35 bits below high's first 3
  for (let rest = high >>> 3; rest > 0; rest >>>= 7) length += 1;
  return length;
}

function tagLength(tag: number): number {
  return tag < 0x80 ? 1 : 2;
}

class Sizer extends Sink {
  /** Body size of every message, in the order they are visited. */
  readonly sizes: number[] = [];
  size = 0;

  varint(tag: number, value: number | undefined | null): void {
    if (value != null) this.size += tagLength(tag) + varintLength(value);
  }
  int64(tag: number, value: Int64 | undefined | null): void {
    if (value == null) return;
    const [low, high] = halves(value);
    this.size += tagLength(tag) + varint64Length(low, high);
  }
  fixed64(tag: number, value: Int64 | undefined | null): void {
    if (value != null) this.size += tagLength(tag) + 8;
  }
  fixed32(tag: number, value: number | undefined | null): void {
    if (value != null) this.size += tagLength(tag) + 4;
  }
  double(tag: number, value: number | undefined | null): void {
    if (value != null) this.size += tagLength(tag) + 8;
  }
  bytes(tag: number, value: Uint8Array | string | undefined | null): void {
    if (value == null) return;
    const length =
      typeof value === 'string'
        ? Buffer.from(value, 'base64').length
        : value.length;
    this.size += tagLength(tag) + varintLength(length) + length;
  }
  string(tag: number, value: string | undefined | null): void {
    if (value == null) return;
    const length = Buffer.byteLength(value, 'utf8');
    this.size += tagLength(tag) + varintLength(length) + length;
  }
  message<T>(
    tag: number,
    value: T | undefined | null,
    fields: Fields<T>,
  ): void {
    if (value == null) return;
    const index = this.sizes.length;
    this.sizes.push(0);
    const outer = this.size;
    this.size = 0;
    fields(value, this);
    const inner = this.size;
    this.sizes[index] = inner;
    this.size =
      outer + (index === 0 ? 0 : tagLength(tag) + varintLength(inner)) + inner;
  }
}

class Writer extends Sink {
  private readonly _buf: Buffer;
  private readonly _sizes: readonly number[];
  private _pos = 0;
  private _next = 0;

  constructor(sizes: readonly number[], total: number) {
    super();
    this._sizes = sizes;
    this._buf = Buffer.allocUnsafe(total);
  }

  private _raw(value: number): void {
    if (value < 0) {
      this._raw64(value >>> 0, 0xffff_ffff);
      return;
    }
    while (value >= 0x80) {
      this._buf[this._pos++] = (value % 128) | 0x80;
      value = Math.floor(value / 128);
    }
    this._buf[this._pos++] = value;
  }

  private _raw64(low: number, high: number): void {
    while (high !== 0 || low >= 0x80) {
      this._buf[this._pos++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    this._buf[this._pos++] = low;
  }

  varint(tag: number, value: number | undefined | null): void {
    if (value == null) return;
    this._raw(tag);
    this._raw(value);
  }
  int64(tag: number, value: Int64 | undefined | null): void {
    if (value == null) return;
    this._raw(tag);
    const [low, high] = halves(value);
    this._raw64(low, high);
  }
  fixed64(tag: number, value: Int64 | undefined | null): void {
    if (value == null) return;
    this._raw(tag);
    const [low, high] = halves(value);
    this._buf.writeUInt32LE(low, this._pos);
    this._buf.writeUInt32LE(high, this._pos + 4);
    this._pos += 8;
  }
  fixed32(tag: number, value: number | undefined | null): void {
    if (value == null) return;
    this._raw(tag);
    this._buf.writeUInt32LE(value >>> 0, this._pos);
    this._pos += 4;
  }
  double(tag: number, value: number | undefined | null): void {
    if (value == null) return;
    this._raw(tag);
    this._buf.writeDoubleLE(value, this._pos);
    this._pos += 8;
  }
  bytes(tag: number, value: Uint8Array | string | undefined | null): void {
    if (value == null) return;
    const bytes =
      typeof value === 'string' ? Buffer.from(value, 'base64') : value;
    this._raw(tag);
    this._raw(bytes.length);
    this._buf.set(bytes, this._pos);
    this._pos += bytes.length;
  }
  string(tag: number, value: string | undefined | null): void {
    if (value == null) return;
    this._raw(tag);
    this._raw(Buffer.byteLength(value, 'utf8'));
    this._pos += this._buf.write(value, this._pos, 'utf8');
  }
  message<T>(
    tag: number,
    value: T | undefined | null,
    fields: Fields<T>,
  ): void {
    if (value == null) return;
    const size = this._sizes[this._next] as number;
    if (this._next > 0) {
      this._raw(tag);
      this._raw(size);
    }
    this._next += 1;
    fields(value, this);
  }

  done(): Uint8Array {
    if (this._pos !== this._buf.length) {
      throw new Error(
        `internal: wrote ${this._pos} of ${this._buf.length} bytes`,
      );
    }
    return this._buf;
  }
}

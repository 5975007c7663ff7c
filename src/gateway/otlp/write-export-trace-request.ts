import { encodeAttributeUpdate } from './encode-attribute-update.js';
import type { ScannedRequest, ScannedSpan } from './scanned-request.js';
import { asBuffer, WireReader } from './wire-reader.js';

const ATTRIBUTES_TAG = (9 << 3) | 2; // Span.attributes
const KEY_TAG = (1 << 3) | 2; // KeyValue.key
const RESOURCE_SPANS_TAG = (1 << 3) | 2; // ExportTraceServiceRequest.resource_spans
const SCOPE_SPANS_TAG = (2 << 3) | 2; // ResourceSpans.scope_spans
const SPANS_TAG = (2 << 3) | 2; // ScopeSpans.spans

type Part = Uint8Array | Sized;

/** A message to write: its header tag, its body size and its parts. */
interface Sized {
  readonly tag: number;
  readonly size: number;
  readonly parts: readonly Part[];
}

/**
 * Writes a scanned request back as a binary `ExportTraceServiceRequest`:
 * every byte received is copied in order, except rejected spans (left out)
 * and the attributes a span's update replaces; the update is appended to
 * its span. Sizes are computed first, then everything is copied once into
 * one buffer.
 */
export function writeExportTraceRequest(request: ScannedRequest): Uint8Array {
  const parts: Part[] = request.parts.map(part =>
    part instanceof Uint8Array
      ? part
      : sized(
          RESOURCE_SPANS_TAG,
          part.parts.map(scope =>
            scope instanceof Uint8Array
              ? scope
              : sized(SCOPE_SPANS_TAG, scope.parts.flatMap(scopePart)),
          ),
        ),
  );
  const out = new Output(partsSize(parts));
  out.parts(parts);
  return out.done();
}

function scopePart(part: Uint8Array | ScannedSpan): Part[] {
  if (part instanceof Uint8Array) return [part];
  if (part.rejected) return [];
  return [sized(SPANS_TAG, spanParts(part))];
}

function sized(tag: number, parts: readonly Part[]): Sized {
  return { tag, size: partsSize(parts), parts };
}

function partsSize(parts: readonly Part[]): number {
  let total = 0;
  for (const part of parts) {
    total +=
      part instanceof Uint8Array
        ? part.length
        : 1 + varintLength(part.size) + part.size;
  }
  return total;
}

function spanParts(scanned: ScannedSpan): Uint8Array[] {
  const update = scanned.update;
  if (update === undefined) return [scanned.bytes];
  const parts = withoutAttributes(scanned.bytes, new Set(Object.keys(update)));
  parts.push(encodeAttributeUpdate(update));
  return parts;
}

/**
 * The span's fields, minus the attribute entries whose key is in `keys`.
 * A key is decoded only when its length in bytes is one of theirs or it
 * is not ASCII.
 */
function withoutAttributes(
  bytes: Uint8Array,
  keys: ReadonlySet<string>,
): Uint8Array[] {
  const lengths = new Set<number>();
  for (const key of keys) lengths.add(Buffer.byteLength(key));
  const reader = new WireReader(asBuffer(bytes));
  const parts: Uint8Array[] = [];
  let copyFrom = 0;
  while (reader.pos < reader.end) {
    const start = reader.pos;
    const tag = reader.varint();
    if (tag !== ATTRIBUTES_TAG) {
      reader.skip(tag & 7);
      continue;
    }
    const end = reader.lengthEnd();
    if (hasKey(reader, end, keys, lengths)) {
      parts.push(bytes.subarray(copyFrom, start));
      copyFrom = end;
    }
    reader.pos = end;
  }
  parts.push(bytes.subarray(copyFrom));
  return parts;
}

/**
 * Whether the `KeyValue` at `reader.pos..end` has its key in `keys`. Its
 * key is read as every decoder reads it: a repeated `key` field is legal
 * protobuf and the LAST one wins (protobufjs, and the Collector), so the
 * key the pipeline read is the one matched here.
 */
function hasKey(
  reader: WireReader,
  end: number,
  keys: ReadonlySet<string>,
  lengths: ReadonlySet<number>,
): boolean {
  let keyStart = reader.pos;
  let keyEnd = keyStart;
  while (reader.pos < end) {
    const tag = reader.varint();
    if (tag === KEY_TAG) {
      keyEnd = reader.lengthEnd();
      keyStart = reader.pos;
      reader.pos = keyEnd;
    } else reader.skip(tag & 7);
  }
  // Bytes that are not UTF-8 read as U+FFFD, which changes the length.
  if (!lengths.has(keyEnd - keyStart) && isAscii(reader.buf, keyStart, keyEnd))
    return false;
  return keys.has(reader.buf.toString('utf8', keyStart, keyEnd));
}

function isAscii(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++)
    if ((buf[i] as number) >= 0x80) return false;
  return true;
}

function varintLength(value: number): number {
  let length = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    length += 1;
  }
  return length;
}

class Output {
  private readonly _buffer: Buffer;
  private _pos = 0;

  constructor(size: number) {
    this._buffer = Buffer.allocUnsafe(size);
  }

  header(tag: number, length: number): void {
    this._buffer[this._pos++] = tag;
    let value = length;
    while (value >= 0x80) {
      this._buffer[this._pos++] = (value & 0x7f) | 0x80;
      value = Math.floor(value / 128);
    }
    this._buffer[this._pos++] = value;
  }

  parts(parts: readonly Part[]): void {
    for (const part of parts) {
      if (part instanceof Uint8Array) {
        this._buffer.set(part, this._pos);
        this._pos += part.length;
      } else {
        this.header(part.tag, part.size);
        this.parts(part.parts);
      }
    }
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

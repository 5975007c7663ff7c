import protobuf from 'protobufjs/light.js';
import { otlpMessageTypes } from './otlp-message-types.js';
import type { ScannedRequest, ScannedSpan } from './scanned-request.js';
import { toOtlpAnyValue } from '../span/otlp-attribute-values.js';

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
  // A Span holding only attributes encodes as exactly those attribute fields.
  parts.push(
    otlpMessageTypes()
      .span.encode({
        attributes: Object.entries(update).map(([key, value]) => ({
          key,
          value: toOtlpAnyValue(value),
        })),
      })
      .finish(),
  );
  return parts;
}

/** The span's fields, minus the attribute entries whose key is in `keys`. */
function withoutAttributes(
  bytes: Uint8Array,
  keys: ReadonlySet<string>,
): Uint8Array[] {
  const reader = protobuf.Reader.create(bytes);
  const parts: Uint8Array[] = [];
  let copyFrom = 0;
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const tag = reader.uint32();
    if (tag !== ATTRIBUTES_TAG) {
      reader.skipType(tag & 7);
      continue;
    }
    const end = reader.uint32() + reader.pos;
    if (keys.has(keyOf(bytes.subarray(reader.pos, end)))) {
      parts.push(bytes.subarray(copyFrom, start));
      copyFrom = end;
    }
    reader.pos = end;
  }
  parts.push(bytes.subarray(copyFrom));
  return parts;
}

/**
 * A `KeyValue`'s key as every decoder reads it: a repeated `key` field is
 * legal protobuf and the LAST one wins (protobufjs, and the Collector), so
 * the key the pipeline read is the one matched here.
 */
function keyOf(keyValue: Uint8Array): string {
  const reader = protobuf.Reader.create(keyValue);
  let key = '';
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag === KEY_TAG) key = reader.string();
    else reader.skipType(tag & 7);
  }
  return key;
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

import protobuf from 'protobufjs/light.js';
import { otlpMessageTypes } from './otlp-message-types.js';
import type { ScannedRequest, ScannedSpan } from './scanned-request.js';
import { toOtlpAnyValue } from '../span/otlp-attribute-values.js';

const ATTRIBUTES_TAG = (9 << 3) | 2; // Span.attributes
const KEY_TAG = (1 << 3) | 2; // KeyValue.key
const RESOURCE_SPANS_TAG = (1 << 3) | 2; // ExportTraceServiceRequest.resource_spans
const SCOPE_SPANS_TAG = (2 << 3) | 2; // ResourceSpans.scope_spans
const SPANS_TAG = (2 << 3) | 2; // ScopeSpans.spans

interface Sized<T> {
  readonly item: T;
  readonly size: number;
}

/**
 * Writes a scanned request back as a binary `ExportTraceServiceRequest`:
 * every byte received is copied, except rejected spans (left out) and the
 * attributes a span's update replaces; the update is appended to its span.
 * Sizes are computed first, then everything is copied once into one buffer.
 */
export function writeExportTraceRequest(request: ScannedRequest): Uint8Array {
  const resources = request.resources.map(resource => {
    const scopes = resource.scopes.map(scope => {
      const spans = scope.spans
        .filter(span => !span.rejected)
        .map(span => sized(spanParts(span)));
      return {
        item: { fields: scope.fields, spans },
        size: sum(scope.fields) + nestedSize(spans),
      };
    });
    return {
      item: { fields: resource.fields, scopes },
      size: sum(resource.fields) + nestedSize(scopes),
    };
  });
  const out = new Output(nestedSize(resources) + sum(request.otherFields));
  for (const resource of resources) {
    out.header(RESOURCE_SPANS_TAG, resource.size);
    out.all(resource.item.fields);
    for (const scope of resource.item.scopes) {
      out.header(SCOPE_SPANS_TAG, scope.size);
      out.all(scope.item.fields);
      for (const span of scope.item.spans) {
        out.header(SPANS_TAG, span.size);
        out.all(span.item);
      }
    }
  }
  out.all(request.otherFields);
  return out.done();
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

function keyOf(keyValue: Uint8Array): string {
  const reader = protobuf.Reader.create(keyValue);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag === KEY_TAG) return reader.string();
    reader.skipType(tag & 7);
  }
  return '';
}

function sized(parts: Uint8Array[]): Sized<Uint8Array[]> {
  return { item: parts, size: sum(parts) };
}

function sum(parts: readonly Uint8Array[]): number {
  let total = 0;
  for (const part of parts) total += part.length;
  return total;
}

/** Bytes of length-delimited fields (one-byte tag, varint length, body). */
function nestedSize(items: readonly Sized<unknown>[]): number {
  let total = 0;
  for (const { size } of items) total += 1 + varintLength(size) + size;
  return total;
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

  all(parts: readonly Uint8Array[]): void {
    for (const part of parts) {
      this._buffer.set(part, this._pos);
      this._pos += part.length;
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

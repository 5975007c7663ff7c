import { forwardPayloads } from '../forward/payload-buffers.js';
import {
  attributeUpdateSize,
  writeAttributeUpdate,
} from './encode-attribute-update.js';
import type {
  ScannedRequest,
  ScannedResource,
  ScannedScope,
  ScannedSpan,
} from './scanned-request.js';
import { asBuffer, WireReader } from './wire-reader.js';

const ATTRIBUTES_TAG = (9 << 3) | 2; // Span.attributes
const KEY_TAG = (1 << 3) | 2; // KeyValue.key
const RESOURCE_SPANS_TAG = (1 << 3) | 2; // ExportTraceServiceRequest.resource_spans
const SCOPE_SPANS_TAG = (2 << 3) | 2; // ResourceSpans.scope_spans
const SPANS_TAG = (2 << 3) | 2; // ScopeSpans.spans
/** Past this many keys in one update, keys are matched through a set. */
const KEYS_SCANNED = 16;

/**
 * Writes a scanned request back as a binary `ExportTraceServiceRequest`:
 * every byte received is copied in order, except rejected spans (left out)
 * and the attributes a span's update replaces; the update is appended to
 * its span. Two passes over the request, with no object per part: the
 * first computes every message's size (and, for each updated span, the
 * byte ranges of the attributes it replaces), the second copies everything
 * once into one buffer. The buffer is taken from `forwardPayloads`: the
 * next-hop client gives it back once gzip has read it; any other caller
 * simply keeps it.
 */
export function writeExportTraceRequest(request: ScannedRequest): Uint8Array {
  const plan = new WritePlan();
  let total = 0;
  for (const part of request.parts) {
    total +=
      part instanceof Uint8Array
        ? part.length
        : framedSize(plan.resource(part));
  }
  const out = new Output(total, plan);
  for (const part of request.parts) {
    if (part instanceof Uint8Array) out.copy(part, 0, part.length);
    else out.resource(part);
  }
  return out.done();
}

function framedSize(size: number): number {
  return 1 + varintLength(size) + size;
}

/**
 * What the first pass found, in the order the second pass needs it: the
 * sizes of resources, scopes and updated spans (pre-order), and for each
 * updated span its keys and the ranges its update replaces.
 */
class WritePlan {
  readonly sizes: number[] = [];
  /** Per updated span: the number of ranges, then each range's start and end. */
  readonly cuts: number[] = [];
  readonly keys: (readonly string[])[] = [];

  resource(resource: ScannedResource): number {
    const slot = this.sizes.push(0) - 1;
    let size = 0;
    for (const part of resource.parts) {
      size +=
        part instanceof Uint8Array ? part.length : framedSize(this.scope(part));
    }
    this.sizes[slot] = size;
    return size;
  }

  scope(scope: ScannedScope): number {
    const slot = this.sizes.push(0) - 1;
    let size = 0;
    for (const part of scope.parts) {
      if (part instanceof Uint8Array) size += part.length;
      else if (!part.rejected) size += framedSize(this.span(part));
    }
    this.sizes[slot] = size;
    return size;
  }

  span(scanned: ScannedSpan): number {
    const { update, bytes } = scanned;
    if (update === undefined) return bytes.length;
    const keys = Object.keys(update);
    const replaced = keysItMayReplace(scanned, keys);
    const removed =
      replaced.length === 0 ? this._none() : this._replaced(bytes, replaced);
    const size = bytes.length - removed + attributeUpdateSize(update, keys);
    this.keys.push(keys);
    this.sizes.push(size);
    return size;
  }

  /** Records that the span's update replaces none of its attributes. */
  private _none(): number {
    this.cuts.push(0);
    return 0;
  }

  /**
   * Records the ranges of the span's attribute entries whose key is one of
   * `keys`; returns their total size.
   */
  private _replaced(bytes: Uint8Array, keys: readonly string[]): number {
    const cuts = this.cuts;
    const countAt = cuts.push(0) - 1;
    if (keys.length === 0) return 0;
    const matcher = new KeyMatcher(keys);
    const reader = new WireReader(asBuffer(bytes));
    let removed = 0;
    while (reader.pos < reader.end) {
      const start = reader.pos;
      const tag = reader.varint();
      if (tag !== ATTRIBUTES_TAG) {
        reader.skip(tag & 7);
        continue;
      }
      const end = reader.lengthEnd();
      if (matcher.matches(reader, end)) {
        cuts.push(start, end);
        (cuts[countAt] as number) += 1;
        removed += end - start;
      }
      reader.pos = end;
    }
    return removed;
  }
}

/**
 * The update's keys that may name one of the span's attributes: all of
 * them, unless the scan read its attributes into a record
 * (`ScannedSpan.attributes`, every `KeyValue` of the span set in it, keys
 * read as the writer matches them: the last `key` field, decoded as
 * UTF-8); then only those that are keys of the record (an update mostly
 * replaces none, or one: a scrubbed identity key). `__proto__` is not a
 * key a record can hold: an update naming it is matched on the bytes.
 */
function keysItMayReplace(
  scanned: ScannedSpan,
  keys: readonly string[],
): readonly string[] {
  const attributes = scanned.attributes;
  if (attributes === undefined) return keys;
  let found: string[] | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (key === '__proto__' || Object.hasOwn(attributes, key)) {
      (found ??= []).push(key);
    }
  }
  return found ?? NO_KEYS;
}

const NO_KEYS: readonly string[] = [];

/**
 * Whether a `KeyValue`'s key is one of an update's keys. Its key is read as
 * every decoder reads it: a repeated `key` field is legal protobuf and the
 * LAST one wins (protobufjs, and the Collector), so the key the pipeline
 * read is the one matched here. An ASCII key is compared byte for code
 * unit with the keys, not decoded; any other is decoded (bytes that are
 * not UTF-8 read as U+FFFD, as the pipeline read them).
 */
class KeyMatcher {
  private readonly _keys: readonly string[];
  private _set: ReadonlySet<string> | undefined;
  /** The fewest code units of a key. */
  private readonly _shortest: number;
  /** Every key is ASCII (the usual case). */
  private readonly _ascii: boolean;

  constructor(keys: readonly string[]) {
    this._keys = keys;
    this._set = keys.length > KEYS_SCANNED ? new Set(keys) : undefined;
    let shortest = Infinity;
    let ascii = true;
    for (const key of keys) {
      shortest = Math.min(shortest, key.length);
      // eslint-disable-next-line no-control-regex
      if (ascii && !/^[\x00-\x7f]*$/.test(key)) ascii = false;
    }
    this._shortest = shortest;
    this._ascii = ascii;
  }

  /** Reads the `KeyValue` at `reader.pos..end` (leaves `reader.pos` at `end`). */
  matches(reader: WireReader, end: number): boolean {
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
    // UTF-8 decodes to at most one code unit per byte (U+FFFD for each
    // invalid sequence): bytes fewer than the shortest key name none.
    if (keyEnd - keyStart < this._shortest) return false;
    const buf = reader.buf;
    // Bytes that are not all ASCII decode to text that is not (a sequence
    // of UTF-8 gives U+0080 or more, an invalid one U+FFFD): when every
    // key is ASCII, only the bytes of a key, code unit for byte, name it,
    // and those are ASCII; no need to look at the bytes first.
    if (
      this._set === undefined &&
      (this._ascii || isAscii(buf, keyStart, keyEnd))
    ) {
      const length = keyEnd - keyStart;
      for (const key of this._keys) {
        if (key.length === length && sameAscii(buf, keyStart, key)) return true;
      }
      return false;
    }
    this._set ??= new Set(this._keys);
    return this._set.has(buf.toString('utf8', keyStart, keyEnd));
  }
}

function isAscii(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++)
    if ((buf[i] as number) >= 0x80) return false;
  return true;
}

/** Whether the bytes at `start` are `key`'s code units (`key` as long). */
function sameAscii(buf: Buffer, start: number, key: string): boolean {
  for (let i = 0; i < key.length; i++) {
    if (buf[start + i] !== key.charCodeAt(i)) return false;
  }
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

/**
 * The second pass: copies the request into one buffer, following the plan.
 * What it copies from the request received is gathered into one pending
 * range while the pieces follow each other there, headers included when
 * the header it would write is the one received: a run of spans left
 * alone, or a whole scope or resource, is one copy.
 */
class Output {
  private readonly _buffer: Buffer;
  private readonly _plan: WritePlan;
  private _pos = 0;
  private _size = 0;
  private _cut = 0;
  private _keys = 0;
  /** The memory of the pending range (the request received), if any. */
  private _src: ArrayBufferLike | undefined;
  /**
   * A view of all of `_memory` (the memory of the last range copied):
   * kept from one range to the next, as `_memory`, since a view's
   * `buffer` and `byteOffset` getters cost about 10-15 ns a call (Node
   * 20): each view's are read once (`_spanAt`, `copy`), not at each use.
   */
  private _view: Uint8Array | undefined;
  private _memory: ArrayBufferLike | undefined;
  private _from = 0;
  private _to = 0;

  constructor(size: number, plan: WritePlan) {
    this._buffer = forwardPayloads.take(size);
    this._plan = plan;
  }

  resource(resource: ScannedResource): void {
    const first = resource.parts[0];
    this._header(
      RESOURCE_SPANS_TAG,
      this._nextSize(),
      first === undefined || first instanceof Uint8Array
        ? first
        : // The first scope's size comes next in the plan.
          scopeStart(first, this._plan.sizes[this._size] as number),
    );
    for (const part of resource.parts) {
      if (part instanceof Uint8Array) this.copy(part, 0, part.length);
      else this._scope(part);
    }
  }

  private _scope(scope: ScannedScope): void {
    this._header(SCOPE_SPANS_TAG, this._nextSize(), firstStart(scope));
    for (const part of scope.parts) {
      if (part instanceof Uint8Array) this.copy(part, 0, part.length);
      else if (!part.rejected) this._span(part);
    }
  }

  private _span(scanned: ScannedSpan): void {
    const { update, bytes } = scanned;
    const memory = bytes.buffer;
    const offset = bytes.byteOffset;
    const length = bytes.length;
    if (update === undefined) {
      this._headerAt(SPANS_TAG, length, memory, offset);
      this._copyAt(memory, offset, length);
      return;
    }
    this._headerAt(SPANS_TAG, this._nextSize(), memory, offset);
    const cuts = this._plan.cuts;
    const count = cuts[this._cut++] as number;
    let from = 0;
    for (let i = 0; i < count; i++) {
      const start = cuts[this._cut++] as number;
      const end = cuts[this._cut++] as number;
      this._copyAt(memory, offset + from, start - from);
      from = end;
    }
    this._copyAt(memory, offset + from, length - from);
    this._flush();
    const keys = this._plan.keys[this._keys++] as readonly string[];
    this._pos = writeAttributeUpdate(this._buffer, this._pos, update, keys);
  }

  private _nextSize(): number {
    return this._plan.sizes[this._size++] as number;
  }

  /**
   * A message header. `content`: a guess of where the message's content
   * starts in the request received (a view starting there, or an absolute
   * offset with its memory); when the pending range ends right before it
   * with the very bytes of this header, the header joins the range.
   */
  private _header(
    tag: number,
    length: number,
    content: Uint8Array | Start | undefined,
  ): void {
    if (content === undefined) this._headerAt(tag, length, undefined, 0);
    else this._headerAt(tag, length, content.buffer, content.byteOffset);
  }

  /**
   * `_header`, the guess given as its memory (undefined: none) and the
   * offset in it.
   */
  private _headerAt(
    tag: number,
    length: number,
    memory: ArrayBufferLike | undefined,
    contentOffset: number,
  ): void {
    const size = 1 + varintLength(length);
    if (
      memory !== undefined &&
      memory === this._src &&
      contentOffset - size === this._to &&
      this._received(tag, length)
    ) {
      this._to = contentOffset;
      return;
    }
    this._flush();
    this._buffer[this._pos++] = tag;
    let value = length;
    while (value >= 0x80) {
      this._buffer[this._pos++] = (value & 0x7f) | 0x80;
      value = Math.floor(value / 128);
    }
    this._buffer[this._pos++] = value;
  }

  /** Whether the bytes received after the pending range are this header. */
  private _received(tag: number, length: number): boolean {
    const view = this._view as Uint8Array;
    let at = this._to;
    if (view[at++] !== tag) return false;
    let value = length;
    while (value >= 0x80) {
      if (view[at++] !== ((value & 0x7f) | 0x80)) return false;
      value = Math.floor(value / 128);
    }
    return view[at] === value;
  }

  /** Bytes `start..end` of `bytes`, a view of the request received. */
  copy(bytes: Uint8Array, start: number, end: number): void {
    if (end <= start) return;
    this._copyAt(bytes.buffer, bytes.byteOffset + start, end - start);
  }

  /** `length` bytes of `memory` at `from` (none when `length <= 0`). */
  private _copyAt(memory: ArrayBufferLike, from: number, length: number): void {
    if (length <= 0) return;
    if (memory === this._src && from === this._to) {
      this._to += length;
      return;
    }
    this._flush();
    if (memory !== this._memory) {
      this._view = new Uint8Array(memory);
      this._memory = memory;
    }
    this._src = memory;
    this._from = from;
    this._to = from + length;
  }

  private _flush(): void {
    const memory = this._src;
    if (memory === undefined) return;
    const length = this._to - this._from;
    // A view made from the memory and offsets known (cheaper than
    // `subarray`, which reads the getters and looks up the species).
    this._buffer.set(new Uint8Array(memory, this._from, length), this._pos);
    this._pos += length;
    this._src = undefined;
  }

  done(): Uint8Array {
    this._flush();
    if (this._pos !== this._buffer.length) {
      throw new Error(
        `internal: wrote ${this._pos} of ${this._buffer.length} bytes`,
      );
    }
    return this._buffer;
  }
}

/** An absolute offset in some memory. */
interface Start {
  readonly buffer: ArrayBufferLike;
  readonly byteOffset: number;
}

/** Where a scope's first part starts, its header (received minimal) included. */
function firstStart(scope: ScannedScope): Start | undefined {
  const first = scope.parts[0];
  if (first === undefined || first instanceof Uint8Array) return first;
  const { bytes } = first;
  return {
    buffer: bytes.buffer,
    byteOffset: bytes.byteOffset - 1 - varintLength(bytes.length),
  };
}

/** Where a scope of `size` bytes starts, its header included. */
function scopeStart(scope: ScannedScope, size: number): Start | undefined {
  const first = firstStart(scope);
  if (first === undefined) return undefined;
  return {
    buffer: first.buffer,
    byteOffset: first.byteOffset - 1 - varintLength(size),
  };
}

import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from './decode-limits.js';
import { DEPRECATED_SCOPE_SPANS_FIELD } from './otlp-wire-schema.js';
import { FIELDS_PER_SLICE, runSteps, type DecodeSteps } from './decode-lane.js';
import { readScannedSpan, type SpanAttributesRead } from './read-otlp-span.js';
import type {
  ScannedRequest,
  ScannedResource,
  ScannedScope,
  ScannedSpan,
} from './scanned-request.js';
import { validateProtobufRequest } from './validate-protobuf-request.js';
import { asBuffer, WireReader } from './wire-reader.js';

const RESOURCE_SPANS = (1 << 3) | 2; // ExportTraceServiceRequest.resource_spans
const SCOPE_SPANS = (2 << 3) | 2; // ResourceSpans.scope_spans
const DEPRECATED_SCOPE_SPANS = (DEPRECATED_SCOPE_SPANS_FIELD << 3) | 2;
const SCOPE = (1 << 3) | 2; // ScopeSpans.scope
const SPANS = (2 << 3) | 2; // ScopeSpans.spans
const SCOPE_NAME = (1 << 3) | 2; // InstrumentationScope.name

/**
 * Scans a binary `ExportTraceServiceRequest`: first checks the whole body
 * against the schema and the decode limits without materializing anything
 * (`validateProtobufRequest`: `OtlpDecodeError`, 400 or 413), then splits
 * it into its spans (`ScannedRequest`), reading each span for the pipeline.
 * Runs of fields without spans stay raw byte ranges, so empty resources,
 * scopes or unknown fields cost nothing however many there are.
 *
 * `ResourceSpans` field 1000 (`deprecated_scope_spans`, once
 * `instrumentation_library_spans`) is read as the Collector reads it: when
 * the resource has no `scope_spans` (field 2) its entries are scope spans,
 * scanned and written as field 2 (so their spans are priced, pseudonymized
 * and counted like any other); otherwise they are dropped, and their spans
 * counted in `droppedSpans`. Either way no span in field 1000 is forwarded
 * as received (an entry without spans may be: it holds no span data, and a
 * Collector drops it or keeps it as an empty scope).
 *
 * Only the spans the pipeline may read are decoded (`read`, by default
 * `'if-marked'`: spans with a key of an emitter family or an identity
 * key, see `isPipelineAttributeKey`); the others keep their ids, name,
 * kind, times and flags and no attributes, and are forwarded as received.
 * `'all'` decodes every span's attributes: the reference the scan path
 * is tested against.
 */
export function scanExportTraceRequest(
  body: Uint8Array,
  limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
  read: SpanAttributesRead = 'if-marked',
): ScannedRequest {
  validateProtobufRequest(body, limits);
  return runSteps(scanValidatedRequest(body, read));
}

/**
 * `scanExportTraceRequest` in steps, for a body `validateProtobufRequest`
 * already accepted (with the limits), so the event loop can run in between.
 */
export function* scanValidatedRequest(
  body: Uint8Array,
  read: SpanAttributesRead = 'if-marked',
): DecodeSteps<ScannedRequest> {
  const slice = new Slice();
  const reader = new WireReader(asBuffer(body));
  const raw = new RawRuns(reader.buf);
  const parts: (Uint8Array | ScannedResource)[] = [];
  const resources: ScannedResource[] = [];
  let droppedSpans = 0;
  while (reader.pos < reader.end) {
    if (slice.spend(1)) yield;
    const start = reader.pos;
    const tag = reader.varint();
    if (tag === RESOURCE_SPANS) {
      const end = reader.lengthEnd();
      const resource = yield* scanResource(reader, end, slice, read);
      droppedSpans += resource?.droppedSpans ?? 0;
      reader.pos = end;
      if (resource !== undefined) {
        raw.flushInto(parts);
        parts.push(resource);
        resources.push(resource);
        continue;
      }
    } else {
      reader.skip(tag & 7);
    }
    raw.extend(start, reader.pos);
  }
  raw.flushInto(parts);
  return { parts, resources, droppedSpans };
}

/** The resource's scopes holding spans, or undefined when it has none. */
function* scanResource(
  reader: WireReader,
  end: number,
  slice: Slice,
  read: SpanAttributesRead,
): DecodeSteps<ScannedResource | undefined> {
  const raw = new RawRuns(reader.buf);
  const parts: (Uint8Array | ScannedScope)[] = [];
  const scopes: ScannedScope[] = [];
  const resourceStart = reader.pos;
  // Field 1000: undefined until one is met, then whether it is dropped.
  let dropDeprecated: boolean | undefined;
  let droppedSpans = 0;
  while (reader.pos < end) {
    if (slice.spend(1)) yield;
    const start = reader.pos;
    const tag = reader.varint();
    if (tag === DEPRECATED_SCOPE_SPANS) {
      dropDeprecated ??= hasScopeSpans(reader.buf, resourceStart, end);
      if (dropDeprecated) {
        const scopeEnd = reader.lengthEnd();
        const spans = countSpans(reader, scopeEnd);
        if (slice.spend(spans)) yield;
        reader.pos = scopeEnd;
        if (spans > 0) {
          droppedSpans += spans;
          raw.flushInto(parts);
          continue;
        }
        raw.extend(start, reader.pos);
        continue;
      }
    }
    if (tag === SCOPE_SPANS || tag === DEPRECATED_SCOPE_SPANS) {
      const scopeEnd = reader.lengthEnd();
      const scope = yield* scanScope(reader, scopeEnd, slice, read);
      reader.pos = scopeEnd;
      if (scope !== undefined) {
        raw.flushInto(parts);
        parts.push(scope);
        scopes.push(scope);
        continue;
      }
    } else {
      reader.skip(tag & 7);
    }
    raw.extend(start, reader.pos);
  }
  if (scopes.length === 0 && droppedSpans === 0) return undefined;
  raw.flushInto(parts);
  return { parts, scopes, droppedSpans };
}

/** Whether the `ResourceSpans` at `start..end` has a `scope_spans` field. */
function hasScopeSpans(buf: Buffer, start: number, end: number): boolean {
  const reader = new WireReader(buf, start, end);
  while (reader.pos < end) {
    const tag = reader.varint();
    if (tag === SCOPE_SPANS) return true;
    reader.skip(tag & 7);
  }
  return false;
}

/** Spans in the `ScopeSpans` message at `reader.pos..end`. */
function countSpans(reader: WireReader, end: number): number {
  let spans = 0;
  while (reader.pos < end) {
    const tag = reader.varint();
    if (tag === SPANS) spans += 1;
    reader.skip(tag & 7);
  }
  return spans;
}

function* scanScope(
  reader: WireReader,
  end: number,
  slice: Slice,
  read: SpanAttributesRead,
): DecodeSteps<ScannedScope | undefined> {
  const raw = new RawRuns(reader.buf);
  const parts: (Uint8Array | ScannedSpan)[] = [];
  const spans: ScannedSpan[] = [];
  let scopeName = '';
  while (reader.pos < end) {
    const start = reader.pos;
    const tag = reader.varint();
    if (tag === SPANS) {
      const spanEnd = reader.lengthEnd();
      // Reading a span costs about twice per byte what skipping a field does.
      if (slice.spend(1 + 2 * (spanEnd - reader.pos))) yield;
      const scanned = readScannedSpan(reader, spanEnd, read);
      reader.pos = spanEnd;
      raw.flushInto(parts);
      parts.push(scanned);
      spans.push(scanned);
      continue;
    }
    if (tag === SCOPE) scopeName = readScopeName(reader, reader.lengthEnd());
    else reader.skip(tag & 7);
    raw.extend(start, reader.pos);
  }
  if (spans.length === 0) return undefined;
  raw.flushInto(parts);
  return { parts, scopeName, spans };
}

function readScopeName(reader: WireReader, end: number): string {
  let name = '';
  while (reader.pos < end) {
    const tag = reader.varint();
    if (tag === SCOPE_NAME) name = reader.cachedString();
    else reader.skip(tag & 7);
  }
  return name;
}

/** Work done since the last yield, in fields skipped (about 10 ns each). */
class Slice {
  private _left = FIELDS_PER_SLICE;

  /** True when a slice is used up (then a new one starts). */
  spend(units: number): boolean {
    this._left -= units;
    if (this._left > 0) return false;
    this._left = FIELDS_PER_SLICE;
    return true;
  }
}

/**
 * Consecutive raw fields, kept as one byte range: the bytes between two
 * spans (or scopes, or resources) are copied as one part however many
 * fields they hold.
 */
class RawRuns {
  private _start = -1;
  private _end = -1;

  constructor(private readonly _buf: Buffer) {}

  /** Adds the field at `start..end`, which follows the pending run if any. */
  extend(start: number, end: number): void {
    if (this._start < 0) this._start = start;
    this._end = end;
  }

  /** Appends the pending run to `parts`, and starts a new one. */
  flushInto(parts: (Uint8Array | object)[]): void {
    if (this._start >= 0 && this._end > this._start) {
      // A plain `Uint8Array` view (no copy): cheaper to make than a
      // `Buffer` view, and the writer only copies it.
      const buf = this._buf;
      parts.push(
        new Uint8Array(
          buf.buffer,
          buf.byteOffset + this._start,
          this._end - this._start,
        ),
      );
    }
    this._start = -1;
  }
}

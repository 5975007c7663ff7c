/**
 * Request bodies that decode into far more than their size: the shapes the
 * decode limits exist for, built byte by byte (protobuf) or as text (JSON),
 * fast enough to build at 64 MiB. Shared by the decode tests and
 * `bench/gateway-decode-memory.ts`.
 */

/** A varint, as protobuf writes it. */
export function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 128) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** A length-delimited field: tag byte, varint length, bytes. */
export function ld(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([varint(tag), varint(body.length), body]);
}

/** `count` copies of `unit`, filled by doubling (fast at 64 MiB). */
export function repeat(unit: Buffer, count: number): Buffer {
  const out = Buffer.allocUnsafe(unit.length * count);
  if (count === 0) return out;
  unit.copy(out, 0);
  let filled = unit.length;
  while (filled < out.length) {
    filled += out.copy(out, filled, 0, Math.min(filled, out.length - filled));
  }
  return out;
}

// Tags (field number << 3 | wire type 2).
const RESOURCE_SPANS = 0x0a;
const SCOPE_SPANS = 0x12;
const SPANS = 0x12;
const ATTRIBUTES = 0x4a;
const EVENTS = 0x5a;
const LINKS = 0x6a;
const STATUS = 0x7a;
const EMPTY = (tag: number): Buffer => Buffer.from([tag, 0]);

let spanCounter = 0;

/** A span with valid ids (distinct per call), name `x`, and `extra` fields. */
export function tinySpan(...extra: Buffer[]): Buffer {
  spanCounter += 1;
  const traceId = Buffer.alloc(16, 1);
  traceId.writeUInt32BE(spanCounter, 12);
  const spanId = Buffer.alloc(8, 2);
  spanId.writeUInt32BE(spanCounter, 4);
  return Buffer.concat([
    ld(0x0a, traceId),
    ld(0x12, spanId),
    ld(0x2a, Buffer.from('x')),
    ...extra,
  ]);
}

/** Spans (their bytes) in one resource and one scope. */
export function requestOf(...spans: Buffer[]): Buffer {
  return ld(
    RESOURCE_SPANS,
    ld(SCOPE_SPANS, ...spans.map(span => ld(SPANS, span))),
  );
}

/**
 * Issue 9, case 1: `padBytes` of empty `ResourceSpans` (0x0a 0x00 pairs)
 * and then one resource with one span, exactly as reported.
 */
export function emptyResourceSpans(padBytes: number): Buffer {
  const sp = Buffer.concat([
    Buffer.from([10, 16]),
    Buffer.alloc(16, 1),
    Buffer.from([18, 8]),
    Buffer.alloc(8, 2),
    Buffer.from([42, 1, 120]),
  ]);
  const l = (t: number, b: Buffer): Buffer =>
    Buffer.concat([Buffer.from([t, b.length]), b]);
  const pad = Buffer.alloc(padBytes);
  for (let i = 0; i < pad.length; i += 2) pad[i] = 10;
  return Buffer.concat([pad, l(10, l(18, l(18, sp)))]);
}

export type AmplifyingShape =
  | 'empty-resource-spans'
  | 'empty-scope-spans'
  | 'empty-spans'
  | 'tiny-spans'
  | 'empty-attributes'
  | 'bool-attributes'
  | 'empty-events'
  | 'empty-links'
  | 'repeated-status'
  | 'empty-array-values'
  | 'empty-kvlist-entries';

export const AMPLIFYING_SHAPES: readonly AmplifyingShape[] = [
  'empty-resource-spans',
  'empty-scope-spans',
  'empty-spans',
  'tiny-spans',
  'empty-attributes',
  'bool-attributes',
  'empty-events',
  'empty-links',
  'repeated-status',
  'empty-array-values',
  'empty-kvlist-entries',
];

/**
 * A protobuf request holding `count` of the smallest messages of a kind
 * (each one item, or one span for the span shapes), plus one ordinary span
 * so there is something to forward.
 */
export function amplifyingProtobuf(
  shape: AmplifyingShape,
  count: number,
): Buffer {
  switch (shape) {
    case 'empty-resource-spans':
      return Buffer.concat([
        repeat(EMPTY(RESOURCE_SPANS), count),
        requestOf(tinySpan()),
      ]);
    case 'empty-scope-spans':
      return ld(
        RESOURCE_SPANS,
        repeat(EMPTY(SCOPE_SPANS), count),
        ld(SCOPE_SPANS, ld(SPANS, tinySpan())),
      );
    case 'empty-spans':
      return ld(
        RESOURCE_SPANS,
        ld(SCOPE_SPANS, repeat(EMPTY(SPANS), count), ld(SPANS, tinySpan())),
      );
    case 'tiny-spans': {
      const spans: Buffer[] = [];
      for (let index = 0; index < count; index++) {
        spans.push(ld(SPANS, tinySpan()));
      }
      return ld(RESOURCE_SPANS, ld(SCOPE_SPANS, ...spans));
    }
    case 'empty-attributes':
      return requestOf(tinySpan(repeat(EMPTY(ATTRIBUTES), count)));
    case 'bool-attributes':
      // {key: "", value: {boolValue: true}}: read, not just skipped.
      return requestOf(
        tinySpan(repeat(Buffer.from([ATTRIBUTES, 4, 0x12, 2, 0x10, 1]), count)),
      );
    case 'empty-events':
      return requestOf(tinySpan(repeat(EMPTY(EVENTS), count)));
    case 'empty-links':
      return requestOf(tinySpan(repeat(EMPTY(LINKS), count)));
    case 'repeated-status':
      return requestOf(tinySpan(repeat(EMPTY(STATUS), count)));
    case 'empty-array-values':
      // One attribute whose value is an array of `count` empty values.
      return requestOf(
        tinySpan(
          ld(ATTRIBUTES, ld(0x12, ld(0x2a, repeat(EMPTY(0x0a), count)))),
        ),
      );
    case 'empty-kvlist-entries':
      return requestOf(
        tinySpan(
          ld(ATTRIBUTES, ld(0x12, ld(0x32, repeat(EMPTY(0x0a), count)))),
        ),
      );
  }
}

/** An attribute value nesting `depth` arrays (or key-value lists). */
export function deepValue(depth: number, kind: 'array' | 'kvlist'): Buffer {
  let value = ld(0x0a, Buffer.from('leaf')); // AnyValue.string_value
  for (let level = 0; level < depth; level++) {
    value =
      kind === 'array'
        ? ld(0x2a, ld(0x0a, value)) // AnyValue.array_value{values: [value]}
        : ld(0x32, ld(0x0a, ld(0x12, value))); // kvlist_value{values: [{value}]}
  }
  return ld(ATTRIBUTES, ld(0x0a, Buffer.from('deep')), ld(0x12, value));
}

/** The same nesting in OTLP/JSON, as a full request with one span. */
export function deepValueJson(depth: number, kind: 'array' | 'kvlist'): string {
  const open =
    kind === 'array'
      ? '{"arrayValue":{"values":['
      : '{"kvlistValue":{"values":[{"key":"k","value":';
  const close = kind === 'array' ? ']}}' : '}]}}';
  const value = `${open.repeat(depth)}{"stringValue":"leaf"}${close.repeat(depth)}`;
  return jsonRequest(`[{"key":"deep","value":${value}}]`);
}

/** A JSON request with one span carrying the given attributes array text. */
export function jsonRequest(attributes: string, before = ''): string {
  return (
    `{"resourceSpans":[${before}{"scopeSpans":[{"scope":{"name":"test"},"spans":[{` +
    `"traceId":"5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a","spanId":"0101010101010101","name":"x",` +
    `"startTimeUnixNano":"1767225600000000000","endTimeUnixNano":"1767225601000000000",` +
    `"attributes":${attributes}}]}]}]}`
  );
}

/** JSON: `count` empty resource spans before the one with a span. */
export function emptyResourceSpansJson(count: number): string {
  return jsonRequest('[]', '{},'.repeat(count));
}

/** JSON: one span with `count` minimal attributes. */
export function tinyAttributesJson(count: number): string {
  return jsonRequest(
    `[${'{"key":"a","value":{"boolValue":true}},'.repeat(count)}{"key":"b"}]`,
  );
}

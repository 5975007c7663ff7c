import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DecodeLimits } from '../../../src/gateway/otlp/decode-limits.js';
import { OtlpDecodeError } from '../../../src/gateway/otlp/otlp-decode-error.js';
import { otlpMessageTypes } from '../../../src/gateway/otlp/otlp-message-types.js';
import { scanExportTraceRequest } from '../../../src/gateway/otlp/scan-export-trace-request.js';
import { validateProtobufRequest } from '../../../src/gateway/otlp/validate-protobuf-request.js';
import { writeExportTraceRequest } from '../../../src/gateway/otlp/write-export-trace-request.js';
import {
  AMPLIFYING_SHAPES,
  amplifyingProtobuf,
  deepValue,
  ld,
  requestOf,
  varint as varintOf,
  tinySpan,
  type AmplifyingShape,
} from '../helpers/hostile-bodies.js';
import { referenceDecode } from '../helpers/reference-decoder.js';
import { request } from './request-arbitrary.js';
import { readOtlpAttributes } from '../../../src/gateway/span/otlp-attribute-values.js';
import type {
  ExportTraceRequest,
  OtlpAnyValue,
  OtlpKeyValue,
} from '../../../src/gateway/otlp/otlp-types.js';

/** Key-values as plain data (own fields only, 64-bit integers as text). */
function canonical(keyValues: readonly OtlpKeyValue[] | undefined): unknown {
  return (keyValues ?? []).map(({ key, value }) => [
    key,
    canonicalValue(value),
  ]);
}

function canonicalValue(value: OtlpAnyValue | null | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (Object.hasOwn(value, 'stringValue')) return { s: value.stringValue };
  if (Object.hasOwn(value, 'boolValue')) return { b: value.boolValue };
  if (Object.hasOwn(value, 'intValue')) return { i: String(value.intValue) };
  if (Object.hasOwn(value, 'doubleValue')) return { d: value.doubleValue };
  if (Object.hasOwn(value, 'bytesValue')) {
    return { bytes: Buffer.from(value.bytesValue ?? []).toString('hex') };
  }
  if (Object.hasOwn(value, 'arrayValue')) {
    return { a: (value.arrayValue?.values ?? []).map(canonicalValue) };
  }
  if (Object.hasOwn(value, 'kvlistValue')) {
    return { kv: canonical(value.kvlistValue?.values) };
  }
  return {};
}

const LIMITS: DecodeLimits = {
  maxSpansPerRequest: 50,
  maxItemsPerRequest: 1_000,
  maxValueDepth: 8,
};

function decodeError(run: () => unknown): OtlpDecodeError {
  try {
    run();
  } catch (error) {
    if (error instanceof OtlpDecodeError) return error;
    throw error;
  }
  throw new Error('expected an OtlpDecodeError');
}

/** Items a shape's request holds besides its `count` messages, at most. */
const SPAN_SHAPES: readonly AmplifyingShape[] = ['empty-spans', 'tiny-spans'];
const ITEMS_PER_UNIT: Partial<Record<AmplifyingShape, number>> = {
  'bool-attributes': 2, // a KeyValue and its AnyValue
};

describe('validateProtobufRequest: malformed protobuf is 400', () => {
  it('rejects field number 0 (issue 9, case 6f: 1 MiB of zero bytes)', () => {
    const error = decodeError(() =>
      validateProtobufRequest(Buffer.alloc(1024 * 1024), LIMITS),
    );
    expect(error.status).toBe(400);
    expect(error.message).toBe(
      'invalid protobuf ExportTraceServiceRequest: field number 0 at offset 0 (in Request)',
    );
  });

  it('rejects field number 0 deep inside a span', () => {
    const body = requestOf(tinySpan(Buffer.from([0x00, 0x01])));
    expect(
      decodeError(() => validateProtobufRequest(body, LIMITS)).message,
    ).toMatch(/field number 0 at offset \d+ \(in Span\)/);
  });

  it.each([3, 4, 6, 7])('rejects wire type %i', wireType => {
    const body = requestOf(
      tinySpan(
        Buffer.concat([varintOf((20 << 3) | wireType), Buffer.alloc(9)]),
      ),
    );
    expect(
      decodeError(() => validateProtobufRequest(body, LIMITS)).message,
    ).toContain(`invalid wire type ${wireType}`);
  });

  it('rejects a known field with the wrong wire type', () => {
    // Span.name (5) as a varint.
    const body = requestOf(tinySpan(Buffer.from([(5 << 3) | 0, 1])));
    expect(
      decodeError(() => validateProtobufRequest(body, LIMITS)).message,
    ).toContain('wire type 0 for field 5 (name), expected 2');
  });

  it('rejects a length past the end of its message, and truncated fields', () => {
    for (const body of [
      Buffer.from([0x0a, 0x05, 0x12, 0x00]),
      Buffer.from([0x0a, 0x03, 0x12, 0x05, 0x00]),
      requestOf(tinySpan(Buffer.from([0x39, 1, 2, 3]))), // fixed64 cut short
      Buffer.from([0x78, 0x80]), // varint cut short (unknown field 15)
    ]) {
      expect(
        decodeError(() => validateProtobufRequest(body, LIMITS)).message,
      ).toContain('index out of range');
    }
  });

  it('rejects a varint longer than 10 bytes', () => {
    const body = Buffer.from([0x78, ...Array<number>(10).fill(0xff), 0x01]);
    expect(
      decodeError(() => validateProtobufRequest(body, LIMITS)).message,
    ).toContain('varint longer than 10 bytes');
  });

  it('skips unknown fields of every valid wire type', () => {
    const unknown = Buffer.concat([
      varintOf((20 << 3) | 0),
      Buffer.from([0x96, 0x01]),
      varintOf((21 << 3) | 1),
      Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]),
      ld((22 << 3) | 2, Buffer.from('zz')),
      varintOf((23 << 3) | 5),
      Buffer.from([1, 2, 3, 4]),
    ]);
    const body = Buffer.concat([unknown, requestOf(tinySpan(unknown))]);
    expect(validateProtobufRequest(body, LIMITS).spans).toBe(1);
  });
});

describe('validateProtobufRequest: counts against the limits', () => {
  it.each(AMPLIFYING_SHAPES)(
    '%s: the limit passes, one more is 413 naming the setting',
    shape => {
      const spans = SPAN_SHAPES.includes(shape);
      const per = ITEMS_PER_UNIT[shape] ?? 1;
      // The shapes add one ordinary span and what holds it (at most 6
      // items: resource spans, scope spans, span, attribute, value, list).
      const limit = spans
        ? LIMITS.maxSpansPerRequest - 1
        : Math.floor((LIMITS.maxItemsPerRequest - 6) / per);
      expect(() =>
        validateProtobufRequest(amplifyingProtobuf(shape, limit), LIMITS),
      ).not.toThrow();
      const over = spans
        ? LIMITS.maxSpansPerRequest + 1
        : Math.ceil(LIMITS.maxItemsPerRequest / per) + 1;
      const error = decodeError(() =>
        validateProtobufRequest(amplifyingProtobuf(shape, over), LIMITS),
      );
      expect(error.status).toBe(413);
      expect(error.message).toMatch(
        spans
          ? /^request has more than 50 spans \(--max-spans-per-request\)$/
          : /^request decodes into more than 1000 items .*\(--max-items-per-request\)$/,
      );
    },
  );

  it.each(['array', 'kvlist'] as const)(
    'nested %s values: the depth limit passes, one deeper is 400',
    kind => {
      const at = requestOf(tinySpan(deepValue(LIMITS.maxValueDepth, kind)));
      expect(() => validateProtobufRequest(at, LIMITS)).not.toThrow();
      const deeper = requestOf(
        tinySpan(deepValue(LIMITS.maxValueDepth + 1, kind)),
      );
      const error = decodeError(() => validateProtobufRequest(deeper, LIMITS));
      expect(error.status).toBe(400);
      expect(error.message).toBe(
        'an attribute value nests arrays or key-value lists more than 8 levels deep (--max-value-depth)',
      );
    },
  );

  it('does not overflow the stack on nesting far past any limit', () => {
    // 20,000 nested arrays: the walk is iterative, and stops at the limit.
    const levels = 20_000;
    const parts: Buffer[] = [];
    let length = 0;
    // Built inside out without copying: each level is a tag and a length.
    for (let level = 0; level < levels; level++) {
      const inner = Buffer.concat([Buffer.from([0x0a]), varintOf(length)]);
      length += inner.length;
      const outer = Buffer.concat([Buffer.from([0x2a]), varintOf(length)]);
      length += outer.length;
      parts.push(inner, outer);
    }
    const value = Buffer.concat(parts.reverse());
    const body = requestOf(tinySpan(ld(0x4a, ld(0x12, value))));
    const huge = { ...BIG, maxValueDepth: 1_000_000 };
    expect(validateProtobufRequest(body, huge).spans).toBe(1);
    expect(
      decodeError(() => validateProtobufRequest(body, LIMITS)).status,
    ).toBe(400);
  });

  it('counts nested values at every level, and spans in every scope', () => {
    const shape = validateProtobufRequest(
      Buffer.concat([
        requestOf(tinySpan(deepValue(3, 'array')), tinySpan()),
        requestOf(tinySpan()),
      ]),
      LIMITS,
    );
    expect(shape.spans).toBe(3);
    // 2 resource spans + 2 scope spans + 3 spans + KeyValue + 3 levels of
    // (AnyValue + ArrayValue) + the leaf AnyValue.
    expect(shape.items).toBe(2 + 2 + 3 + 1 + 3 * 2 + 1);
  });
});

const BIG: DecodeLimits = {
  maxSpansPerRequest: 10_000,
  maxItemsPerRequest: 1_000_000,
  maxValueDepth: 64,
};

describe('scan and write, generated', () => {
  it('valid requests scan, read like protobufjs reads them, and write back unchanged', () => {
    fc.assert(
      fc.property(request, object => {
        const body = otlpMessageTypes().request.encode(object).finish();
        // Every span's attributes read (the scan path's reference reader).
        const scanned = scanExportTraceRequest(body, BIG, 'all');
        expect(
          Buffer.from(writeExportTraceRequest(scanned)).equals(
            Buffer.from(body),
          ),
        ).toBe(true);
        const read = scanned.resources.flatMap(resource =>
          resource.scopes.flatMap(scope => scope.spans.map(s => s.span)),
        );
        const reference = referenceDecode(body);
        expect(read.map(s => Buffer.from(s.spanId).toString('hex'))).toEqual(
          reference.map(s => s.spanId),
        );
        expect(read.map(s => s.name)).toEqual(reference.map(s => s.name));
        expect(read.map(s => s.endTimeUnixNano.toString())).toEqual(
          reference.map(s => s.endTimeUnixNano),
        );
        // Attributes read as protobufjs reads them, nested values included.
        const protobufjs = (
          otlpMessageTypes().request.decode(
            body,
          ) as unknown as ExportTraceRequest
        ).resourceSpans.flatMap(resource =>
          resource.scopeSpans.flatMap(scope => scope.spans),
        );
        expect(read.map(s => readOtlpAttributes(s.attributes))).toEqual(
          protobufjs.map(s => readOtlpAttributes(s.attributes)),
        );
        expect(read.map(s => canonical(s.attributes))).toEqual(
          protobufjs.map(s => canonical(s.attributes)),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('corrupted requests are a 400 or a 413, never another error', () => {
    fc.assert(
      fc.property(
        request,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (object, flips) => {
          const body = Buffer.from(
            otlpMessageTypes().request.encode(object).finish(),
          );
          if (body.length === 0) return;
          for (const [at, byte] of flips) body[at % body.length] = byte;
          try {
            writeExportTraceRequest(scanExportTraceRequest(body, LIMITS));
          } catch (error) {
            expect(error).toBeInstanceOf(OtlpDecodeError);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('empty resources and scopes stay raw bytes, whatever their number', () => {
    const body = amplifyingProtobuf('empty-resource-spans', 500);
    const scanned = scanExportTraceRequest(body, LIMITS);
    // One raw run for the 500 empty resource spans, then the real one.
    expect(scanned.parts).toHaveLength(2);
    expect(scanned.resources).toHaveLength(1);
    expect(Buffer.from(writeExportTraceRequest(scanned)).equals(body)).toBe(
      true,
    );
  });
});

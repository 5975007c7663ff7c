/**
 * The scan path reads a marked span's attributes straight from the wire
 * into the core's record (`readAttributeRecord`); the reference path
 * decodes them as `OtlpKeyValue`s and maps them with `readOtlpAttributes`
 * (where the value rule lives). Generated at the wire level, so fields
 * come in any order and any number of times (a repeated key, a repeated
 * value, several `AnyValue` fields, unknown fields, nested arrays and
 * maps, bytes, empty values): both must give the same record, and, when
 * each value is one scalar field, the same as protobufjs (the vendored
 * protos; protobufjs keeps every field of a `oneof` sent twice, where the
 * protobuf rule and our readers keep the last).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeExportTraceRequest } from '../../../src/gateway/otlp/decode-export-trace-request.js';
import { DEFAULT_DECODE_LIMITS } from '../../../src/gateway/otlp/decode-limits.js';
import { scanExportTraceRequest } from '../../../src/gateway/otlp/scan-export-trace-request.js';
import { readOtlpAttributes } from '../../../src/gateway/span/otlp-attribute-values.js';

const varint = (value: bigint): number[] => {
  let v = BigInt.asUintN(64, value);
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
};
const tag = (field: number, wire: number): number[] =>
  varint(BigInt((field << 3) | wire));
const delimited = (field: number, body: readonly number[]): number[] => [
  ...tag(field, 2),
  ...varint(BigInt(body.length)),
  ...body,
];
const utf8 = (text: string): number[] => [...Buffer.from(text, 'utf8')];
const double = (value: number): number[] => {
  const buf = Buffer.alloc(8);
  buf.writeDoubleLE(value);
  return [...buf];
};
/** Field 15 (unknown to every message here), as a varint. */
const UNKNOWN = [...tag(15, 0), 42];

/** One `AnyValue` field (or an unknown one), as bytes. */
const anyValueField = (depth: number): fc.Arbitrary<number[]> => {
  const leaves: fc.Arbitrary<number[]>[] = [
    fc.string({ maxLength: 6 }).map(text => delimited(1, utf8(text))),
    fc
      .integer({ min: 0, max: 300 })
      .map(value => [...tag(2, 0), ...varint(BigInt(value))]),
    fc
      .bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
      .map(value => [...tag(3, 0), ...varint(value)]),
    fc
      .oneof(fc.double(), fc.constantFrom(0, -0, 1e308, Number.NaN))
      .map(value => [...tag(4, 1), ...double(value)]),
    fc.uint8Array({ maxLength: 4 }).map(bytes => delimited(7, [...bytes])),
    fc.constant(UNKNOWN),
  ];
  if (depth === 0) return fc.oneof(...leaves);
  return fc.oneof(
    ...leaves,
    // ArrayValue: entries (field 1) and maybe an unknown field.
    fc
      .array(
        fc.oneof(
          anyValue(depth - 1).map(value => delimited(1, value)),
          fc.constant(UNKNOWN),
        ),
        { maxLength: 3 },
      )
      .map(entries => delimited(5, entries.flat())),
    // KeyValueList: key-values (field 1).
    fc.array(keyValue(depth - 1), { maxLength: 2 }).map(entries =>
      delimited(
        6,
        entries.flatMap(kv => delimited(1, kv)),
      ),
    ),
  );
};
const anyValue = (depth: number): fc.Arbitrary<number[]> =>
  fc.array(anyValueField(depth), { maxLength: 3 }).map(fields => fields.flat());

const KEYS = ['gen_ai.request.model', 'user.id', 'http.route', 'a', '', 'é'];
/** A `KeyValue`'s fields in any order, each present 0-2 times. */
const keyValue = (depth: number): fc.Arbitrary<number[]> =>
  fc
    .array(
      fc.oneof(
        fc.constantFrom(...KEYS).map(key => delimited(1, utf8(key))),
        anyValue(depth).map(value => delimited(2, value)),
        fc.constant(UNKNOWN),
      ),
      { maxLength: 4 },
    )
    .map(fields => fields.flat());

/** A request of one span with these attributes and a GenAI marker. */
function requestOf(attributes: readonly number[][]): Buffer {
  const span = [
    ...delimited(1, new Array<number>(16).fill(1)),
    ...delimited(2, new Array<number>(8).fill(2)),
    ...delimited(5, utf8('chat')),
    ...attributes.flatMap(kv => delimited(9, kv)),
    ...delimited(9, [
      ...delimited(1, utf8('gen_ai.operation.name')),
      ...delimited(2, delimited(1, utf8('chat'))),
    ]),
  ];
  return Buffer.from(delimited(1, delimited(2, delimited(2, span))));
}

function firstSpan(body: Buffer, read: 'all' | 'if-marked') {
  const scanned = scanExportTraceRequest(body, DEFAULT_DECODE_LIMITS, read)
    .resources[0]?.scopes[0]?.spans[0];
  if (scanned === undefined) throw new Error('no span scanned');
  return scanned;
}

describe('readAttributeRecord (the scan path) against the key-value reference', () => {
  it('gives the record readOtlpAttributes gives, for any field order and repetition', () => {
    fc.assert(
      fc.property(fc.array(keyValue(2), { maxLength: 6 }), attributes => {
        const body = requestOf(attributes);
        const scanned = firstSpan(body, 'if-marked');
        const reference = readOtlpAttributes(
          firstSpan(body, 'all').span.attributes,
        );
        expect(scanned.attributes).toBeDefined();
        expect(scanned.attributes).toEqual(reference);
        expect(Object.keys(scanned.attributes ?? {})).toEqual(
          Object.keys(reference),
        );
      }),
      { numRuns: 400 },
    );
  });

  it('gives what protobufjs decodes when each value has one field', () => {
    const single = fc.array(
      fc
        .tuple(fc.constantFrom(...KEYS), anyValueField(0))
        .filter(([, value]) => value !== UNKNOWN)
        .map(([key, value]) => [
          ...delimited(1, utf8(key)),
          ...delimited(2, value),
        ]),
      { maxLength: 6 },
    );
    fc.assert(
      fc.property(single, attributes => {
        const body = requestOf(attributes);
        const decoded = decodeExportTraceRequest(body, 'protobuf')
          .resourceSpans[0]?.scopeSpans[0]?.spans[0];
        expect(firstSpan(body, 'if-marked').attributes).toEqual(
          readOtlpAttributes(decoded?.attributes),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('reads the published shapes of a GenAI call', () => {
    const body = requestOf([
      [
        ...delimited(1, utf8('gen_ai.usage.input_tokens')),
        ...delimited(2, [...tag(3, 0), ...varint(1200n)]),
      ],
      [
        ...delimited(1, utf8('gen_ai.response.finish_reasons')),
        ...delimited(
          2,
          delimited(5, [
            ...delimited(1, delimited(1, utf8('stop'))),
            ...delimited(1, delimited(6, [])),
          ]),
        ),
      ],
      [
        ...delimited(1, utf8('gen_ai.request.temperature')),
        ...delimited(2, [...tag(4, 1), ...double(0.5)]),
      ],
      [...delimited(1, utf8('gen_ai.request.model'))],
    ]);
    expect(firstSpan(body, 'if-marked').attributes).toEqual({
      'gen_ai.usage.input_tokens': 1200,
      'gen_ai.response.finish_reasons': ['stop', null],
      'gen_ai.request.temperature': 0.5,
      'gen_ai.request.model': '',
      'gen_ai.operation.name': 'chat',
    });
  });
});

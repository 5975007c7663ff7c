/**
 * The scan path notes each span's key-values as it walks the span
 * (`noteKeyValue`: key string and slot in the key cache, value range) and
 * builds the record of a marked span from those notes
 * (`readNotedAttributes`), noting its shape so V8 keeps records of a
 * repeating shape in fast mode (`RecordShapes`). None of this may change a
 * record: same keys, same order, same values, same prototype as the
 * reference path (every span decoded as `OtlpKeyValue`s, then
 * `readOtlpAttributes`), whether the shape is seen once or again and
 * again, with keys that are special to JavaScript objects (`__proto__`,
 * integer keys), keys too long for the key cache, repeated keys, more keys
 * than an object keeps in fast mode by itself, and keys that take the
 * same slot of the key cache within one span.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DECODE_LIMITS } from '../../../src/gateway/otlp/decode-limits.js';
import { RecordShapes } from '../../../src/gateway/otlp/record-shapes.js';
import { scanExportTraceRequest } from '../../../src/gateway/otlp/scan-export-trace-request.js';
import type { ScannedSpan } from '../../../src/gateway/otlp/scanned-request.js';
import { readOtlpAttributes } from '../../../src/gateway/span/otlp-attribute-values.js';
import { isPipelineAttributeKey } from '../../../src/gateway/span/pipeline-attribute-key.js';

const varint = (value: number): number[] => {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
};
const delimited = (field: number, body: readonly number[]): number[] => [
  ...varint((field << 3) | 2),
  ...varint(body.length),
  ...body,
];
const utf8 = (text: string): number[] => [...Buffer.from(text, 'utf8')];

type Value =
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'list'; readonly texts: readonly string[] }
  | { readonly kind: 'none' };

function valueBytes(value: Value): number[] | undefined {
  switch (value.kind) {
    case 'string':
      return delimited(1, utf8(value.text));
    case 'int':
      return [...varint((3 << 3) | 0), ...varint(value.value)];
    case 'list':
      return delimited(
        5,
        value.texts.flatMap(text => delimited(1, delimited(1, utf8(text)))),
      );
    case 'none':
      return undefined;
  }
}

function keyValueBytes(key: string, value: Value): number[] {
  const bytes = valueBytes(value);
  return [
    ...delimited(1, utf8(key)),
    ...(bytes === undefined ? [] : delimited(2, bytes)),
  ];
}

/** A request of one scope whose spans each carry these key-values. */
function requestOf(spans: readonly (readonly [string, Value][])[]): Buffer {
  const spanBytes = spans.map((attributes, index) =>
    delimited(2, [
      ...delimited(1, new Array<number>(16).fill(index + 1)),
      ...delimited(2, new Array<number>(8).fill(index + 1)),
      ...delimited(5, utf8('chat')),
      ...attributes.flatMap(([key, value]) =>
        delimited(9, keyValueBytes(key, value)),
      ),
    ]),
  );
  return Buffer.from(delimited(1, delimited(2, spanBytes.flat())));
}

function spansOf(body: Buffer, read: 'all' | 'if-marked'): ScannedSpan[] {
  return scanExportTraceRequest(body, DEFAULT_DECODE_LIMITS, read)
    .resources.flatMap(resource => resource.scopes)
    .flatMap(scope => scope.spans);
}

/** Own properties in order, values and prototype chain as plain data. */
function plain(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) {
    return Object.is(value, -0) ? '-0' : value;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  return {
    array: Array.isArray(value),
    own: Object.getOwnPropertyNames(value).map(key => [
      key,
      plain((value as Record<string, unknown>)[key]),
    ]),
    prototype:
      prototype === Object.prototype
        ? 'Object.prototype'
        : prototype === Array.prototype
          ? 'Array.prototype'
          : plain(prototype),
  };
}

/** Scan path and reference give the same records, key order and prototype. */
function expectSameRecords(body: Buffer): void {
  const scanned = spansOf(body, 'if-marked');
  const reference = spansOf(body, 'all');
  expect(scanned.length).toBe(reference.length);
  scanned.forEach((span, index) => {
    const expected = readOtlpAttributes(reference[index]?.span.attributes);
    const marked = (reference[index]?.span.attributes ?? []).some(keyValue =>
      isPipelineAttributeKey(keyValue.key),
    );
    if (!marked) {
      expect(span.attributes).toBeUndefined();
      return;
    }
    // Own properties in order and the prototype, as plain data: a record
    // with an own `constructor` or an array prototype (`__proto__` key)
    // would confuse a structural equality.
    expect(plain(span.attributes)).toEqual(plain(expected));
  });
}

const LONG_KEY = `gen_ai.${'x'.repeat(70)}`;
const KEY_POOL = [
  'gen_ai.request.model',
  'gen_ai.usage.input_tokens',
  'gen_ai.operation.name',
  'user.id',
  'http.route',
  '__proto__',
  'constructor',
  'toString',
  '0',
  '17',
  '',
  'é',
  LONG_KEY,
  `other.${'y'.repeat(90)}`,
  ...Array.from({ length: 30 }, (_, i) => `ai.usage.k${i}`),
];
const value: fc.Arbitrary<Value> = fc.oneof(
  fc.string({ maxLength: 8 }).map(text => ({ kind: 'string', text }) as const),
  fc
    .constantFrom('gpt-4o', 'openai')
    .map(text => ({ kind: 'string', text }) as const),
  fc.nat(5000).map(v => ({ kind: 'int', value: v }) as const),
  fc
    .array(fc.string({ maxLength: 3 }), { maxLength: 3 })
    .map(texts => ({ kind: 'list', texts }) as const),
  fc.constant({ kind: 'none' } as const),
);
const shape = fc.array(fc.constantFrom(...KEY_POOL), {
  minLength: 1,
  maxLength: 45,
});

describe('records of marked spans built from the noted key-values', () => {
  it('equal the reference records, key order and prototype included, for shapes seen once or repeated', () => {
    fc.assert(
      fc.property(
        fc.array(shape, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(value, { minLength: 45 * 3 * 4, maxLength: 45 * 3 * 4 }),
        (shapes, repeats, values) => {
          let next = 0;
          const spans: [string, Value][][] = [];
          for (let r = 0; r < repeats; r++) {
            for (const keys of shapes) {
              spans.push(
                keys.map(
                  key => [key, values[next++] as Value] as [string, Value],
                ),
              );
            }
          }
          // Twice: the second request meets shapes already noted.
          expectSameRecords(requestOf(spans));
          expectSameRecords(requestOf(spans));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keep each key when two keys of one span take the same slot of the key cache', () => {
    // The key cache is direct-mapped (1,024 slots, FNV-style hash of the
    // bytes): find two keys of one length in one slot, so the second
    // evicts the first while the span is walked.
    const slotOf = (key: string): number => {
      const bytes = Buffer.from(key, 'utf8');
      let hash = bytes.length | 0;
      for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193);
      hash ^= hash >>> 15;
      return hash & 1023;
    };
    const first = 'gen_ai.request.model';
    let second: string | undefined;
    for (let i = 0; i < 1_000_000 && second === undefined; i++) {
      const candidate = `gen_ai.k${String(i).padStart(12, '0')}`;
      if (candidate.length === first.length) {
        if (slotOf(candidate) === slotOf(first)) second = candidate;
      }
    }
    expect(second).toBeDefined();
    const attributes: [string, Value][] = [
      [first, { kind: 'string', text: 'gpt-4o' }],
      [second as string, { kind: 'string', text: 'other' }],
      ['gen_ai.usage.input_tokens', { kind: 'int', value: 12 }],
    ];
    const body = requestOf([attributes, attributes, attributes]);
    for (const span of spansOf(body, 'if-marked')) {
      expect(span.attributes).toEqual({
        [first]: 'gpt-4o',
        [second as string]: 'other',
        'gen_ai.usage.input_tokens': 12,
      });
    }
    expectSameRecords(body);
  });
});

describe('RecordShapes', () => {
  const keysOf = (count: number): object =>
    Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, i]));

  it('makes a template the second time a shape comes in a row at its place, once', () => {
    const shapes = new RecordShapes();
    const record = keysOf(20);
    shapes.note(7, 20, record);
    expect(shapes.templates).toBe(0);
    shapes.note(7, 20, record);
    expect(shapes.templates).toBe(1);
    shapes.note(7, 20, record);
    expect(shapes.templates).toBe(1);
  });

  it('makes none for another shape in between, few keys or too many', () => {
    const shapes = new RecordShapes();
    shapes.note(7, 20, keysOf(20));
    shapes.note(7 + 64 * 65536 * 2, 20, keysOf(20)); // same place, other hash
    shapes.note(7, 20, keysOf(20));
    expect(shapes.templates).toBe(0);
    shapes.note(9, 12, keysOf(12));
    shapes.note(9, 12, keysOf(12));
    shapes.note(11, 129, keysOf(129));
    shapes.note(11, 129, keysOf(129));
    expect(shapes.templates).toBe(0);
    shapes.note(13, 13, keysOf(13));
    shapes.note(13, 13, keysOf(13));
    expect(shapes.templates).toBe(1);
  });
});

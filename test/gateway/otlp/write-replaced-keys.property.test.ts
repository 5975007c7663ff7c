/**
 * The writer cuts a span's replaced attributes from the bytes, looking only
 * for the update's keys the scan's record holds (and `__proto__`, which a
 * record cannot hold), and skipping keys whose bytes are fewer than the
 * shortest such key's code units. Spans here carry attributes named like
 * the update's keys, spelled in every way the bytes allow (twice in one
 * `KeyValue`, with no key, not UTF-8, shorter or longer by one, non-ASCII,
 * an ASCII key with a byte's high bit set or spelled overlong, `__proto__`),
 * read into a record ('all', or 'if-marked' with a marker
 * key) or not; the output must be byte for byte the reference writer's
 * (test/gateway/otlp/reference/, which matched every key of every update).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanExportTraceRequest } from '../../../src/gateway/otlp/scan-export-trace-request.js';
import type {
  AttributeUpdateValue,
  ScannedSpan,
} from '../../../src/gateway/otlp/scanned-request.js';
import { writeExportTraceRequest } from '../../../src/gateway/otlp/write-export-trace-request.js';
import { ld, requestOf, tinySpan } from '../helpers/hostile-bodies.js';
import { referenceWriteExportTraceRequest } from './reference/write-export-trace-request.js';

const UPDATE_KEYS = [
  'user.id',
  'ai.telemetry.metadata.userId',
  'gen_ai.usage.cost',
  'é.key',
  '\ufffd',
  'a\ufffdb',
  '__proto__',
  'k'.repeat(17),
  'x',
  '',
];

/** A key as bytes: one of the update's keys spelled some way, or another. */
const keyBytes: fc.Arbitrary<Buffer> = fc.oneof(
  fc.constantFrom(...UPDATE_KEYS).map(key => Buffer.from(key)),
  fc.constantFrom(...UPDATE_KEYS).map(key => Buffer.from(key.slice(0, -1))),
  fc.constantFrom(...UPDATE_KEYS).map(key => Buffer.from(`${key}z`)),
  // An ASCII key with one byte's high bit set, or '.' spelled overlong
  // (C0 AE): never the ASCII key.
  fc
    .tuple(fc.constantFrom(...UPDATE_KEYS), fc.nat())
    .filter(([key]) => key.length > 0)
    .map(([key, at]) => {
      const bytes = Buffer.from(key);
      bytes[at % bytes.length] =
        ((bytes[at % bytes.length] as number) | 0x80) & 0xff;
      return bytes;
    }),
  fc.constant(Buffer.from([0x75, 0x73, 0x65, 0x72, 0xc0, 0xae, 0x69, 0x64])),
  // Not UTF-8: reads as U+FFFD ('\ufffd', 'a\ufffdb').
  fc.constantFrom(
    Buffer.from([0xff]),
    Buffer.from([0x61, 0xc3, 0x62]),
    Buffer.from([0xe2, 0x82]),
    Buffer.from([0x61, 0xf0, 0x9f, 0x62]),
  ),
  fc.constantFrom(
    Buffer.from('gen_ai.system'),
    Buffer.from('ai.model.id'),
    Buffer.from('http.route'),
  ),
  fc.uint8Array({ maxLength: 6 }).map(bytes => Buffer.from(bytes)),
);

const stringValue = ld(0x12, ld(0x0a, Buffer.from('v')));

/** One `Span.attributes` entry: key(s) and value in some order. */
const keyValue: fc.Arbitrary<Buffer> = fc.oneof(
  {
    weight: 6,
    arbitrary: keyBytes.map(key => ld(0x4a, ld(0x0a, key), stringValue)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(keyBytes, keyBytes)
      .map(([first, last]) =>
        ld(0x4a, ld(0x0a, first), stringValue, ld(0x0a, last)),
      ),
  },
  { weight: 1, arbitrary: fc.constant(ld(0x4a, stringValue)) },
);

/** A marker key so 'if-marked' reads the span's attributes. */
const MARKER = ld(
  0x4a,
  ld(0x0a, Buffer.from('gen_ai.system')),
  ld(0x12, ld(0x0a, Buffer.from('openai'))),
);

const span: fc.Arbitrary<Buffer> = fc
  .tuple(fc.array(keyValue, { maxLength: 8 }), fc.boolean())
  .map(([attributes, marked]) =>
    tinySpan(...(marked ? [MARKER, ...attributes] : attributes)),
  );

const update: fc.Arbitrary<Record<string, AttributeUpdateValue>> = fc
  .uniqueArray(fc.constantFrom(...UPDATE_KEYS), { maxLength: 5 })
  .map(keys => {
    const out: Record<string, AttributeUpdateValue> = {};
    for (const key of keys) {
      Object.defineProperty(out, key, {
        value: 'new',
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  });

describe('writing the attributes an update replaces', () => {
  it('matches the reference writer, whichever keys the record holds', () => {
    fc.assert(
      fc.property(
        fc.array(span, { minLength: 1, maxLength: 5 }),
        fc.array(fc.option(update, { nil: undefined }), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.constantFrom('all' as const, 'if-marked' as const),
        (spans, updates, read) => {
          const scanned = scanExportTraceRequest(
            requestOf(...spans),
            undefined,
            read,
          );
          scanned.resources
            .flatMap(resource => resource.scopes.flatMap(s => [...s.spans]))
            .forEach((one, i) => {
              one.update = updates[i % updates.length];
            });
          expect(Buffer.from(writeExportTraceRequest(scanned))).toEqual(
            Buffer.from(referenceWriteExportTraceRequest(scanned)),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('cuts a scrubbed key the record holds, and only it', () => {
    const email = 'alice@example.com';
    const kv = (key: string, value: string): Buffer =>
      ld(
        0x4a,
        ld(0x0a, Buffer.from(key)),
        ld(0x12, ld(0x0a, Buffer.from(value))),
      );
    const body = requestOf(
      tinySpan(
        MARKER,
        kv('ai.telemetry.metadata.userId', email),
        kv('ai.telemetry.metadata.userI', 'kept-1'),
        kv('user.id', 'kept-2'),
      ),
    );
    const scanned = scanExportTraceRequest(body);
    const [one] = scanned.resources[0]?.scopes[0]?.spans ?? [];
    expect(one?.attributes).toBeDefined();
    (one as ScannedSpan).update = {
      'gen_ai.usage.cost': 0.5,
      'ai.telemetry.metadata.userId': 'scrubbed',
    };
    const out = Buffer.from(writeExportTraceRequest(scanned));
    expect(out.includes(Buffer.from(email))).toBe(false);
    expect(out.includes(Buffer.from('kept-1'))).toBe(true);
    expect(out.includes(Buffer.from('kept-2'))).toBe(true);
    expect(out).toEqual(Buffer.from(referenceWriteExportTraceRequest(scanned)));
  });
});

/**
 * The scan path's writer against protobufjs with the vendored protos (the
 * reference decoder): on random requests (unknown fields, empty scopes,
 * field 1000, repeated keys) with random updates (existing keys of the
 * span, ASCII or not, and new ones; values of every kind) and random
 * rejected spans, whether the scan read every span's attributes or only
 * those of marked spans, what protobufjs decodes from the written request is,
 * span by span, the span received minus its rejected spans, with every
 * attribute whose key the update names replaced by the update's entries.
 * Spans left alone are written byte for byte as received.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { otlpMessageTypes } from '../../../src/gateway/otlp/otlp-message-types.js';
import type { OtlpKeyValue } from '../../../src/gateway/otlp/otlp-types.js';
import { scanExportTraceRequest } from '../../../src/gateway/otlp/scan-export-trace-request.js';
import type {
  AttributeUpdateValue,
  ScannedRequest,
  ScannedSpan,
} from '../../../src/gateway/otlp/scanned-request.js';
import { writeExportTraceRequest } from '../../../src/gateway/otlp/write-export-trace-request.js';
import { toOtlpAnyValue } from '../../../src/gateway/span/otlp-attribute-values.js';
import { ld } from '../helpers/hostile-bodies.js';
import { requestBytes } from '../pipeline/scan-path-arbitrary.js';

const value: fc.Arbitrary<AttributeUpdateValue> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ maxLength: 70 }),
  fc.boolean(),
  fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
  fc.double(),
  fc.array(fc.oneof(fc.string(), fc.double(), fc.boolean()), {
    maxLength: 3,
  }),
);
const spanPlan = fc.record({
  reject: fc.boolean(),
  update: fc.option(
    fc.record({
      /** Existing keys of the span to replace (indexes, modulo its keys). */
      replace: fc.array(fc.tuple(fc.nat(), value), { maxLength: 4 }),
      added: fc.dictionary(
        fc.oneof(
          fc.constantFrom('gen_ai.usage.cost', 'user.id', 'user.ie', 'é.key'),
          fc.string({ unit: 'grapheme', maxLength: 12 }),
        ),
        value,
        { maxKeys: 3 },
      ),
      /** Past 16 keys the writer matches keys through a set. */
      many: fc.boolean(),
    }),
    { nil: undefined },
  ),
});

function spansOf(request: ScannedRequest): ScannedSpan[] {
  return request.resources.flatMap(resource =>
    resource.scopes.flatMap(scope => [...scope.spans]),
  );
}

type DecodedSpan = Record<string, unknown> & { attributes?: OtlpKeyValue[] };

function decodeSpan(bytes: Uint8Array): DecodedSpan {
  const span = otlpMessageTypes().span;
  return span.toObject(span.decode(bytes), {
    longs: String,
    bytes: String,
  }) as DecodedSpan;
}

/** Each span of a request as protobufjs decodes it, in order. */
function referenceSpans(body: Uint8Array): DecodedSpan[] {
  const request = otlpMessageTypes().request.decode(body) as unknown as {
    resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[];
  };
  const span = otlpMessageTypes().span;
  return (request.resourceSpans ?? []).flatMap(resource =>
    (resource.scopeSpans ?? []).flatMap(scope =>
      (scope.spans ?? []).map(
        s =>
          span.toObject(s as never, {
            longs: String,
            bytes: String,
          }) as DecodedSpan,
      ),
    ),
  );
}

/** The span received, with the update applied as the writer must. */
function expectedSpan(
  bytes: Uint8Array,
  update: Record<string, AttributeUpdateValue> | undefined,
): DecodedSpan {
  const decoded = decodeSpan(bytes);
  if (update === undefined) return decoded;
  const span = otlpMessageTypes().span;
  const kept = (
    (span.decode(bytes) as unknown as { attributes?: OtlpKeyValue[] })
      .attributes ?? []
  ).filter(kv => !Object.keys(update).includes(kv.key));
  const patched = span.decode(bytes) as unknown as Record<string, unknown>;
  patched['attributes'] = [
    ...kept,
    ...Object.entries(update).map(([key, v]) => ({
      key,
      value: toOtlpAnyValue(v as never),
    })),
  ];
  return decodeSpan(span.encode(patched as never).finish());
}

describe('writeExportTraceRequest', () => {
  it('writes what protobufjs reads as the received spans, updated and without the rejected ones', () => {
    fc.assert(
      fc.property(
        requestBytes,
        fc.array(spanPlan, { minLength: 1, maxLength: 12 }),
        fc.constantFrom('all', 'if-marked' as const),
        (body, plans, read) => {
          const scanned = scanExportTraceRequest(body, undefined, read);
          const spans = spansOf(scanned);
          const expected: DecodedSpan[] = [];
          spans.forEach((scannedSpan, i) => {
            const plan = plans[i % plans.length];
            if (plan === undefined) throw new Error('no plan');
            let update: Record<string, AttributeUpdateValue> | undefined;
            if (plan.update !== undefined) {
              update = {};
              // The keys the scan read (a record when the span is marked).
              const keys =
                scannedSpan.attributes === undefined
                  ? scannedSpan.span.attributes.map(kv => kv.key)
                  : Object.keys(scannedSpan.attributes);
              for (const [index, v] of plan.update.replace) {
                const key = keys[index % Math.max(1, keys.length)];
                if (key !== undefined) update[key] = v;
              }
              Object.assign(update, plan.update.added);
              if (plan.update.many) {
                for (let k = 0; k < 20; k++) update[`gen_ai.extra.${k}`] = k;
              }
            }
            scannedSpan.update = update;
            scannedSpan.rejected = plan.reject;
            if (!plan.reject)
              expected.push(expectedSpan(scannedSpan.bytes, update));
          });
          const written = writeExportTraceRequest(scanned);
          expect(referenceSpans(written)).toEqual(expected);
          // The spans left alone are copied byte for byte.
          const rescanned = spansOf(scanExportTraceRequest(written));
          const kept = spans.filter(s => !s.rejected);
          expect(rescanned.length).toBe(kept.length);
          kept.forEach((s, i) => {
            if (s.update === undefined) {
              expect(Buffer.from(rescanned[i]?.bytes ?? [])).toEqual(
                Buffer.from(s.bytes),
              );
            }
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('writes the request unchanged when nothing is updated or rejected', () => {
    fc.assert(
      fc.property(requestBytes, body => {
        const once = Buffer.from(
          writeExportTraceRequest(scanExportTraceRequest(body)),
        );
        // Field 1000 is rewritten as field 2 (or dropped) once; then stable.
        expect(
          Buffer.from(writeExportTraceRequest(scanExportTraceRequest(once))),
        ).toEqual(once);
      }),
      { numRuns: 200 },
    );
  });

  it('replaces an ASCII key only when all its bytes match, of a key of the same length', () => {
    const kv = (key: string, v: string): Buffer =>
      ld(0x4a, ld(0x0a, Buffer.from(key)), ld(0x12, ld(0x0a, Buffer.from(v))));
    const spanBytes = Buffer.concat([
      ld(0x0a, Buffer.alloc(16, 1)),
      ld(0x12, Buffer.alloc(8, 2)),
      kv('user.id', 'a'),
      kv('user.ie', 'b'),
      kv('user.i', 'c'),
      kv('user.idd', 'd'),
    ]);
    const body = ld(0x0a, ld(0x12, ld(0x12, spanBytes)));
    const scanned = scanExportTraceRequest(body);
    const [span] = spansOf(scanned);
    if (span === undefined) throw new Error('one span expected');
    span.update = { 'user.id': 'z' };
    const [out] = referenceSpans(writeExportTraceRequest(scanned));
    expect(
      out?.attributes?.map(a => [
        a.key,
        (a.value as { stringValue: string }).stringValue,
      ]),
    ).toEqual([
      ['user.ie', 'b'],
      ['user.i', 'c'],
      ['user.idd', 'd'],
      ['user.id', 'z'],
    ]);
  });
});

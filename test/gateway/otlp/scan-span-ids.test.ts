/**
 * The scan reads a span's trace, span and parent ids as views of the body
 * (plain `Uint8Array`s, not `Buffer`s): for ids of any length (empty,
 * short, long, the valid 16 and 8), sent once, twice (the last counts) or
 * not at all, next to other fields, they hold the bytes protobufjs decodes
 * (a missing parent id: none, where protobufjs gives an empty one), and
 * stay views of the body (not copies).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { otlpMessageTypes } from '../../../src/gateway/otlp/otlp-message-types.js';
import { scanExportTraceRequest } from '../../../src/gateway/otlp/scan-export-trace-request.js';

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

const id = fc.oneof(
  fc.uint8Array({ minLength: 16, maxLength: 16 }),
  fc.uint8Array({ minLength: 8, maxLength: 8 }),
  fc.uint8Array({ maxLength: 20 }),
);
/** Span fields 1 (trace id), 2 (span id), 4 (parent id), 5 (name). */
const field = fc.oneof(
  fc.tuple(fc.constantFrom(1, 2, 4), id).map(([n, bytes]) => ({
    n,
    bytes: delimited(n, [...bytes]),
  })),
  fc.constant({ n: 5, bytes: delimited(5, [...Buffer.from('chat')]) }),
);

const hex = (bytes: Uint8Array | undefined | null): string =>
  Buffer.from(bytes ?? new Uint8Array(0)).toString('hex');

describe('scanned span ids', () => {
  it('hold the bytes protobufjs decodes, as views of the body', () => {
    fc.assert(
      fc.property(fc.array(field, { maxLength: 8 }), fields => {
        const span = fields.flatMap(f => f.bytes);
        const body = Buffer.from(
          delimited(1, delimited(2, delimited(2, span))),
        );
        const scanned =
          scanExportTraceRequest(body).resources[0]?.scopes[0]?.spans[0];
        const decoded = otlpMessageTypes().request.decode(body) as unknown as {
          resourceSpans: {
            scopeSpans: {
              spans: {
                traceId: Uint8Array;
                spanId: Uint8Array;
                parentSpanId: Uint8Array;
              }[];
            }[];
          }[];
        };
        const reference = decoded.resourceSpans[0]?.scopeSpans[0]?.spans[0];
        if (scanned === undefined || reference === undefined) {
          throw new Error('no span');
        }
        const { traceId, spanId, parentSpanId } = scanned.span;
        expect(hex(traceId)).toBe(hex(reference.traceId));
        expect(hex(spanId)).toBe(hex(reference.spanId));
        expect(hex(parentSpanId)).toBe(hex(reference.parentSpanId));
        const hasParent = fields.some(f => f.n === 4);
        expect(parentSpanId === undefined).toBe(!hasParent);
        for (const ids of [traceId, spanId, parentSpanId]) {
          if (ids === undefined || ids.length === 0) continue;
          expect(ids.buffer).toBe(body.buffer);
          expect(
            Buffer.from(ids.buffer, ids.byteOffset, ids.length).equals(
              Buffer.from(ids),
            ),
          ).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

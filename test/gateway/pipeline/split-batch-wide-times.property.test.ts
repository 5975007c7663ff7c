/**
 * `splitBatch` packs each span's end time (relative to the request's
 * earliest), depth rank and index into one double below 2^53, sorts them,
 * and reads the index back: generated requests whose end times lie from
 * nanoseconds to hours apart (the packed keys reach past 2^32 and up to
 * the bound, where the comparator sort takes over), in scopes given out of
 * order, with parent chains that end before their children, must come out
 * in the order the enricher's reference copy (`./reference/`, a
 * comparator sort) gives. Fails if the index is read back inexactly (a
 * 32-bit mask, a floor of the wrong quotient) or the runs are merged
 * wrong.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Long } from '../../../src/gateway/otlp/otlp-message-types.js';
import type {
  ScannedRequest,
  ScannedSpan,
} from '../../../src/gateway/otlp/scanned-request.js';
import { splitBatch } from '../../../src/gateway/pipeline/batch-spans.js';
import { splitBatch as referenceSplitBatch } from './reference/batch-spans.js';

const BASE = 1_764_500_000_000_000_000n;

interface SpanSpec {
  readonly scope: number;
  /** Nanoseconds after BASE. */
  readonly end: bigint;
  /** A span earlier in the list (its parent), or none. */
  readonly parent: number | undefined;
}

const offset = fc.oneof(
  fc.bigInt({ min: 0n, max: 1_000n }),
  fc.bigInt({ min: 0n, max: 4_000_000_000n }),
  fc.bigInt({ min: 0n, max: 9_000_000_000_000n }), // ~2.5 hours
  fc.bigInt({ min: 0n, max: 10n ** 17n }),
);

const spans = fc
  .array(
    fc.record({
      scope: fc.nat(3),
      end: offset,
      parent: fc.option(fc.nat(), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 80 },
  )
  .map(list =>
    list.map((s, i): SpanSpec => ({
      ...s,
      parent: s.parent === undefined || i === 0 ? undefined : s.parent % i,
    })),
  );

function id(n: number, length: number): Buffer {
  const b = Buffer.alloc(length);
  b.writeUInt32BE(n + 1, length - 4);
  return b;
}

function request(specs: readonly SpanSpec[]): ScannedRequest {
  const traceId = id(7, 16);
  const scopes = [0, 1, 2, 3].map(scope => ({
    parts: [],
    scopeName: `scope-${scope}`,
    spans: specs.flatMap((s, i): ScannedSpan[] =>
      s.scope !== scope
        ? []
        : [
            {
              bytes: new Uint8Array(0),
              span: {
                traceId,
                spanId: id(i, 8),
                parentSpanId:
                  s.parent === undefined ? undefined : id(s.parent, 8),
                name: `s${i}`,
                startTimeUnixNano: Long.fromString(String(BASE), true),
                endTimeUnixNano: Long.fromString(String(BASE + s.end), true),
                attributes: [],
              },
              attributes: undefined,
              update: undefined,
              rejected: false,
            },
          ],
    ),
  }));
  // Scopes out of order: the request holds several ascending runs.
  return {
    parts: [],
    resources: [
      {
        parts: [],
        scopes: [scopes[2], scopes[0], scopes[3], scopes[1]].map(s => s!),
        droppedSpans: 0,
      },
    ],
    droppedSpans: 0,
  };
}

describe('splitBatch, end times far apart', () => {
  it('orders spans as the reference copy does', () => {
    fc.assert(
      fc.property(spans, specs => {
        const actual = splitBatch(request(specs)).spans.map(s => s.spanId);
        const expected = referenceSplitBatch(request(specs)).spans.map(
          s => s.spanId,
        );
        expect(actual).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });
});

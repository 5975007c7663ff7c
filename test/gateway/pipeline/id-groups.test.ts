/**
 * `groupIds` (ids grouped from their bytes in seeded open-addressing
 * tables, reused from request to request) against a model over hex
 * strings, and against its own fallback for colliding ids
 * (`groupByStrings`): the same strings and groups, on requests of any size
 * one after another (the tables grow, shrink and are reused), with ids
 * repeated within and across traces and parent ids of any length.
 */
import fc from 'fast-check';
import { Long } from '../../../src/gateway/otlp/otlp-message-types.js';
import { describe, expect, it } from 'vitest';
import type { ScannedSpan } from '../../../src/gateway/otlp/scanned-request.js';
import {
  groupByStrings,
  groupIds,
  type IdGroups,
} from '../../../src/gateway/pipeline/id-groups.js';

const bytes = (length: number, pool: number) =>
  fc.nat(pool).map(n => {
    const id = Buffer.alloc(length);
    const mixed = Math.imul(n, 0x9e3779b1) >>> 0;
    for (let i = 0; i < length; i++) id[i] = (mixed >>> ((i % 4) * 8)) & 0xff;
    id[length - 1] = n & 0xff;
    return id;
  });

const spanArb = fc.record({
  traceId: bytes(16, 6),
  spanId: fc.oneof(bytes(8, 40), bytes(8, 2_000_000)),
  parentSpanId: fc.oneof(
    fc.constant(undefined),
    fc.constant(Buffer.alloc(0)),
    bytes(8, 40),
    bytes(3, 4),
    bytes(16, 4),
    fc.constant(Buffer.alloc(8)),
  ),
});

function scanned(spec: {
  traceId: Buffer;
  spanId: Buffer;
  parentSpanId: Buffer | undefined;
}): ScannedSpan {
  return {
    bytes: new Uint8Array(0),
    span: {
      ...spec,
      name: '',
      startTimeUnixNano: Long.UZERO,
      endTimeUnixNano: Long.UZERO,
      attributes: [],
    },
    attributes: undefined,
    update: undefined,
    rejected: false,
  };
}

/** The groups by hex strings, written plainly. */
function model(spans: readonly ScannedSpan[]) {
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  const traceIds = spans.map(s => hex(s.span.traceId));
  const spanIds = spans.map(s => hex(s.span.spanId));
  const parents = spans.map(s =>
    s.span.parentSpanId === undefined || s.span.parentSpanId.length === 0
      ? undefined
      : hex(s.span.parentSpanId),
  );
  const parentGroup = parents.map(p =>
    p === undefined ? -1 : spanIds.indexOf(p),
  );
  return {
    traceIds,
    spanIds,
    traceGroup: traceIds.map(t => traceIds.indexOf(t)),
    spanGroup: spanIds.map(s => spanIds.indexOf(s)),
    parentGroup,
    parentIds: parents.map((p, i) =>
      (parentGroup[i] as number) >= 0 ? undefined : p,
    ),
  };
}

function plain(groups: IdGroups) {
  return {
    traceIds: [...groups.traceIds],
    spanIds: [...groups.spanIds],
    traceGroup: [...groups.traceGroup],
    spanGroup: [...groups.spanGroup],
    parentGroup: [...groups.parentGroup],
    parentIds: [...groups.parentIds],
  };
}

describe('groupIds', () => {
  it('gives the groups of the hex strings, through the tables and through the fallback', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            { weight: 4, arbitrary: fc.array(spanArb, { maxLength: 30 }) },
            {
              weight: 1,
              arbitrary: fc.array(spanArb, { minLength: 200, maxLength: 1500 }),
            },
          ),
          { minLength: 1, maxLength: 4 },
        ),
        requests => {
          for (const specs of requests) {
            const spans = specs.map(scanned);
            const expected = model(spans);
            expect(plain(groupIds(spans))).toEqual(expected);
            expect(plain(groupByStrings(spans))).toEqual(expected);
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  it('shares one string per trace and per span id', () => {
    const spans = [
      {
        traceId: Buffer.alloc(16, 1),
        spanId: Buffer.alloc(8, 2),
        parentSpanId: undefined,
      },
      {
        traceId: Buffer.alloc(16, 1),
        spanId: Buffer.alloc(8, 3),
        parentSpanId: Buffer.alloc(8, 2),
      },
    ].map(scanned);
    const groups = groupIds(spans);
    expect(groups.traceIds[1]).toBe('01'.repeat(16));
    expect(groups.parentGroup[1]).toBe(0);
    expect(groups.spanIds[0]).toBe('02'.repeat(8));
  });
});

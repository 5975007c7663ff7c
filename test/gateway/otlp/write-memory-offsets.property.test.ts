/**
 * The writer against its 19154aa copy (test/gateway/otlp/reference/), byte
 * for byte: the current one reads each span view's `buffer` and
 * `byteOffset` once and keeps the memory of the last range copied, the
 * copy read them at each use. Requests as scanned, and the same with some
 * spans and raw parts moved to memory of their own (copies, or views at
 * an offset into a larger buffer, as a test or the JSON path makes them),
 * so ranges of different memory follow each other, with and without
 * updates on some spans and rejected spans.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanExportTraceRequest } from '../../../src/gateway/otlp/scan-export-trace-request.js';
import type {
  AttributeUpdateValue,
  ScannedRequest,
  ScannedSpan,
} from '../../../src/gateway/otlp/scanned-request.js';
import { writeExportTraceRequest } from '../../../src/gateway/otlp/write-export-trace-request.js';
import { requestBytes } from '../pipeline/scan-path-arbitrary.js';
import { writeExportTraceRequest19154aa } from './reference/write-export-trace-request-19154aa.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const update = fc.option(
  fc.dictionary(
    fc.constantFrom('gen_ai.usage.cost', 'user.id', 'k', 'gen_ai.system'),
    fc.oneof(
      fc.constantFrom<AttributeUpdateValue>('USD', 0.5, 1, true),
      fc.string({ maxLength: 4 }),
    ),
    { minKeys: 1, maxKeys: 3 },
  ),
  { nil: undefined },
);

/** How a part's bytes are moved: 0 kept, 1 copied, 2 a view at an offset of a larger buffer. */
const move = fc.constantFrom(0, 0, 1, 2);

function moved(bytes: Uint8Array, how: number): Uint8Array {
  if (how === 1) return Uint8Array.from(bytes);
  if (how === 2) {
    const larger = new Uint8Array(bytes.length + 7);
    larger.set(bytes, 3);
    return larger.subarray(3, 3 + bytes.length);
  }
  return bytes;
}

/** Moves parts and spans (`hows`, in turn), sets updates and rejections. */
function rearrange(
  request: ScannedRequest,
  hows: readonly number[],
  updates: readonly (Record<string, AttributeUpdateValue> | undefined)[],
  rejections: readonly boolean[],
): void {
  let n = 0;
  const next = (): number => n++;
  const parts = request.parts as (Uint8Array | unknown)[];
  parts.forEach((part, i) => {
    if (part instanceof Uint8Array)
      parts[i] = moved(part, hows[next() % hows.length] as number);
  });
  for (const resource of request.resources) {
    const resourceParts = resource.parts as unknown[];
    resourceParts.forEach((part, i) => {
      if (part instanceof Uint8Array)
        resourceParts[i] = moved(part, hows[next() % hows.length] as number);
    });
    for (const scope of resource.scopes) {
      const scopeParts = scope.parts as (Uint8Array | ScannedSpan)[];
      const spans = scope.spans as ScannedSpan[];
      scopeParts.forEach((part, i) => {
        const k = next();
        const how = hows[k % hows.length] as number;
        if (part instanceof Uint8Array) {
          scopeParts[i] = moved(part, how);
          return;
        }
        const span = part as Mutable<ScannedSpan>;
        span.bytes = moved(span.bytes, how);
        span.update = updates[k % updates.length];
        span.rejected = rejections[k % rejections.length] as boolean;
        const at = spans.indexOf(part);
        if (at >= 0) spans[at] = span;
      });
    }
  }
}

describe('the writer keeps memory and offsets read once', () => {
  it('writes what the 19154aa writer wrote, byte for byte', () => {
    fc.assert(
      fc.property(
        requestBytes,
        fc.array(move, { minLength: 1, maxLength: 9 }),
        fc.array(update, { minLength: 1, maxLength: 7 }),
        fc.array(fc.constantFrom(false, false, false, true), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.constantFrom('all', 'if-marked' as const),
        (body, hows, updates, rejections, read) => {
          const before = scanExportTraceRequest(body, undefined, read);
          const after = scanExportTraceRequest(body, undefined, read);
          rearrange(before, hows, updates, rejections);
          rearrange(after, hows, updates, rejections);
          expect(Buffer.from(writeExportTraceRequest(after))).toEqual(
            Buffer.from(writeExportTraceRequest19154aa(before)),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('as scanned (every part a view of the body), with updates', () => {
    fc.assert(
      fc.property(
        requestBytes,
        fc.array(update, { minLength: 1, maxLength: 7 }),
        (body, updates) => {
          const after = scanExportTraceRequest(body);
          const before = scanExportTraceRequest(body);
          rearrange(after, [0], updates, [false]);
          rearrange(before, [0], updates, [false]);
          expect(Buffer.from(writeExportTraceRequest(after))).toEqual(
            Buffer.from(writeExportTraceRequest19154aa(before)),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

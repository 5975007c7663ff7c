/**
 * Issue 15, fifth pass: a trace's remembered LLM spans are held in
 * `RememberedSpans` (two inline, more in a `Map`) instead of the
 * `Map<string, RememberedSpan>` each trace used to make. Random sequences
 * of `set` and `get` (ids from a small pool, so ids repeat; equal ids as
 * different string objects, as span ids decoded from two requests are)
 * give the answers the `Map` gives, and the same `size`, after every step.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RememberedSpans,
  type RememberedSpan,
} from '../../../src/gateway/pipeline/trace-window.js';

type Op =
  | { readonly op: 'set'; readonly id: number; readonly counted: boolean }
  | { readonly op: 'get'; readonly id: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant('set' as const),
    id: fc.nat({ max: 6 }),
    counted: fc.boolean(),
  }),
  fc.record({ op: fc.constant('get' as const), id: fc.nat({ max: 7 }) }),
);

/** The id as a string of its own (not the literal's interned copy). */
function idOf(n: number): string {
  return ['00000000000000', String(n).padStart(2, '0')].join('');
}

describe('RememberedSpans', () => {
  it('answers get, set and size as the Map it replaced', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), ops => {
        const spans = new RememberedSpans();
        const map = new Map<string, RememberedSpan>();
        for (const o of ops) {
          const id = idOf(o.id);
          if (o.op === 'set') {
            const entry: RememberedSpan = {
              fingerprint: o.id,
              decision: 'call',
              counted: o.counted,
            };
            spans.set(id, entry);
            map.set(idOf(o.id), entry);
          } else {
            expect(spans.get(id)).toBe(map.get(idOf(o.id)));
          }
          expect(spans.size).toBe(map.size);
        }
        for (let n = 0; n <= 7; n += 1) {
          expect(spans.get(idOf(n))).toBe(map.get(idOf(n)));
        }
      }),
      { numRuns: 2000 },
    );
  });
});

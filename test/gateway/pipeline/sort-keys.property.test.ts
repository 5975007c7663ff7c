/**
 * `sortKeys` (the enricher's sort of packed span keys: runs found and
 * merged) must leave what `Float64Array#sort` leaves: keys made of 1 to 40
 * ascending runs (past 32 runs the native sort does it), equal keys across
 * runs, lengths past the merge buffer's first size (1,024), several sorts
 * one after another (the buffer is reused), and already sorted keys.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortKeys } from '../../../src/gateway/pipeline/sort-keys.js';

/** Keys as the enricher makes them: integers below 2^53, some repeated. */
const key = fc.oneof(
  fc.integer({ min: 0, max: 40 }),
  fc.maxSafeNat(),
  fc.double({ min: 0, max: 1e6, noNaN: true }).map(x => Math.abs(x)),
);

const runs = fc
  .array(fc.array(key, { maxLength: 60 }), { minLength: 1, maxLength: 40 })
  .map(parts => parts.flatMap(part => [...part].sort((a, b) => a - b)));

function check(values: readonly number[]): void {
  const keys = Float64Array.from(values);
  const expected = Float64Array.from(values).sort();
  sortKeys(keys);
  expect(Array.from(keys)).toEqual(Array.from(expected));
}

describe('sortKeys', () => {
  it('sorts keys of ascending runs as Float64Array#sort does', () => {
    fc.assert(
      fc.property(fc.array(runs, { minLength: 1, maxLength: 3 }), sorts => {
        for (const values of sorts) check(values);
      }),
      { numRuns: 2000 },
    );
  });

  it('sorts any keys, long ones included', () => {
    fc.assert(fc.property(fc.array(key, { maxLength: 3000 }), check), {
      numRuns: 200,
    });
    // Two long runs (merged, past the first buffer), then a short one.
    check(
      Array.from({ length: 5000 }, (_, i) => (i < 2500 ? 2 * i : 2 * i - 4999)),
    );
    check([3, 1, 2]);
  });
});

/**
 * `StringGenerations` keeps `GenerationalMap`'s contract in hash tables of
 * its own (issue 15: the duplicate detector's look-up without a `Map`). On
 * generated sequences of sets, gets and clears, with few distinct keys
 * (repeats, overwrites) or many (tables growing past their first size),
 * colliding-looking keys, empty and non-ASCII keys, and small and larger
 * bounds, every answer and the size must be the `Map` implementation's.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GenerationalMap } from '../../../src/core/select/generational-map.js';
import { StringGenerations } from '../../../src/core/select/string-generations.js';

type Step =
  | { readonly op: 'set'; readonly key: string; readonly value: number }
  | { readonly op: 'get'; readonly key: string }
  | { readonly op: 'clear' };

function steps(key: fc.Arbitrary<string>): fc.Arbitrary<Step[]> {
  return fc.array(
    fc.oneof(
      {
        weight: 10,
        arbitrary: fc.record({
          op: fc.constant('set' as const),
          key,
          value: fc.integer(),
        }),
      },
      {
        weight: 6,
        arbitrary: fc.record({ op: fc.constant('get' as const), key }),
      },
      { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
    ),
    { maxLength: 400 },
  );
}

/** Every key in one of three hashes: long probe chains, keys compared. */
const colliding = (key: string): number => (key.length % 3) + 1;

function agree(
  maxEntries: number,
  sequence: readonly Step[],
  hash?: (key: string) => number,
): void {
  const model = new GenerationalMap<number>(maxEntries);
  const tables = new StringGenerations<number>(maxEntries, hash);
  for (const step of sequence) {
    if (step.op === 'set') {
      model.set(step.key, step.value);
      tables.set(step.key, step.value);
    } else if (step.op === 'get') {
      expect(tables.get(step.key)).toBe(model.get(step.key));
    } else {
      model.clear();
      tables.clear();
    }
    expect(tables.size).toBe(model.size);
  }
}

/** A few keys: repeats, overwrites and flips of a small bound. */
const FEW = fc.constantFrom('r1', 'r2', 'r3', 'r4', 'r5', '', 'é✓', 'r1 ');
/** Many keys: the tables grow (and are reused after a flip). */
const MANY = fc.oneof(
  fc.nat({ max: 300 }).map(n => `chatcmpl-${n}`),
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
);

describe('StringGenerations against GenerationalMap', () => {
  it('agrees on few keys and small bounds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), steps(FEW), (max, seq) =>
        agree(max, seq),
      ),
      {
        numRuns: 1000,
      },
    );
  });

  it('agrees on many keys and bounds past the first table size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), steps(MANY), (max, seq) =>
        agree(max, seq),
      ),
      { numRuns: 500 },
    );
  });

  it('agrees when keys collide (the keys themselves decide)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.oneof(steps(FEW), steps(MANY)),
        (maxEntries, sequence) => agree(maxEntries, sequence, colliding),
      ),
      { numRuns: 300 },
    );
  });

  it('keeps the last two generations of 10,000 distinct ids, as the map does', () => {
    const model = new GenerationalMap<number>(10_000);
    const tables = new StringGenerations<number>(10_000);
    for (let i = 0; i < 23_456; i++) {
      model.set(`chatcmpl-${i}`, i);
      tables.set(`chatcmpl-${i}`, i);
    }
    expect(tables.size).toBe(model.size);
    for (let i = 0; i < 23_456; i += 7) {
      expect(tables.get(`chatcmpl-${i}`)).toBe(model.get(`chatcmpl-${i}`));
    }
    // The oldest ids are gone, the newest kept (both generations).
    expect(tables.get('chatcmpl-0')).toBeUndefined();
    expect(tables.get('chatcmpl-23455')).toBe(23_455);
    expect(tables.get('chatcmpl-15000')).toBe(15_000);
  });
});

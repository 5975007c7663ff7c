/**
 * `GenerationalMap` keeps a private key in each generation (so V8 never
 * shrinks a small map when its last entry is deleted): attacked with
 * generated sequences of sets, gets, deletes and clears over a few keys
 * and small bounds, it must answer every call, and report every size, as
 * the plain two-`Map` implementation it replaced (kept below), including
 * when a generation turns old (off by one entry, the bound would differ).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GenerationalMap } from '../../../src/core/select/generational-map.js';

/** The implementation before the held key (a768871), test-only. */
class ReferenceGenerationalMap<V> {
  private _young = new Map<string, V>();
  private _old = new Map<string, V>();
  private readonly _generationSize: number;

  constructor(maxEntries: number) {
    this._generationSize = Math.max(1, Math.floor(maxEntries / 2));
  }

  get size(): number {
    return this._young.size + this._old.size;
  }

  get(key: string): V | undefined {
    const young = this._young.get(key);
    return young !== undefined || this._old.size === 0
      ? young
      : this._old.get(key);
  }

  set(key: string, value: V): void {
    if (this._young.size >= this._generationSize && !this._young.has(key)) {
      this._old = this._young;
      this._young = new Map();
    }
    this._young.set(key, value);
  }

  delete(key: string): boolean {
    return (
      this._young.delete(key) || (this._old.size !== 0 && this._old.delete(key))
    );
  }

  clear(): void {
    if (this._young.size !== 0) this._young.clear();
    if (this._old.size !== 0) this._old.clear();
  }
}

type Op =
  | { readonly kind: 'set'; readonly key: string; readonly value: number }
  | { readonly kind: 'get' | 'delete'; readonly key: string }
  | { readonly kind: 'clear' };

// A few keys, '' and names of Object.prototype included.
const key = fc.constantFrom('a', 'b', 'c', 'd', 'e', '', 'toString', '0');
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('set' as const),
      key,
      value: fc.integer(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constantFrom('get' as const, 'delete' as const),
      key,
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
);

describe('GenerationalMap against the plain two-Map implementation', () => {
  it('answers and sizes every step alike', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9 }),
        fc.array(op, { minLength: 1, maxLength: 120 }),
        (maxEntries, ops) => {
          const map = new GenerationalMap<number>(maxEntries);
          const reference = new ReferenceGenerationalMap<number>(maxEntries);
          for (const step of ops) {
            switch (step.kind) {
              case 'set':
                map.set(step.key, step.value);
                reference.set(step.key, step.value);
                break;
              case 'get':
                expect(map.get(step.key)).toBe(reference.get(step.key));
                break;
              case 'delete':
                expect(map.delete(step.key)).toBe(reference.delete(step.key));
                break;
              case 'clear':
                map.clear();
                reference.clear();
                break;
            }
            expect(map.size).toBe(reference.size);
          }
          for (const k of ['a', 'b', 'c', 'd', 'e', '', 'toString', '0']) {
            expect(map.get(k)).toBe(reference.get(k));
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('holds at most maxEntries entries, a generation turning old at half', () => {
    const map = new GenerationalMap<number>(4);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.size).toBe(2);
    map.set('c', 3); // the young generation (a, b) turns old
    map.set('d', 4);
    expect(map.size).toBe(4);
    map.set('e', 5); // (a, b) dropped, (c, d) old
    expect(map.size).toBe(3);
    expect(map.get('a')).toBeUndefined();
    expect(map.get('c')).toBe(3);
    // Emptied by deletes, then filled again: the same bound.
    for (const k of ['c', 'd', 'e']) expect(map.delete(k)).toBe(true);
    expect(map.size).toBe(0);
    map.set('f', 6);
    map.set('g', 7);
    map.set('h', 8);
    expect(map.size).toBe(3);
    expect(map.get('f')).toBe(6);
  });
});

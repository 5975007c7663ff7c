/**
 * `TraceTable` (the trace window's open-addressing index by trace id) must
 * answer as a `Map` of the same entries: generated sequences of adds,
 * look-ups and deletes over a pool of ids (small tables, so runs form,
 * wrap around the end and are shifted back on deletion), then ids chosen
 * to share their home slot past the probe bound (the table must move to
 * its `Map` and keep answering) and a table grown to thousands of ids.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hashOf,
  TraceTable,
  type TraceTableEntry,
} from '../../../src/gateway/pipeline/trace-table.js';

interface Entry extends TraceTableEntry {
  readonly n: number;
}

function entryOf(traceId: string, n: number): Entry {
  return { traceId, tableHash: 0, n };
}

type Op =
  | { readonly kind: 'add' | 'get' | 'delete'; readonly id: number }
  | { readonly kind: 'clear' };

/** Ids of the pool: hex trace ids, short and empty strings, non-ASCII. */
function idOf(i: number): string {
  if (i === 0) return '';
  if (i === 1) return 'é';
  if (i % 3 === 0) return `t${i}`;
  return i.toString(16).padStart(32, 'f');
}

/** Applies `ops` to a table and a `Map`, comparing every answer. */
function compare(ops: readonly Op[], table: TraceTable<Entry>): void {
  const reference = new Map<string, Entry>();
  let n = 0;
  for (const op of ops) {
    if (op.kind === 'clear') {
      table.clear();
      reference.clear();
    } else {
      const id = idOf(op.id);
      // A look-up with another string of the same content.
      const copy = [...id].join('');
      if (op.kind === 'get') {
        expect(table.get(copy)).toBe(reference.get(id));
      } else if (op.kind === 'add') {
        if (reference.has(id)) continue; // add takes absent ids only
        const entry = entryOf(id, (n += 1));
        table.add(entry);
        reference.set(id, entry);
      } else {
        const held = reference.get(id);
        // Deleting an entry not held (a stale one) changes nothing.
        table.delete(held ?? entryOf(id, -1));
        reference.delete(id);
      }
    }
    expect(table.size).toBe(reference.size);
  }
  for (let i = 0; i < 64; i += 1) {
    expect(table.get(idOf(i))).toBe(reference.get(idOf(i)));
  }
}

const op = (ids: number): fc.Arbitrary<Op> =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constantFrom('add' as const, 'get' as const),
        id: fc.integer({ min: 0, max: ids - 1 }),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('delete' as const),
        id: fc.integer({ min: 0, max: ids - 1 }),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
  );

/** `count` ids whose hashes agree on their low `bits` bits. */
function collidingIds(count: number, bits: number): string[] {
  const mask = (1 << bits) - 1;
  const bySlot = new Map<number, string[]>();
  for (let i = 0; ; i += 1) {
    const id = i.toString(16).padStart(32, '0');
    const slot = hashOf(id) & mask;
    const ids = bySlot.get(slot) ?? [];
    ids.push(id);
    bySlot.set(slot, ids);
    if (ids.length === count) return ids;
  }
}

describe('TraceTable answers as a Map', () => {
  it('under generated adds, look-ups, deletes and clears', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 64 })
          .chain(ids => fc.array(op(ids), { maxLength: 300 })),
        ops => compare(ops, new TraceTable<Entry>()),
      ),
      { numRuns: 1500 },
    );
  });

  it('when ids share a home slot past the probe bound (moved to its Map)', () => {
    // 300 ids with the same low 10 bits: one run, longer than the bound
    // (128) from the 129th on, in tables of up to 1,024 slots.
    const ids = collidingIds(300, 10);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            kind: fc.constantFrom(
              'add' as const,
              'add' as const,
              'get' as const,
              'delete' as const,
            ),
            id: fc.integer({ min: 0, max: ids.length - 1 }),
          }),
          { minLength: 200, maxLength: 900 },
        ),
        steps => {
          const table = new TraceTable<Entry>();
          const reference = new Map<string, Entry>();
          for (const [i, step] of steps.entries()) {
            const id = ids[step.id] as string;
            if (step.kind === 'get') {
              expect(table.get(id)).toBe(reference.get(id));
            } else if (step.kind === 'add' && !reference.has(id)) {
              const entry = entryOf(id, i);
              table.add(entry);
              reference.set(id, entry);
            } else if (step.kind === 'delete') {
              const held = reference.get(id);
              if (held !== undefined) table.delete(held);
              reference.delete(id);
            }
            expect(table.size).toBe(reference.size);
          }
          for (const id of ids) expect(table.get(id)).toBe(reference.get(id));
          // Cleared, it is a table again: the same answers.
          table.clear();
          table.add(entryOf(ids[0] as string, 0));
          expect(table.get(ids[0] as string)?.n).toBe(0);
          expect(table.get(ids[1] as string)).toBeUndefined();
          expect(table.size).toBe(1);
        },
      ),
      // No shrinking: each run replays up to 900 steps.
      { numRuns: 60, endOnFailure: true },
    );
  });

  it('finds each id of a run reaching the probe bound, and past it', () => {
    const ids = collidingIds(300, 10);
    // 128 with one home fit (the last 127 slots past it): each found, and
    // still found as the run is shifted back by deleting its head.
    const run = new TraceTable<Entry>();
    const fit = ids.slice(0, 128).map((id, i) => entryOf(id, i));
    for (const entry of fit) run.add(entry);
    for (const entry of fit) expect(run.get(entry.traceId)).toBe(entry);
    for (let i = 0; i < 8; i += 1) {
      run.delete(fit[i] as Entry);
      expect(run.get((fit[i] as Entry).traceId)).toBeUndefined();
      for (const entry of fit.slice(i + 1)) {
        expect(run.get(entry.traceId)).toBe(entry);
      }
    }
    // All 300 added at once go past the bound, and are all found.
    const table = new TraceTable<Entry>();
    ids.forEach((id, i) => table.add(entryOf(id, i)));
    ids.forEach((id, i) => expect(table.get(id)?.n).toBe(i));
    expect(table.size).toBe(300);
  });

  it('grown to 20,000 ids and emptied again in another order', () => {
    const table = new TraceTable<Entry>();
    const entries = Array.from({ length: 20_000 }, (_, i) =>
      entryOf(i.toString(16).padStart(32, '0'), i),
    );
    for (const entry of entries) table.add(entry);
    expect(table.size).toBe(20_000);
    for (const entry of entries) expect(table.get(entry.traceId)).toBe(entry);
    for (let i = 0; i < entries.length; i += 2) {
      table.delete(entries[i] as Entry);
    }
    expect(table.size).toBe(10_000);
    entries.forEach((entry, i) =>
      expect(table.get(entry.traceId)).toBe(i % 2 === 0 ? undefined : entry),
    );
    for (let i = entries.length - 1; i >= 1; i -= 2) {
      table.delete(entries[i] as Entry);
    }
    expect(table.size).toBe(0);
    expect(table.get((entries[1] as Entry).traceId)).toBeUndefined();
  });
});

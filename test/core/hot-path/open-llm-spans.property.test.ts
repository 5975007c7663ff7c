/**
 * `OpenLlmSpans` keeps the span started last out of its map until another
 * span starts. Generated sequences of starts, ends, holds, forgets and
 * clears over a few span ids (so ids repeat, parents point at spans started
 * later, at themselves, and in cycles) with a small bound must give every
 * answer of the map-only implementation (reference-open-llm-spans.ts), in
 * order: ends (descendant open, the ancestor's held call), isOpen,
 * endedFirst, size. A slot whose entry drifted (a count, the map's order,
 * the bound) changes an answer within a few steps.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OpenLlmSpans } from '../../../src/core/select/open-llm-spans.js';
import { ReferenceOpenLlmSpans } from './reference-open-llm-spans.js';

const IDS = ['a', 'b', 'c', 'd', 'e', 'f'];
const id = fc.constantFrom(...IDS);
const parent = fc.option(id, { nil: undefined, freq: 4 });

type Op =
  | {
      readonly kind: 'start';
      readonly id: string;
      readonly parent: string | undefined;
    }
  | { readonly kind: 'end'; readonly id: string }
  | { readonly kind: 'hold'; readonly id: string; readonly value: number }
  | { readonly kind: 'forget'; readonly id: string }
  | { readonly kind: 'endedFirst'; readonly id: string | undefined }
  | { readonly kind: 'clear' };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant('start' as const), id, parent }),
  },
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('end' as const), id }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('hold' as const),
      id,
      value: fc.nat(99),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('forget' as const), id }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('endedFirst' as const),
      id: parent,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('clear' as const) }) },
);

/** Runs `op` on a spans table; the answers it gives, comparable. */
function apply(
  spans: OpenLlmSpans<number> | ReferenceOpenLlmSpans<number>,
  step: Op,
): unknown[] {
  let answer: unknown;
  switch (step.kind) {
    case 'start':
      spans.start(step.id, step.parent);
      break;
    case 'end': {
      const { descendantOpen, ancestorHeld } = spans.end(step.id);
      answer = { descendantOpen, ancestorHeld };
      break;
    }
    case 'hold':
      spans.hold(step.id, step.value);
      break;
    case 'forget':
      spans.forget(step.id);
      break;
    case 'endedFirst':
      answer = spans.endedFirst(step.id);
      break;
    case 'clear':
      spans.clear();
      break;
  }
  return [
    answer,
    spans.size,
    IDS.map(one => [spans.isOpen(one), spans.endedFirst(one)]),
  ];
}

describe('OpenLlmSpans (last started span out of the map)', () => {
  it('answers as the map-only implementation on generated sequences', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.array(op, { maxLength: 80, size: 'max' }),
        (maxEntries, ops) => {
          const spans = new OpenLlmSpans<number>(maxEntries);
          const reference = new ReferenceOpenLlmSpans<number>(maxEntries);
          for (const step of ops) {
            expect(apply(spans, step)).toEqual(apply(reference, step));
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('a span whose parent starts after it ends or is forgotten as in the map', () => {
    // x names y as parent before y starts; y is then the last started span
    // (out of the map) when x ends: the reference counts y's descendants
    // below zero, and z starting below y brings them back to zero.
    for (const release of ['end', 'forget'] as const) {
      const steps: Op[] = [
        { kind: 'start', id: 'x', parent: 'y' },
        { kind: 'start', id: 'y', parent: undefined },
        release === 'end'
          ? { kind: 'end', id: 'x' }
          : { kind: 'forget', id: 'x' },
        { kind: 'start', id: 'z', parent: 'y' },
        { kind: 'end', id: 'y' },
        { kind: 'end', id: 'z' },
      ];
      const spans = new OpenLlmSpans<number>();
      const reference = new ReferenceOpenLlmSpans<number>();
      for (const step of steps) {
        expect(apply(spans, step)).toEqual(apply(reference, step));
      }
    }
  });

  it('nested calls: the parent ending first holds its call for the child', () => {
    const spans = new OpenLlmSpans<string>();
    spans.start('parent', undefined);
    spans.start('child', 'parent');
    expect(spans.end('parent')).toEqual({
      descendantOpen: true,
      ancestorHeld: undefined,
    });
    spans.hold('parent', 'call of parent');
    expect(spans.endedFirst('parent')).toBe(true);
    expect(spans.end('child')).toEqual({
      descendantOpen: false,
      ancestorHeld: 'call of parent',
    });
    expect(spans.size).toBe(0);
  });

  it('a call made alone is open until it ends, then nothing is left', () => {
    const spans = new OpenLlmSpans<string>();
    spans.start('one', 'root');
    expect(spans.isOpen('one')).toBe(true);
    expect(spans.size).toBe(1);
    expect(spans.end('one')).toEqual({
      descendantOpen: false,
      ancestorHeld: undefined,
    });
    expect(spans.isOpen('one')).toBe(false);
    expect(spans.size).toBe(0);
  });
});

/**
 * `DuplicateCalls` writes the first scope's calls to its table in batches
 * (nothing reads the table while one scope has reported calls). Against
 * the code it replaced (reference/duplicate-calls.ts, one write per call):
 * the same answer and the same size at every step, over long runs of one
 * scope (past a batch) with repeated ids, a second scope arriving at any
 * point, ids and scopes past the length bound, clears, and small bounds
 * (generations dropped inside a batch).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DuplicateCalls } from '../../../src/core/select/duplicate-calls.js';
import { DuplicateCalls as ReferenceDuplicateCalls } from './reference/duplicate-calls.js';

const SCOPES = [
  '@opentelemetry/instrumentation-openai',
  '@traceloop/instrumentation-openai',
  'ai',
  's'.repeat(257),
];

type Step =
  | { readonly kind: 'call'; trace: string; id: string; scope: string }
  | { readonly kind: 'run'; count: number; ids: number; scope: string }
  | { readonly kind: 'clear' }
  | { readonly kind: 'size' };

const STEP: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 20,
    arbitrary: fc.record({
      kind: fc.constant('call' as const),
      trace: fc.constantFrom('t1', 't2', 't3'),
      id: fc.oneof(
        fc.constantFrom('r1', 'r2', 'r3', 'x'.repeat(257)),
        fc.nat(400).map(n => `r${n}`),
      ),
      scope: fc.constantFrom(...SCOPES),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('run' as const),
      count: fc.integer({ min: 1, max: 400 }),
      ids: fc.integer({ min: 1, max: 500 }),
      scope: fc.constantFrom(...SCOPES),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'size' as const }) },
);

describe('DuplicateCalls, batched writes, against the replaced code', () => {
  it('gives the same answers and sizes at every step', () => {
    fc.assert(
      fc.property(
        fc.array(STEP, { maxLength: 60 }),
        fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constantFrom(100, 300)),
        (steps, maxEntries) => {
          const calls = new DuplicateCalls(maxEntries);
          const reference = new ReferenceDuplicateCalls(maxEntries);
          let n = 0;
          for (const step of steps) {
            if (step.kind === 'clear') {
              calls.clear();
              reference.clear();
            } else if (step.kind === 'size') {
              expect(calls.size).toBe(reference.size);
            } else if (step.kind === 'call') {
              expect(calls.isDuplicate(step.trace, step.id, step.scope)).toBe(
                reference.isDuplicate(step.trace, step.id, step.scope),
              );
            } else {
              for (let i = 0; i < step.count; i++) {
                n += 1;
                const trace = `t${n % 3}`;
                const id = `r${(n * 7) % step.ids}`;
                expect(calls.isDuplicate(trace, id, step.scope)).toBe(
                  reference.isDuplicate(trace, id, step.scope),
                );
              }
            }
          }
          expect(calls.size).toBe(reference.size);
        },
      ),
      { numRuns: 500 },
    );
  });
});

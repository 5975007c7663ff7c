/**
 * `DuplicateCalls` keeps the trace id alone for the first scope it meets
 * (no object per call) and looks nothing up while it has met one scope.
 * Generated sequences of calls from several scopes and traces, with clears
 * and a small bound, must get the answers of the plain model (one
 * {trace, scope} record per response id, two generations) wherever the
 * model finds a twin; it may find one the model dropped with an old
 * generation (it kept the first scope's ids longer), never one that is not.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DuplicateCalls } from '../../../src/core/select/duplicate-calls.js';
import { GenerationalMap } from '../../../src/core/select/generational-map.js';

class ModelDuplicateCalls {
  private readonly _seen: GenerationalMap<{
    traceId: string;
    scopeName: string;
  }>;

  private readonly _scopes = new Set<string>();

  constructor(maxEntries: number) {
    this._seen = new GenerationalMap(maxEntries);
  }

  isDuplicate(traceId: string, responseId: string, scopeName: string): boolean {
    if (responseId.length > 256 || scopeName.length > 256) return false;
    // The documented shortcut: while one scope has reported calls, no call
    // can be another scope's twin, so every call is remembered without a
    // look-up (a repeated id is remembered again and takes a place in the
    // window: with a tiny bound an older id leaves it sooner).
    this._scopes.add(scopeName);
    if (this._scopes.size === 1) {
      this._seen.set(responseId, { traceId, scopeName });
      return false;
    }
    const seen = this._seen.get(responseId);
    if (seen !== undefined && seen.traceId === traceId) {
      return seen.scopeName !== scopeName;
    }
    this._seen.set(responseId, { traceId, scopeName });
    return false;
  }

  get size(): number {
    return this._seen.size;
  }

  clear(): void {
    this._seen.clear();
    this._scopes.clear();
  }
}

const STEP = fc.oneof(
  {
    weight: 20,
    arbitrary: fc.record({
      trace: fc.constantFrom('t1', 't2', 't3'),
      id: fc.constantFrom('r1', 'r2', 'r3', 'r4', 'r5', 'x'.repeat(257)),
      scope: fc.constantFrom(
        '@opentelemetry/instrumentation-openai',
        '@traceloop/instrumentation-openai',
        'ai',
        's'.repeat(257),
      ),
    }),
  },
  { weight: 1, arbitrary: fc.constant('clear' as const) },
);

describe('DuplicateCalls against the plain model', () => {
  it('gives the same answer at every step', () => {
    fc.assert(
      fc.property(
        fc.array(STEP, { maxLength: 80 }),
        fc.integer({ min: 1, max: 6 }),
        (steps, maxEntries) => {
          const calls = new DuplicateCalls(maxEntries);
          const model = new ModelDuplicateCalls(maxEntries);
          // Every call since the last clear: id -> [trace, scope].
          const truth = new Map<string, [string, string][]>();
          for (const step of steps) {
            if (step === 'clear') {
              calls.clear();
              model.clear();
              truth.clear();
              continue;
            }
            const found = calls.isDuplicate(step.trace, step.id, step.scope);
            const expected = model.isDuplicate(step.trace, step.id, step.scope);
            if (expected) expect(found).toBe(true);
            if (found && !expected) {
              // Only a real twin: this id from another scope in this trace.
              expect(
                truth
                  .get(step.id)
                  ?.some(
                    ([trace, scope]) =>
                      trace === step.trace && scope !== step.scope,
                  ),
              ).toBe(true);
            }
            const list = truth.get(step.id) ?? [];
            list.push([step.trace, step.scope]);
            truth.set(step.id, list);
          }
          // Both within the two generations' bound.
          expect(calls.size).toBeLessThanOrEqual(
            2 * Math.max(1, Math.floor(maxEntries / 2)),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('finds a twin from another scope in the same trace, not in another trace', () => {
    const calls = new DuplicateCalls();
    expect(calls.isDuplicate('t1', 'chatcmpl-1', 'a')).toBe(false);
    expect(calls.isDuplicate('t1', 'chatcmpl-1', 'a')).toBe(false);
    expect(calls.isDuplicate('t2', 'chatcmpl-1', 'b')).toBe(false);
    expect(calls.isDuplicate('t2', 'chatcmpl-1', 'a')).toBe(true);
    expect(calls.isDuplicate('t3', 'chatcmpl-2', 'b')).toBe(false);
    expect(calls.isDuplicate('t3', 'chatcmpl-2', 'a')).toBe(true);
  });
});

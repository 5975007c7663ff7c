/**
 * The cross-batch look-up reads a bucket's start and end times before its
 * entries, and skips an entry whose times cannot be the call's (each must
 * start before the other ends, within the clock slack): it must take the
 * entry the reference implementation takes (`ReferenceStackedWindow`, every
 * entry read) when times sit at the slack's edges: calls that end exactly
 * 2 ms (the slack) before the other starts, or a fraction of a millisecond
 * more, zero-length calls, and outer layers that started long before
 * (a framework span around a client span). Fails if the time check is
 * stricter than `ranAsOneCall` (a slack dropped, `<` for `<=`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LlmCall } from '../../../src/core/llm-call.js';
import {
  StackedWindow,
  type EndedCall,
} from '../../../src/core/select/stacked-window.js';
import { ReferenceStackedWindow } from './reference-stacked-window.js';

// A framework layer and two client-side layers.
const SCOPES = [
  '@arizeai/openinference-instrumentation-langchain',
  '@opentelemetry/instrumentation-openai',
  '@traceloop/instrumentation-openai',
];
const BASE = 1_764_500_000_000;

interface Row {
  readonly scope: number;
  readonly start: number;
  readonly duration: number;
  readonly advance: number;
}

const row: fc.Arbitrary<Row> = fc.record({
  scope: fc.nat(SCOPES.length - 1),
  // Around the slack: equal, 1-4 ms apart, fractions, far.
  start: fc.constantFrom(0, 0, 1, 2, 2.25, 3, 4, 6, 7.5, 1_200, 1_990),
  duration: fc.constantFrom(0, 0, 0.5, 1, 2, 3, 4, 1_995),
  advance: fc.constantFrom(0, 0, 5),
});

function ended(r: Row): EndedCall {
  const startMillis = BASE + r.start;
  const call: LlmCall = {
    emitter: 'gen_ai',
    provider: 'openai',
    model: 'gpt-4o',
    operation: 'chat',
    usage: {
      inputTokens: 100,
      outputTokens: 20,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    },
    reportedCostUsd: undefined,
    responseId: undefined,
    startTimeMillis: startMillis,
    issues: [],
  };
  return {
    scopeName: SCOPES[r.scope] as string,
    startMillis,
    endMillis: startMillis + r.duration,
    call,
    priced: true,
  };
}

describe('StackedWindow look-up, times at the clock slack', () => {
  it('takes the entry the reference takes', () => {
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 2, maxLength: 30, size: 'max' }),
        rows => {
          const pairs: { own: string[][]; reference: string[][] } = {
            own: [],
            reference: [],
          };
          const options = { windowMillis: 30_000, maxEntries: 100 };
          const own = new StackedWindow({
            ...options,
            onStacked: scopes => pairs.own.push([...scopes]),
          });
          const reference = new ReferenceStackedWindow({
            ...options,
            onStacked: scopes => pairs.reference.push([...scopes]),
          });
          let now = BASE + 10_000;
          for (const r of rows) {
            now += r.advance;
            const calls = [ended(r)];
            expect(own.decideBatch(calls, now)).toEqual(
              reference.decideBatch(calls, now),
            );
            expect(own.size).toBe(reference.size);
            expect(pairs.own).toEqual(pairs.reference);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});

/**
 * One request must cost bounded work whatever its layered calls: the work
 * of in-batch matching (calls looked at, counted by `BatchPartners`) for
 * 10,000 layered calls in one trace stays within 3 × 10 × the work for
 * 1,000 of the same shape (the look-up stops early at the best gap, and
 * finds it sooner in a small batch), and within the look limit per call.
 * Comparing every pair (the reference) grew 100-fold.
 */
import { describe, expect, it } from 'vitest';
import type { LlmCall } from '../../../src/core/llm-call.js';
import { emitterLayer } from '../../../src/core/select/emitter-layer.js';
import {
  BatchPartners,
  MAX_PARTNER_LOOKS,
  MAX_SCOPE_LISTS,
  type BatchCall,
} from '../../../src/core/select/stacked-window-pairs.js';
import {
  StackedWindow,
  type EndedCall,
} from '../../../src/core/select/stacked-window.js';
import { ReferenceStackedWindow } from './reference-stacked-window.js';

const FRAMEWORK = '@traceloop/instrumentation-langchain';
const CLIENT = '@traceloop/instrumentation-openai';
const BASE = 1_764_500_000_000;

function ended(
  scopeName: string,
  start: number,
  duration: number,
  model: string | undefined,
  input: number,
): EndedCall {
  const call: LlmCall = {
    emitter: 'gen_ai',
    provider: 'openai',
    model,
    operation: 'chat',
    usage: {
      inputTokens: input,
      outputTokens: 20,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    },
    reportedCostUsd: undefined,
    responseId: undefined,
    startTimeMillis: BASE + start,
    issues: [],
  };
  return {
    scopeName,
    startMillis: BASE + start,
    endMillis: BASE + start + duration,
    call,
    priced: true,
  };
}

type Shape = (n: number) => EndedCall[];

const SHAPES: Record<string, Shape> = {
  // Every call at once, one model: each is a candidate of every other.
  concurrent: n =>
    Array.from({ length: n }, (_, i) =>
      ended(i % 2 ? CLIENT : FRAMEWORK, i % 4, 800, 'gpt-4o', 100 + (i % 97)),
    ),
  // An agent's calls one after another, each recorded by both layers.
  sequential: n =>
    Array.from({ length: n }, (_, i) =>
      ended(i % 2 ? CLIENT : FRAMEWORK, 500 * (i >> 1), 400, 'gpt-4o', 100),
    ),
  // Half without a model (a candidate of every model), half of distinct models.
  noModel: n =>
    Array.from({ length: n }, (_, i) =>
      ended(
        i % 2 ? CLIENT : FRAMEWORK,
        i % 5,
        800,
        i % 2 ? undefined : `model-${i}`,
        100 + (i % 13),
      ),
    ),
  // A day-long outer span first, then short calls inside it.
  longOuter: n => [
    ended(FRAMEWORK, 0, 86_400_000, 'gpt-4o', 100),
    ...Array.from({ length: n - 1 }, (_, i) =>
      ended(i % 2 ? CLIENT : FRAMEWORK, 5 * i, 3, 'gpt-4o', 100 + (i % 50)),
    ),
  ],
};

/** The pairing loop of `StackedWindow.decideBatch`; returns the work done. */
function looksFor(calls: readonly BatchCall[]): {
  looks: number;
  pairs: number;
} {
  const layers = calls.map(c => emitterLayer(c.scopeName));
  const partners = new BatchPartners(calls, layers);
  let pairs = 0;
  calls.forEach((_, i) => {
    if (!partners.isPaired(i) && partners.pair(i) !== undefined) pairs += 1;
  });
  return { looks: partners.looks, pairs };
}

describe('in-batch matching of a hostile request', () => {
  for (const [name, shape] of Object.entries(SHAPES)) {
    it(`${name}: 10,000 layered calls cost at most 30 × the work of 1,000`, () => {
      const small = looksFor(shape(1_000));
      const large = looksFor(shape(10_000));
      expect(small.looks).toBeGreaterThan(0);
      expect(large.looks).toBeLessThanOrEqual(30 * small.looks);
      expect(large.looks).toBeLessThanOrEqual(
        2 * (MAX_SCOPE_LISTS + 1) * MAX_PARTNER_LOOKS * 10_000,
      );
      // Still pairing: each call's other layer is found.
      expect(large.pairs).toBeGreaterThan(0);
    });
  }

  it('pairs each sequential call with its other layer (10,000 spans)', () => {
    const calls = SHAPES.sequential!(10_000);
    const window = new StackedWindow({ windowMillis: 60_000, maxEntries: 100 });
    const verdicts = window.decideBatch(calls, BASE + 10_000_000);
    // One priced record per call: 5,000 priced, 5,000 duplicates.
    expect(verdicts.filter(v => v === 'duplicate')).toHaveLength(5_000);
  });

  it('comparing every pair grows with the square (the reference, 500 vs 1,000)', () => {
    const work = (n: number): number => {
      const reference = new ReferenceStackedWindow({
        windowMillis: 60_000,
        maxEntries: 100,
      });
      reference.decideBatch(SHAPES.concurrent!(n), BASE + 10_000);
      return reference.comparisons;
    };
    expect(work(1_000)).toBeGreaterThan(3 * work(500));
  });
});

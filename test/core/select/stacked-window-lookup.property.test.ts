/**
 * Across batches, a layered call takes the remembered call of another scope
 * that is the same call, the closest first (the first found of equals).
 * The look-up reads the buckets of its model family and of calls without a
 * model, over the seconds a partner can start in, and is skipped while one
 * layered scope only has been seen. Generated sequences of one-call batches
 * (so every pair is made by the look-up, none within a batch) with equal
 * usage and near-equal times (ties), models with and without a family,
 * against the reference implementation (`ReferenceStackedWindow`): the
 * same verdicts, the same pairs reported, the same size after each batch.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LlmCall } from '../../../src/core/llm-call.js';
import {
  StackedWindow,
  type EndedCall,
} from '../../../src/core/select/stacked-window.js';
import { ReferenceStackedWindow } from './reference-stacked-window.js';

const SCOPES = [
  '@arizeai/openinference-instrumentation-langchain',
  '@traceloop/instrumentation-openai',
  '@opentelemetry/instrumentation-openai',
  'com.anthropic.sdk.java',
];
const MODELS = ['gpt-4o', 'gpt-4o-2024-08-06', undefined, ''];
const BASE = 1_764_500_000_000;

interface Row {
  readonly scope: number;
  readonly model: number;
  readonly start: number;
  readonly duration: number;
  readonly priced: boolean;
  readonly advance: number;
}

const row: fc.Arbitrary<Row> = fc.record({
  scope: fc.nat(SCOPES.length - 1),
  model: fc.nat(MODELS.length - 1),
  // Near-equal starts (ties), one across a second boundary, one far.
  start: fc.constantFrom(0, 0, 1, 2, 998, 1001, 2500),
  duration: fc.constantFrom(100, 100, 101, 104, 3000),
  priced: fc.boolean(),
  advance: fc.constantFrom(0, 0, 10, 40_000),
});

function ended(r: Row, shift = 0): EndedCall {
  const startMillis = BASE + shift + r.start;
  const call: LlmCall = {
    emitter: 'gen_ai',
    provider: 'openai',
    model: MODELS[r.model],
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
    priced: r.priced,
  };
}

/**
 * Calls started long before, each in a second of its own: with more
 * buckets than the seconds a look-up spans, it reads its seconds' buckets
 * (its model family's, then those of calls without a model) instead of all.
 */
function fillers(): EndedCall[][] {
  return Array.from({ length: 8 }, (_, k) => [
    ended(
      { scope: 3, model: 0, start: 0, duration: 100, priced: true, advance: 0 },
      -1_000_000 - k * 1_000,
    ),
  ]);
}

describe('StackedWindow look-up across batches (generated)', () => {
  it('takes the entry the reference takes, batch after batch', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(3, 100),
        fc.boolean(),
        fc.array(row, { minLength: 1, maxLength: 40, size: 'max' }),
        (maxEntries, filled, rows) => {
          const pairs: { own: string[][]; reference: string[][] } = {
            own: [],
            reference: [],
          };
          const options = { windowMillis: 30_000, maxEntries };
          const own = new StackedWindow({
            ...options,
            onStacked: scopes => pairs.own.push([...scopes]),
          });
          const reference = new ReferenceStackedWindow({
            ...options,
            onStacked: scopes => pairs.reference.push([...scopes]),
          });
          let now = BASE;
          for (const calls of filled ? fillers() : []) {
            expect(own.decideBatch(calls, now)).toEqual(
              reference.decideBatch(calls, now),
            );
          }
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
      { numRuns: 1500 },
    );
  });

  it('a call without a model is found by a call with one (its own bucket)', () => {
    const window = new StackedWindow({ windowMillis: 30_000, maxEntries: 20 });
    for (const calls of fillers()) window.decideBatch(calls, BASE);
    const first = ended({
      scope: 0,
      model: 2,
      start: 0,
      duration: 100,
      priced: true,
      advance: 0,
    });
    const second = ended({
      scope: 2,
      model: 0,
      start: 1,
      duration: 100,
      priced: true,
      advance: 0,
    });
    expect(window.decideBatch([first], BASE)).toEqual(['price']);
    expect(window.decideBatch([second], BASE)).toEqual(['duplicate']);
    expect(window.size).toBe(8);
  });
});

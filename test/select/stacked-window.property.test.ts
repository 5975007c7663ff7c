/**
 * The ended-span matcher (the gateway's and the exporter wrapper's), with
 * generated workloads: N concurrent calls recorded by a framework layer, a
 * client layer or both, their spans in end order cut into batches at random
 * points. Each real call is priced exactly once; within one batch the
 * better-informed record (the framework's, with the cache detail) is the
 * one priced; memory stays under its bound.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LlmCall } from '../../src/core/llm-call.js';
import {
  StackedWindow,
  type EndedCall,
} from '../../src/core/select/stacked-window.js';

const FRAMEWORK = '@traceloop/instrumentation-langchain';
const CLIENT = '@traceloop/instrumentation-openai';
const MODELS = ['gpt-4o-mini', 'gpt-4o', 'claude-sonnet-4-5'];

function llmCall(
  model: string,
  input: number,
  output: number,
  cacheRead: number,
): LlmCall {
  return {
    emitter: 'gen_ai',
    provider: model.startsWith('claude') ? 'anthropic' : 'openai',
    model,
    operation: 'chat',
    usage: {
      inputTokens: input,
      outputTokens: output,
      cacheReadTokens: cacheRead,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    },
    reportedCostUsd: undefined,
    responseId: undefined,
    startTimeMillis: 0,
    issues: [],
  };
}

interface Recorded extends EndedCall {
  readonly callIndex: number;
}

const workload = fc
  .uniqueArray(fc.integer({ min: 0, max: 45 }), { minLength: 1, maxLength: 16 })
  .chain(steps =>
    fc.tuple(
      ...steps.map(step =>
        fc.record({
          input: fc.constant(Math.round(300 * 1.12 ** step)),
          model: fc.constantFrom(...MODELS),
          output: fc.integer({ min: 1, max: 1500 }),
          layers: fc.constantFrom('both', 'both', 'framework', 'client'),
          start: fc.integer({ min: 0, max: 500 }),
          duration: fc.integer({ min: 5, max: 800 }),
          lag: fc.integer({ min: -3, max: 30 }),
        }),
      ),
    ),
  );

function spansOf(
  calls: readonly {
    input: number;
    model: string;
    output: number;
    layers: string;
    start: number;
    duration: number;
    lag: number;
  }[],
): Recorded[] {
  const spans: Recorded[] = [];
  calls.forEach((c, callIndex) => {
    const clientStart = c.start + 2;
    const clientEnd = clientStart + c.duration;
    if (c.layers !== 'client') {
      spans.push({
        callIndex,
        scopeName: FRAMEWORK,
        startMillis: c.start,
        endMillis: Math.max(c.start + 1, clientEnd + c.lag),
        // The framework knows the cache (better-informed).
        call: llmCall(c.model, c.input, c.output, Math.floor(c.input / 3)),
        priced: true,
      });
    }
    if (c.layers !== 'framework') {
      spans.push({
        callIndex,
        scopeName: CLIENT,
        startMillis: clientStart,
        endMillis: clientEnd,
        call: llmCall(c.model, c.input, c.output, 0),
        priced: true,
      });
    }
  });
  return spans.sort((a, b) => a.endMillis - b.endMillis);
}

describe('StackedWindow (generated)', () => {
  it('prices each real call exactly once, whatever the batches; in one batch, from the better-informed record', () => {
    fc.assert(
      fc.property(
        workload,
        fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 8 }),
        (calls, cuts) => {
          const spans = spansOf(calls);
          const window = new StackedWindow({
            windowMillis: 60_000,
            maxEntries: 1_000,
          });
          const points = [...new Set(cuts)]
            .filter(c => c < spans.length)
            .sort((a, b) => a - b);
          const priced = new Map<number, Recorded[]>();
          let from = 0;
          for (const to of [...points, spans.length]) {
            const batch = spans.slice(from, to);
            window.decideBatch(batch, 0).forEach((verdict, i) => {
              const span = batch[i] as Recorded;
              if (verdict === 'price') {
                priced.set(span.callIndex, [
                  ...(priced.get(span.callIndex) ?? []),
                  span,
                ]);
              }
            });
            from = to;
          }
          calls.forEach((_, callIndex) => {
            expect(priced.get(callIndex)).toHaveLength(1);
          });
          if (points.length === 0) {
            // One batch: a call both layers recorded is priced from the
            // framework's record (it carries the cache detail).
            calls.forEach((c, callIndex) => {
              if (c.layers === 'both') {
                expect(priced.get(callIndex)?.[0]?.scopeName).toBe(FRAMEWORK);
              }
            });
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('holds at most maxEntries calls, and nothing past the window', () => {
    const window = new StackedWindow({ windowMillis: 1_000, maxEntries: 500 });
    for (let i = 0; i < 20_000; i += 1) {
      const scopeName = i % 2 === 0 ? FRAMEWORK : CLIENT;
      // Every call distinct: none pairs, each is remembered.
      window.decideBatch(
        [
          {
            scopeName,
            startMillis: i * 10_000,
            endMillis: i * 10_000 + 5,
            call: llmCall('gpt-4o-mini', 1000 + i, 100, 0),
            priced: true,
          },
        ],
        i,
      );
      expect(window.size).toBeLessThanOrEqual(500);
    }
    window.decideBatch([], 1_000_000);
    expect(window.size).toBe(0);
  });
});

/**
 * In-batch matching of stacked layers, indexed by model family and start
 * time (`BatchPartners`), against the reference that compares every pair
 * (`ReferenceStackedWindow`, the implementation before the index): on
 * generated sequences of batches (several layers and scopes, one model
 * under several spellings, no model, no provider, no usage, equal,
 * near-equal and fractional start times, long outer spans, broken times,
 * a window that overflows) both give the same verdicts and report the same
 * stacked pairs, batch after batch.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LlmCall } from '../../../src/core/llm-call.js';
import {
  StackedWindow,
  type EndedCall,
} from '../../../src/core/select/stacked-window.js';
import {
  MAX_PARTNER_LOOKS,
  MAX_SCOPE_LISTS,
} from '../../../src/core/select/stacked-window-pairs.js';
import { ReferenceStackedWindow } from './reference-stacked-window.js';

const SCOPES = [
  '@traceloop/instrumentation-langchain',
  '@arizeai/openinference-instrumentation-langchain',
  '@traceloop/instrumentation-openai',
  '@opentelemetry/instrumentation-openai',
  'com.anthropic.sdk.java',
  'my-app',
];
const MODELS = [
  'gpt-4o',
  'gpt-4o-2024-08-06',
  'openai/gpt-4o',
  'gpt-4o-mini',
  'claude-sonnet-4-5',
  '',
  undefined,
];
const BASE = 1_764_500_000_000;

interface GeneratedCall {
  readonly scope: string;
  readonly model: string | undefined;
  readonly provider: string | undefined;
  readonly usage: LlmCall['usage'] | null;
  readonly reported: number | undefined;
  readonly start: number;
  readonly duration: number;
  readonly priced: boolean;
}

const usage = fc.option(
  fc.record<NonNullable<LlmCall['usage']>>({
    inputTokens: fc.constantFrom(100, 101, 102, 110, 1000),
    outputTokens: fc.constantFrom(10, 11, 50),
    cacheReadTokens: fc.constantFrom(0, 0, 8, 10),
    cacheWriteTokens: fc.constant(0),
    reasoningTokens: fc.constantFrom(0, 0, 40),
  }),
  { freq: 4 },
);

/** More layered scopes than `BatchPartners` gives lists of their own. */
const MANY_SCOPES = Array.from({ length: MAX_SCOPE_LISTS + 6 }, (_, k) =>
  k % 2
    ? `@traceloop/instrumentation-langchain-${k}`
    : `@traceloop/instrumentation-openai-${k}`,
);

const callOf = (scopes: readonly string[]): fc.Arbitrary<GeneratedCall> =>
  fc.record({
    scope: fc.constantFrom(...scopes),
    model: fc.constantFrom(...MODELS),
    provider: fc.constantFrom('openai', 'anthropic', undefined),
    usage,
    reported: fc.constantFrom(undefined, undefined, 0.01),
    start: fc.oneof(
      fc.integer({ min: 0, max: 6 }),
      fc.constantFrom(0.3, 1.7, 999, 1000, 1500, -1500, 3000, -3000),
    ),
    duration: fc.oneof(
      fc.integer({ min: 0, max: 2500 }),
      fc.constantFrom(0.5, 5000, 90_000, 86_400_001, -5),
    ),
    priced: fc.boolean(),
  });

function ended(c: GeneratedCall, shift: number): EndedCall {
  const startMillis = BASE + shift + c.start;
  const llm: LlmCall = {
    emitter: 'gen_ai',
    provider: c.provider,
    model: c.model,
    operation: 'chat',
    usage: c.usage ?? undefined,
    reportedCostUsd: c.reported,
    responseId: undefined,
    startTimeMillis: startMillis,
    issues: [],
  };
  return {
    scopeName: c.scope,
    startMillis,
    endMillis: startMillis + c.duration,
    call: llm,
    priced: c.priced,
  };
}

const scenarioOf = (scopes: readonly string[]) =>
  fc.record({
    maxEntries: fc.constantFrom(2, 5, 100),
    preference: fc.constantFrom('auto', 'framework', 'client') as fc.Arbitrary<
      'auto' | 'framework' | 'client'
    >,
    batches: fc.array(
      fc.record({
        shift: fc.constantFrom(0, 0, 400, 2000),
        advance: fc.constantFrom(0, 100, 20_000, 40_000),
        calls: fc.array(callOf(scopes), { maxLength: 40 }),
      }),
      { minLength: 1, maxLength: 5 },
    ),
  });

/** A call of its own scope, long before any generated one. */
function fill(scope: string): EndedCall {
  return ended({ ...FILLER, scope }, -1e7);
}
const FILLER: GeneratedCall = {
  scope: '',
  model: 'gpt-4o',
  provider: 'openai',
  usage: null,
  reported: undefined,
  start: 0,
  duration: 10,
  priced: true,
};

const SAME_USAGE = {
  inputTokens: 100,
  outputTokens: 20,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
};

type Scenario =
  ReturnType<typeof scenarioOf> extends fc.Arbitrary<infer T> ? T : never;

describe('StackedWindow in-batch index (generated)', () => {
  const cases: [string, fc.Arbitrary<Scenario>, number][] = [
    ['a few scopes', scenarioOf(SCOPES), 400],
    // The first scopes of each batch fill the lists: the calls generated
    // then also share the list of further scopes.
    ['more scopes than lists', scenarioOf(MANY_SCOPES.slice(10)), 300],
  ];
  it.each(cases)(
    'decides every batch exactly as comparing every pair did (%s)',
    (_, scenario, numRuns) => {
      fc.assert(
        fc.property(scenario, ({ maxEntries, preference, batches }) => {
          const seen: { indexed: string[][]; reference: string[][] } = {
            indexed: [],
            reference: [],
          };
          const options = { windowMillis: 30_000, maxEntries, preference };
          const indexed = new StackedWindow({
            ...options,
            onStacked: scopes => seen.indexed.push([...scopes]),
          });
          const reference = new ReferenceStackedWindow({
            ...options,
            onStacked: scopes => seen.reference.push([...scopes]),
          });
          let now = BASE;
          for (const batch of batches) {
            now += batch.advance;
            const calls = batch.calls.map(c => ended(c, batch.shift));
            if (batch.calls.some(c => MANY_SCOPES.includes(c.scope))) {
              calls.unshift(...MANY_SCOPES.slice(0, MAX_SCOPE_LISTS).map(fill));
            }
            expect(indexed.decideBatch(calls, now)).toEqual(
              reference.decideBatch(calls, now),
            );
            expect(indexed.size).toBe(reference.size);
          }
          expect(seen.indexed).toEqual(seen.reference);
        }),
        { numRuns },
      );
    },
  );

  it('agrees where times alone decide (equal usage, near-equal times)', () => {
    // Same model and usage: the gap is the start and end gaps only, so
    // ties and the early stop at the best gap are exercised.
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            scope: fc.constantFrom(SCOPES[0], SCOPES[2], SCOPES[3]),
            start: fc.integer({ min: 0, max: 12 }),
            duration: fc.constantFrom(100, 101, 102, 104, 108, 116),
          }),
          { maxLength: 30 },
        ),
        rows => {
          const calls = rows.map(r =>
            ended(
              {
                ...FILLER,
                scope: r.scope as string,
                start: r.start,
                duration: r.duration,
                usage: SAME_USAGE,
              },
              0,
            ),
          );
          const options = { windowMillis: 30_000, maxEntries: 100 };
          expect(new StackedWindow(options).decideBatch(calls, BASE)).toEqual(
            new ReferenceStackedWindow(options).decideBatch(calls, BASE),
          );
        },
      ),
      { numRuns: 400 },
    );
  });

  it('agrees on many concurrent calls of one model (below the look limit)', () => {
    // Up to 60 calls of one model at nearly one start: every call is a
    // candidate of every other, the closest usage decides.
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            scope: fc.constantFrom(SCOPES[0], SCOPES[2], SCOPES[3]),
            input: fc.integer({ min: 100, max: 130 }),
            start: fc.integer({ min: 0, max: 3 }),
          }),
          { maxLength: Math.floor(MAX_PARTNER_LOOKS / 2) },
        ),
        rows => {
          const calls = rows.map(r =>
            ended(
              {
                scope: r.scope as string,
                model: 'gpt-4o',
                provider: 'openai',
                usage: {
                  inputTokens: r.input,
                  outputTokens: 20,
                  cacheReadTokens: 0,
                  cacheWriteTokens: 0,
                  reasoningTokens: 0,
                },
                reported: undefined,
                start: r.start,
                duration: 800,
                priced: true,
              },
              0,
            ),
          );
          const options = { windowMillis: 30_000, maxEntries: 100 };
          expect(new StackedWindow(options).decideBatch(calls, BASE)).toEqual(
            new ReferenceStackedWindow(options).decideBatch(calls, BASE),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

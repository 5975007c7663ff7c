/**
 * `createPricer().price()` prices the counts it is given: a count left out
 * (or no usage at all) is 0, never `missing_usage`. A span that carries no
 * counts is still `missing_usage`, through `priceSpanCall`. Expected values
 * come from OpenAI's published gpt-4o prices (published-prices.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPricer, type PriceUsage } from '../../../src/index.js';
import { priceSpanCall } from '../../../src/core/price/pricer.js';
import { expectUsd } from '../../helpers/cost-assertions.js';
import { GPT_4O } from './published-prices.js';

const AT = Date.parse('2025-11-15T12:00:00Z');
const M = 1_000_000;
const CACHED = GPT_4O.cacheReadPerMTok ?? Number.NaN;

const pricer = createPricer();

function priceGpt4o(usage: PriceUsage | undefined) {
  return pricer.price({
    provider: 'openai',
    model: 'gpt-4o',
    usage,
    timestamp: AT,
  });
}

describe('createPricer().price(): a count left out is 0', () => {
  it('input only: 1M input tokens at $2.50', () => {
    const result = priceGpt4o({ inputTokens: M });
    expect(result.priced).toBe(true);
    if (!result.priced || result.source === 'provider') return;
    expectUsd(result.totalUsd, GPT_4O.inputPerMTok);
    expect(result.outputUsd).toBe(0);
  });

  it('output only: 1,000 output tokens at $10/M', () => {
    const result = priceGpt4o({ outputTokens: 1000 });
    expect(result.priced).toBe(true);
    if (!result.priced) return;
    expectUsd(result.totalUsd, (1000 * GPT_4O.outputPerMTok) / M);
  });

  it('no usage at all: zero tokens cost $0 (the model is known)', () => {
    const result = priceGpt4o(undefined);
    expect(result).toMatchObject({ priced: true, totalUsd: 0 });
  });

  it('an unknown model is still unpriced, never $0', () => {
    expect(
      pricer.price({
        provider: 'openai',
        model: 'gpt-imaginary-9',
        timestamp: AT,
      }),
    ).toEqual({ priced: false, reason: 'unknown_model' });
  });

  it('a count that is present but invalid is still invalid_usage', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(priceGpt4o({ inputTokens: bad })).toEqual({
        priced: false,
        reason: 'invalid_usage',
      });
    }
    // Cache reads above the input (a left-out input is 0).
    expect(priceGpt4o({ cacheReadTokens: 10 })).toEqual({
      priced: false,
      reason: 'invalid_usage',
    });
  });

  it('any subset of counts left out prices as published, with 0 for each', () => {
    const count = fc.integer({ min: 0, max: 5 * M });
    fc.assert(
      fc.property(
        count,
        count,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.record({
          input: fc.boolean(),
          cacheRead: fc.boolean(),
          output: fc.boolean(),
        }),
        (input, output, cachedShare, keep) => {
          const cacheRead = Math.floor(input * cachedShare);
          const usage: PriceUsage = {
            ...(keep.input ? { inputTokens: input } : {}),
            ...(keep.cacheRead && keep.input
              ? { cacheReadTokens: cacheRead }
              : {}),
            ...(keep.output ? { outputTokens: output } : {}),
          };
          const inTokens = usage.inputTokens ?? 0;
          const cached = usage.cacheReadTokens ?? 0;
          const outTokens = usage.outputTokens ?? 0;
          const expected =
            ((inTokens - cached) * GPT_4O.inputPerMTok +
              cached * CACHED +
              outTokens * GPT_4O.outputPerMTok) /
            M;
          const result = priceGpt4o(usage);
          expect(result.priced).toBe(true);
          if (result.priced) expectUsd(result.totalUsd, expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('priceSpanCall: a span that carries no counts', () => {
  const span = { provider: 'openai', model: 'gpt-4o', timestamp: AT };

  it('is missing_usage', () => {
    expect(priceSpanCall(pricer, { ...span, usage: undefined })).toEqual({
      priced: false,
      reason: 'missing_usage',
    });
  });

  it('takes a reported cost, and keeps the earlier reasons first', () => {
    expect(
      priceSpanCall(pricer, {
        ...span,
        usage: undefined,
        reportedCostUsd: 0.25,
      }),
    ).toMatchObject({ priced: true, source: 'provider', totalUsd: 0.25 });
    expect(
      priceSpanCall(pricer, { ...span, model: ' ', usage: undefined }),
    ).toEqual({ priced: false, reason: 'missing_model' });
    expect(
      priceSpanCall(pricer, { ...span, usage: undefined, invalidUsage: true }),
    ).toEqual({ priced: false, reason: 'invalid_usage' });
  });

  it('with counts, answers what price() answers', () => {
    const usage = { inputTokens: 2000, outputTokens: 100 };
    const result = priceSpanCall(pricer, { ...span, usage });
    expect(result.priced).toBe(true);
    if (result.priced)
      expectUsd(
        result.totalUsd,
        (2000 * GPT_4O.inputPerMTok + 100 * GPT_4O.outputPerMTok) / M,
      );
  });
});

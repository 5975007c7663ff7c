/**
 * The pricer answers a call of the (provider, model) it priced last from
 * the route it found then, without its two map look-ups. Against the code
 * it replaced (reference/pricer.ts): the same result for every call of a
 * sequence mixing repeated and new models, providers (undefined, empty,
 * spellings of one), padded ids, overrides, invalid and reported usage,
 * and timestamps (a model's table route is resolved at its first call),
 * also past the providers' bound (routes dropped with a generation).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createPricer,
  type PriceInput,
} from '../../../src/core/price/pricer.js';
import { createPricer as createReferencePricer } from './reference/pricer.js';

const OVERRIDES = [
  {
    provider: 'openai',
    model: 'gpt-4o-mini',
    inputPerMTokUsd: 1,
    outputPerMTokUsd: 2,
    effectiveFrom: '2025-01-01',
  },
  {
    model: 'claude-*',
    inputPerMTokUsd: 3,
    outputPerMTokUsd: 4,
  },
];

const provider = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(undefined, '', 'openai', 'anthropic'),
  },
  fc.constantFrom(
    undefined,
    '',
    'openai',
    'anthropic',
    'aws.bedrock',
    'gcp.vertex_ai',
    'OpenAI',
  ),
  fc.nat(80).map(n => `provider-${n}`),
);
const model = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom('gpt-4o-mini', 'claude-sonnet-4-5'),
  },
  fc.constantFrom(
    undefined,
    '',
    'gpt-4o-mini',
    ' gpt-4o-mini ',
    'gpt-4o-mini-2024-07-18',
    'claude-sonnet-4-5',
    'claude-sonnet-4-5-20250929',
    'anthropic.claude-3-haiku-20240307-v1:0',
    'claude-3-haiku-20240307-v1:0',
    'openai/gpt-4o',
    'no-such-model',
  ),
  fc.nat(50).map(n => `model-${n}`),
);
const input: fc.Arbitrary<PriceInput> = fc.record({
  provider,
  model,
  usage: fc.option(
    fc.record({
      inputTokens: fc.oneof(fc.nat(100_000), fc.constant(-1)),
      outputTokens: fc.nat(10_000),
      cacheReadTokens: fc.nat(1000),
    }),
    { nil: undefined },
  ),
  invalidUsage: fc.option(fc.boolean(), { nil: undefined }),
  reportedCostUsd: fc.option(fc.constantFrom(0.01, -1, 1e9), {
    nil: undefined,
  }),
  timestamp: fc.constantFrom(
    Date.UTC(2024, 0, 1),
    Date.UTC(2025, 5, 1),
    Date.UTC(2026, 6, 1),
  ),
});

describe('pricer route memo against the replaced code', () => {
  it('prices every call of a sequence the same', () => {
    fc.assert(
      fc.property(
        fc.array(input, { maxLength: 120 }),
        fc.boolean(),
        (inputs, withOverrides) => {
          const options = withOverrides ? { overrides: OVERRIDES } : {};
          const pricer = createPricer(options);
          const reference = createReferencePricer(options);
          for (const call of inputs) {
            expect(pricer.price(call)).toEqual(reference.price(call));
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('answers the same past the providers bound (generations dropped)', () => {
    const pricer = createPricer();
    const reference = createReferencePricer();
    const usage = { inputTokens: 1000, outputTokens: 10 };
    for (let i = 0; i < 300; i++) {
      for (const p of [`p${i}`, 'openai', `p${i}`]) {
        const call = {
          provider: p,
          model: 'gpt-4o-mini',
          usage,
          timestamp: Date.UTC(2024 + (i % 3), 0, 1),
        };
        expect(pricer.price(call)).toEqual(reference.price(call));
      }
    }
  });
});

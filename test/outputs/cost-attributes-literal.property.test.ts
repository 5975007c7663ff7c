/**
 * A call's cost attributes are built as one object literal when the table
 * or an override priced it (`newCallCostAttributes`, issue 15), and an
 * identity tag's attribute name by a switch (`identityAttributeName`).
 * On generated evaluations and tags they must give exactly what the
 * general writers give (keys in the same order, same values) and what the
 * published names say.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Evaluation } from '../../src/core/cost-engine.js';
import type { LlmCall, UsageIssue } from '../../src/core/llm-call.js';
import type { CostResult } from '../../src/core/price/cost-result.js';
import {
  costAttributes,
  newCallCostAttributes,
} from '../../src/outputs/cost-attributes.js';
import { identityAttributeName } from '../../src/outputs/identity-attributes.js';

type CallEvaluation = Extract<Evaluation, { kind: 'call' }>;

const AMOUNT = fc.oneof(
  fc.double({ min: 0, max: 1_000, noNaN: true }),
  fc.constantFrom(0, -0, 1e-12, 0.0055),
);

const COST: fc.Arbitrary<CostResult> = fc.oneof(
  fc.record({
    priced: fc.constant(true as const),
    source: fc.constantFrom('price_table' as const, 'override' as const),
    totalUsd: AMOUNT,
    inputUsd: AMOUNT,
    outputUsd: AMOUNT,
    cacheReadUsd: AMOUNT,
    cacheWriteUsd: AMOUNT,
    modelId: fc.constantFrom('gpt-4o', ''),
    priceVersion: fc.constantFrom('override', 'genai-prices@1+corrections.x'),
  }),
  AMOUNT.map((totalUsd): CostResult => ({
    priced: true,
    source: 'provider',
    totalUsd,
    priceVersion: 'provider',
  })),
  fc
    .constantFrom(
      'unknown_model' as const,
      'missing_usage' as const,
      'invalid_usage' as const,
    )
    .map((reason): CostResult => ({ priced: false, reason })),
);

const ISSUES = fc.subarray<UsageIssue>([
  'input_excluded_cache',
  'cache_exceeds_input',
  'reasoning_exceeds_output',
  'output_excluded_reasoning',
  'invalid_usage',
]);

function evaluation(cost: CostResult, issues: UsageIssue[]): CallEvaluation {
  const call: LlmCall = {
    emitter: 'gen_ai',
    provider: 'openai',
    model: 'gpt-4o',
    operation: 'chat',
    usage: undefined,
    reportedCostUsd: undefined,
    responseId: undefined,
    startTimeMillis: 0,
    issues,
  };
  return {
    kind: 'call',
    call,
    cost,
    identity: {
      userId: undefined,
      sessionId: undefined,
      tenantId: undefined,
      plan: undefined,
      feature: undefined,
      tags: {},
      source: 'none',
    },
  };
}

describe('newCallCostAttributes against costAttributes', () => {
  it('gives the same keys in the same order and the same values', () => {
    fc.assert(
      fc.property(COST, ISSUES, (cost, issues) => {
        const ev = evaluation(cost, issues);
        const literal = newCallCostAttributes(ev);
        const general = costAttributes(ev, {});
        expect(Object.entries(literal)).toEqual(Object.entries(general));
        // The issues are a copy, not the call's own list.
        if (issues.length > 0) {
          expect(literal['gen_ai.cost.issues']).not.toBe(issues);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('writes a table price of gpt-4o as published ($2.50/M input, $10/M output)', () => {
    // 1,000 input and 300 output tokens: $0.0025 + $0.003.
    const ev = evaluation(
      {
        priced: true,
        source: 'price_table',
        totalUsd: 0.0055,
        inputUsd: 0.0025,
        outputUsd: 0.003,
        cacheReadUsd: 0,
        cacheWriteUsd: 0,
        modelId: 'gpt-4o',
        priceVersion: 'genai-prices@test',
      },
      [],
    );
    expect(Object.entries(newCallCostAttributes(ev))).toEqual([
      ['gen_ai.usage.cost', 0.0055],
      ['gen_ai.cost.input', 0.0025],
      ['gen_ai.cost.output', 0.003],
      ['gen_ai.cost.cache_read', 0],
      ['gen_ai.cost.cache_write', 0],
      ['gen_ai.cost.currency', 'USD'],
      ['gen_ai.cost.source', 'price_table'],
      ['gen_ai.cost.price_version', 'genai-prices@test'],
    ]);
  });
});

/** The names the documentation publishes for each tag. */
const NAMED: Readonly<Record<string, string>> = {
  userId: 'user.id',
  sessionId: 'session.id',
  tenantId: 'tenant.id',
  plan: 'app.plan',
  feature: 'app.feature',
};

describe('identityAttributeName', () => {
  it('names the well-known tags, and app.tag.<key> for any other', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(
            ...Object.keys(NAMED),
            'constructor',
            '__proto__',
            'toString',
            'hasOwnProperty',
            'userid',
            'user_id',
            'team',
            '',
          ),
          fc.string(),
        ),
        tag => {
          expect(identityAttributeName(tag)).toBe(
            Object.hasOwn(NAMED, tag) ? NAMED[tag] : `app.tag.${tag}`,
          );
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

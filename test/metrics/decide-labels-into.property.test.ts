/**
 * The metrics sink labels a call without building a decision object
 * (`decideLabelsInto`, issue 15). On generated calls and policies (allow-
 * lists, first-seen tenants past their bound, hash buckets or none,
 * priced, unpriced and provider-reported costs) it must give exactly the
 * labels and lost labels of `LabelPolicy.decide`, call after call.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CostRecord } from '../../src/core/cost-record.js';
import type { Identity } from '../../src/core/identity.js';
import type { CostResult } from '../../src/core/price/cost-result.js';
import {
  decideLabelsInto,
  LabelPolicy,
  LOST_MODEL,
  LOST_PLAN,
  LOST_PROVIDER,
  LOST_TENANT,
  type LabelName,
  type MutableCostLabels,
} from '../../src/metrics/label-policy.js';
import type { LabelPolicyOptions } from '../../src/metrics/label-policy-options.js';
import { call } from './records.js';

function identity(
  plan: string | undefined,
  tenantId: string | undefined,
): Identity {
  return {
    userId: undefined,
    sessionId: undefined,
    feature: undefined,
    plan,
    tenantId,
    tags: {},
    source: 'context',
  };
}

const MAYBE = <T>(values: readonly T[]) =>
  fc.option(fc.constantFrom(...values), { nil: undefined });

const COST: fc.Arbitrary<CostResult> = fc.oneof(
  fc.record({
    priced: fc.constant(true as const),
    source: fc.constantFrom('price_table' as const, 'override' as const),
    totalUsd: fc.constant(0.001),
    inputUsd: fc.constant(0.0005),
    outputUsd: fc.constant(0.0005),
    cacheReadUsd: fc.constant(0),
    cacheWriteUsd: fc.constant(0),
    modelId: fc.constantFrom('gpt-4o', 'GPT-4o-Mini', '', 'claude-sonnet-4-5'),
    priceVersion: fc.constant('test'),
  }),
  fc.constant<CostResult>({
    priced: true,
    source: 'provider',
    totalUsd: 0.002,
    priceVersion: 'provider',
  }),
  fc.constantFrom<CostResult>(
    { priced: false, reason: 'unknown_model' },
    { priced: false, reason: 'missing_usage' },
  ),
);

const RECORD: fc.Arbitrary<CostRecord> = fc.record({
  call: fc
    .tuple(
      MAYBE(['openai', 'anthropic', 'acme-llm', 'other']),
      MAYBE(['gpt-4o-2024-08-06', 'openrouter/GPT-4o', 'mystery', '']),
    )
    .map(([provider, model]) => call(provider, model)),
  cost: COST,
  identity: fc
    .tuple(
      MAYBE(['free', 'pro', 'enterprise', 'other']),
      MAYBE(['acme', 'globex', 'initech', 'umbrella', 'bucket-03', 't5']),
    )
    .map(([plan, tenantId]) => identity(plan, tenantId)),
});

const OPTIONS: fc.Arbitrary<LabelPolicyOptions> = fc.record(
  {
    tenantTopK: fc.integer({ min: 0, max: 3 }),
    tenantBuckets: fc.constantFrom(0, 1, 16, 100),
    tenants: fc.subarray(['acme', 'globex']),
    plans: fc.subarray(['free', 'pro']),
    models: fc.subarray(['gpt-4o', 'mystery']),
    providers: fc.subarray(['openai', 'acme-llm']),
  },
  { requiredKeys: [] },
);

const BITS: readonly [LabelName, number][] = [
  ['provider', LOST_PROVIDER],
  ['model', LOST_MODEL],
  ['plan', LOST_PLAN],
  ['tenant', LOST_TENANT],
];

describe('decideLabelsInto against LabelPolicy.decide', () => {
  it('gives the same labels and lost labels, call after call', () => {
    fc.assert(
      fc.property(
        OPTIONS,
        fc.array(RECORD, { maxLength: 30 }),
        (options, records) => {
          // Two policies: first-seen tenants are admitted by each in turn.
          const reference = new LabelPolicy(options);
          const policy = new LabelPolicy(options);
          const into: MutableCostLabels = {
            provider: 'x',
            model: 'x',
            plan: 'x',
            tenant: 'x',
          };
          for (const record of records) {
            const decision = reference.decide(record);
            const lost = decideLabelsInto(policy, record, into);
            expect({ ...into }).toEqual(decision.labels);
            expect(
              BITS.filter(([, bit]) => (lost & bit) !== 0).map(([n]) => n),
            ).toEqual(decision.overflowed);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('labels a known call as the published vocabulary says', () => {
    const policy = new LabelPolicy({ tenantTopK: 1, tenantBuckets: 16 });
    const into: MutableCostLabels = {
      provider: '',
      model: '',
      plan: '',
      tenant: '',
    };
    const priced: CostResult = {
      priced: true,
      source: 'price_table',
      totalUsd: 0.0055,
      inputUsd: 0.0025,
      outputUsd: 0.003,
      cacheReadUsd: 0,
      cacheWriteUsd: 0,
      modelId: 'gpt-4o',
      priceVersion: 'test',
    };
    const first = decideLabelsInto(
      policy,
      {
        call: call('openai', 'gpt-4o-2024-08-06'),
        cost: priced,
        identity: identity(undefined, 'acme'),
      },
      into,
    );
    expect(first).toBe(0);
    expect(into).toEqual({
      provider: 'openai',
      model: 'gpt-4o',
      plan: 'none',
      tenant: 'acme',
    });
    // The one first-seen slot is taken: the next tenant is bucketed.
    const second = decideLabelsInto(
      policy,
      {
        call: call('acme-llm', 'x'),
        cost: { priced: false, reason: 'unknown_model' },
        identity: identity(undefined, 'globex'),
      },
      into,
    );
    expect(second).toBe(LOST_PROVIDER | LOST_TENANT);
    expect(into.provider).toBe('other');
    expect(into.model).toBe('unpriced');
    expect(into.tenant).toMatch(/^bucket-\d\d$/);
  });
});

/**
 * 100,000 distinct users and 10,000 distinct tenants through `CostMetrics`
 * on a real MeterProvider with a real (cumulative) MetricReader, collected
 * after each of 10 rounds that bring 1,000 tenants never seen before. The
 * exported series must stay under the configured bound in every collection,
 * and the counters must still add up exactly (overflow included). Amounts
 * are whole micro-dollars, compared after rounding the float sums to micro-
 * dollars: 100k additions of values < 0.01 USD stay far below 0.5 µUSD of
 * float error, so any missing or double-counted call shows up.
 */
import { describe, expect, it } from 'vitest';
import { CostMetrics } from '../../src/metrics/cost-metrics.js';
import { LabelPolicy } from '../../src/metrics/label-policy.js';
import {
  METRIC_CALLS,
  METRIC_COST,
  METRIC_LABEL_OVERFLOW,
  METRIC_TOKENS,
  METRIC_UNPRICED_CALLS,
} from '../../src/metrics/metric-names.js';
import type { CostRecord } from '../../src/core/cost-record.js';
import {
  pointsByMetric,
  setupMeter,
  sumBy,
  total,
  type Point,
} from './collecting-reader.js';
import {
  call,
  identity,
  pricedMicro,
  record,
  seededRandom,
  usage,
} from './records.js';

const ROUNDS = 10;
const USERS_PER_ROUND = 10_000;
const TENANTS_PER_ROUND = 1_000;
const NAMED = Array.from({ length: 20 }, (_, i) => tenantName(i));
const PLANS = ['free', 'pro', 'enterprise', 'trial'];

const MODELS: readonly { provider: string; model: string; priced: boolean }[] =
  [
    { provider: 'openai', model: 'gpt-4o-mini', priced: true },
    { provider: 'openai', model: 'gpt-4o', priced: true },
    { provider: 'anthropic', model: 'claude-sonnet-4-5', priced: true },
    { provider: 'gcp.gemini', model: 'gemini-2.5-flash', priced: true },
    { provider: 'openai', model: 'my-finetune-xyz', priced: false },
  ];

function tenantName(index: number): string {
  return `tenant-${String(index).padStart(5, '0')}`;
}

interface Traffic {
  readonly records: CostRecord[];
  readonly microUsd: number[];
}

/** One round: 10k new users, 1k new tenants, every 10th call from a named tenant. */
function round(
  index: number,
  random: () => number,
  pick: (
    user: number,
    tenant: number,
    random: () => number,
  ) => { provider: string; model: string; priced: boolean; plan: string },
): Traffic {
  const records: CostRecord[] = [];
  const microUsd: number[] = [];
  let unnamed = 0;
  for (let i = 0; i < USERS_PER_ROUND; i++) {
    const user = index * USERS_PER_ROUND + i;
    const tenantIndex =
      i % 10 === 0
        ? (i / 10) % NAMED.length
        : NAMED.length +
          index * TENANTS_PER_ROUND +
          (unnamed++ % TENANTS_PER_ROUND);
    const tenant = tenantName(tenantIndex);
    const choice = pick(user, tenantIndex, random);
    const micro = 1 + Math.floor(random() * 5000);
    const tokens = usage(100 + (user % 900), 10 + (user % 90), {
      cacheReadTokens: user % 3 === 0 ? 50 : 0,
      reasoningTokens: user % 5 === 0 ? 7 : 0,
    });
    records.push(
      record(
        call(choice.provider, choice.model, tokens),
        choice.priced
          ? pricedMicro(micro)
          : { priced: false, reason: 'unknown_model' },
        identity({
          userId: `user-${user}`,
          tenantId: tenant,
          plan: choice.plan,
        }),
      ),
    );
    microUsd.push(choice.priced ? micro : 0);
  }
  return { records, microUsd };
}

function micro(value: number): number {
  return Math.round(value * 1e6);
}

function countSeries(byMetric: Map<string, Point[]>, name: string): number {
  return byMetric.get(name)?.length ?? 0;
}

describe('CostMetrics series bound over time (cumulative)', () => {
  it('policy-bounded labels: series stay under the bound and every label total is exact', async () => {
    const { reader, meterProvider } = setupMeter();
    const policy = new LabelPolicy({
      tenants: NAMED,
      tenantBuckets: 8,
      plans: ['free', 'pro', 'enterprise'],
      env: {},
    });
    const costMetrics = new CostMetrics({ meterProvider, labelPolicy: policy });
    const bound = costMetrics.seriesBound;
    const random = seededRandom(7);
    const planOf = (tenant: number) => PLANS[tenant % PLANS.length] as string;

    const expectedByTenant = new Map<string, number>();
    const expectedByPlan = new Map<string, number>();
    const expectedByPlanCalls = new Map<string, number>();
    let expectedMicro = 0;
    let expectedCalls = 0;
    let expectedUnpriced = 0;
    let expectedInput = 0;
    let expectedCacheRead = 0;
    const seriesPerCollection: number[] = [];
    const users = new Set<string>();
    const tenants = new Set<string>();

    for (let r = 0; r < ROUNDS; r++) {
      const traffic = round(r, random, (_user, tenant, rnd) => {
        const model = MODELS[
          Math.floor(rnd() * MODELS.length)
        ] as (typeof MODELS)[number];
        return { ...model, plan: planOf(tenant) };
      });
      traffic.records.forEach((rec, i) => {
        costMetrics.record(rec);
        const amount = traffic.microUsd[i] as number;
        const tenant = rec.identity.tenantId as string;
        const tenantLabel = NAMED.includes(tenant)
          ? tenant
          : policy.bucketOf(tenant);
        const plan = rec.identity.plan as string;
        const planLabel = plan === 'trial' ? 'other' : plan;
        expectedByTenant.set(
          tenantLabel,
          (expectedByTenant.get(tenantLabel) ?? 0) + amount,
        );
        expectedByPlan.set(
          planLabel,
          (expectedByPlan.get(planLabel) ?? 0) + amount,
        );
        expectedByPlanCalls.set(
          planLabel,
          (expectedByPlanCalls.get(planLabel) ?? 0) + 1,
        );
        expectedMicro += amount;
        expectedCalls += 1;
        if (!rec.cost.priced) expectedUnpriced += 1;
        expectedInput += rec.call.usage?.inputTokens ?? 0;
        expectedCacheRead += rec.call.usage?.cacheReadTokens ?? 0;
        users.add(rec.identity.userId as string);
        tenants.add(tenant);
      });

      const collected = pointsByMetric(await reader.collect());
      expect(countSeries(collected, METRIC_COST)).toBeLessThanOrEqual(
        bound.cost,
      );
      expect(countSeries(collected, METRIC_CALLS)).toBeLessThanOrEqual(
        bound.calls,
      );
      expect(countSeries(collected, METRIC_TOKENS)).toBeLessThanOrEqual(
        bound.tokens,
      );
      expect(countSeries(collected, METRIC_UNPRICED_CALLS)).toBeLessThanOrEqual(
        bound.unpricedCalls,
      );
      expect(countSeries(collected, METRIC_LABEL_OVERFLOW)).toBeLessThanOrEqual(
        bound.labelOverflow,
      );
      // Tighter, from the policy: a tenant has one plan, so (20 named + 8
      // buckets x 4 plan labels) x 5 models.
      expect(countSeries(collected, METRIC_CALLS)).toBeLessThanOrEqual(
        (20 + 8 * 4) * 5,
      );
      for (const points of collected.values()) {
        for (const point of points)
          expect(point.attributes['otel.metric.overflow']).toBeUndefined();
        for (const point of points)
          expect(point.attributes['user.id']).toBeUndefined();
      }
      seriesPerCollection.push(
        [...collected.values()].reduce((n, points) => n + points.length, 0),
      );

      // Totals after every round, not only at the end.
      expect(micro(total(collected.get(METRIC_COST)))).toBe(expectedMicro);
      expect(total(collected.get(METRIC_CALLS))).toBe(expectedCalls);
    }

    expect(users.size).toBe(100_000);
    expect(tenants.size).toBe(10_000 + NAMED.length);
    // The series count stops growing once every label value has been seen.
    expect(seriesPerCollection.at(-1)).toBe(seriesPerCollection.at(1));

    const final = pointsByMetric(await reader.collect());
    const costByTenant = sumBy(final.get(METRIC_COST) ?? [], 'tenant');
    expect(new Set(costByTenant.keys())).toEqual(
      new Set(expectedByTenant.keys()),
    );
    for (const [tenant, amount] of expectedByTenant) {
      expect(micro(costByTenant.get(tenant) ?? 0), tenant).toBe(amount);
    }
    const costByPlan = sumBy(final.get(METRIC_COST) ?? [], 'plan');
    for (const [plan, amount] of expectedByPlan) {
      expect(micro(costByPlan.get(plan) ?? 0), plan).toBe(amount);
    }
    expect(total(final.get(METRIC_UNPRICED_CALLS))).toBe(expectedUnpriced);
    const tokens = sumBy(final.get(METRIC_TOKENS) ?? [], 'gen_ai.token.type');
    expect(tokens.get('input')).toBe(expectedInput);
    expect(tokens.get('cache_read')).toBe(expectedCacheRead);
    const overflow = sumBy(final.get(METRIC_LABEL_OVERFLOW) ?? [], 'label');
    // 90% of calls come from tenants outside the allow-list (hash buckets),
    // and a quarter of tenants are on the `trial` plan (not allow-listed).
    expect(overflow.get('tenant')).toBe(90_000);
    expect(overflow.get('plan')).toBe(expectedByPlanCalls.get('other'));
    expect(overflow.get('label_set')).toBeUndefined();
    await meterProvider.shutdown();
  });

  it('hard cap: label sets beyond maxLabelSets collapse into the all-other set, totals stay exact', async () => {
    const { reader, meterProvider } = setupMeter();
    const costMetrics = new CostMetrics({
      meterProvider,
      tenants: NAMED,
      tenantTopK: 50,
      plans: ['free', 'pro', 'enterprise'],
      maxLabelSets: 200,
      env: {},
    });
    const bound = costMetrics.seriesBound;
    expect(bound).toEqual({
      cost: 200,
      calls: 200,
      tokens: 1000,
      unpricedCalls: 1200, // 6 unpriced reasons
      labelOverflow: 5,
    });
    const random = seededRandom(11);
    let expectedMicro = 0;
    let expectedCalls = 0;
    const seriesCounts: number[] = [];

    for (let r = 0; r < ROUNDS; r++) {
      // Adversarial: priced model ids that keep changing (a prefix-matched
      // price), plans from a large set, a first-seen top-K of 50 tenants.
      const traffic = round(r, random, (user, _tenant, rnd) => ({
        provider: 'openai',
        model: `gpt-4o-mini-variant-${Math.floor(rnd() * 1000)}`,
        priced: true,
        plan: `plan-${user % 50}`,
      }));
      traffic.records.forEach((rec, i) => {
        costMetrics.record(rec);
        expectedMicro += traffic.microUsd[i] as number;
        expectedCalls += 1;
      });
      const collected = pointsByMetric(await reader.collect());
      expect(countSeries(collected, METRIC_COST)).toBeLessThanOrEqual(
        bound.cost,
      );
      expect(countSeries(collected, METRIC_CALLS)).toBeLessThanOrEqual(
        bound.calls,
      );
      expect(countSeries(collected, METRIC_TOKENS)).toBeLessThanOrEqual(
        bound.tokens,
      );
      expect(countSeries(collected, METRIC_LABEL_OVERFLOW)).toBeLessThanOrEqual(
        bound.labelOverflow,
      );
      seriesCounts.push(countSeries(collected, METRIC_CALLS));
      expect(micro(total(collected.get(METRIC_COST)))).toBe(expectedMicro);
      expect(total(collected.get(METRIC_CALLS))).toBe(expectedCalls);
    }
    expect(seriesCounts.every(count => count === 200)).toBe(true);

    const final = pointsByMetric(await reader.collect());
    const calls = final.get(METRIC_CALLS) ?? [];
    const allOther = calls.filter(point =>
      ['gen_ai.provider.name', 'gen_ai.response.model', 'plan', 'tenant'].every(
        key => point.attributes[key] === 'other',
      ),
    );
    const overflow = sumBy(final.get(METRIC_LABEL_OVERFLOW) ?? [], 'label');
    // Every call that did not fit went to the one all-other series, and the
    // overflow counter says how many: the two agree exactly.
    expect(overflow.get('label_set')).toBeGreaterThan(50_000);
    expect(total(allOther)).toBe(overflow.get('label_set'));
    await meterProvider.shutdown();
  });

  it('baseline: without a label policy the SDK cardinality limit does not bound cumulative series', async () => {
    const { reader, meterProvider } = setupMeter();
    const counter = meterProvider
      .getMeter('baseline')
      .createCounter('raw.cost');
    let series = 0;
    for (let r = 0; r < ROUNDS; r++) {
      for (let i = 0; i < TENANTS_PER_ROUND; i++)
        counter.add(1, { tenant: tenantName(r * TENANTS_PER_ROUND + i) });
      series = countSeries(pointsByMetric(await reader.collect()), 'raw.cost');
    }
    // Default limit 2000 per collection; cumulative keeps them all.
    expect(series).toBe(10_000);
    await meterProvider.shutdown();
  });
});

/**
 * The metrics sink counts a call with the same label inputs as the last one
 * straight into the last call's totals (`LastLabelSet`, issue 15). On
 * generated policies (allow-lists, first-seen tenants past their bound,
 * hash buckets or none, a label-set cap small enough to overflow) and runs
 * of calls that often repeat, every collected point must equal what a sink
 * that decides each call afresh collects (a policy subclass overriding
 * `decide` with the same rules: the sink then never takes the shortcut).
 */
import fc from 'fast-check';
import { metrics } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import type { CostRecord } from '../../src/core/cost-record.js';
import type { CostResult } from '../../src/core/price/cost-result.js';
import { CostMetrics } from '../../src/metrics/cost-metrics.js';
import {
  LabelPolicy,
  type LabelDecision,
} from '../../src/metrics/label-policy.js';
import type { LabelPolicyOptions } from '../../src/metrics/label-policy-options.js';
import { pointsByMetric, setupMeter } from './collecting-reader.js';
import { call, identity, pricedMicro, record, usage } from './records.js';

/** The same rules, taken afresh for every call. */
class FreshPolicy extends LabelPolicy {
  override decide(record: CostRecord): LabelDecision {
    return super.decide(record);
  }
}

const COSTS: readonly CostResult[] = [
  pricedMicro(1_000, 'price_table', 'gpt-4o'),
  pricedMicro(2_000, 'price_table', 'gpt-4o-mini'),
  pricedMicro(3_000, 'override', 'gpt-4o'),
  pricedMicro(4_000, 'price_table', ''),
  {
    priced: true,
    source: 'provider',
    totalUsd: 0.005,
    priceVersion: 'provider',
  },
  { priced: false, reason: 'unknown_model' },
  { priced: false, reason: 'missing_usage' },
];

const MAYBE = <T>(values: readonly T[]) =>
  fc.option(fc.constantFrom(...values), { nil: undefined, freq: 3 });

/** The label inputs of one call, and its token counts. */
interface Fields {
  readonly provider: string | undefined;
  readonly model: string | undefined;
  readonly cost: CostResult;
  readonly plan: string | undefined;
  readonly tenantId: string | undefined;
  readonly input: number;
  readonly output: number;
}

const PROVIDER = fc.constantFrom('openai', 'anthropic', undefined, 'acme-llm');
const MODEL = fc.constantFrom('gpt-4o-2024-08-06', 'gpt-4o-mini', undefined);
const COST = fc.constantFrom(...COSTS);
const PLAN = fc.constantFrom('free', 'pro', undefined);
const TENANT = fc.constantFrom('acme', 'globex', undefined);
const COUNT = fc.integer({ min: 0, max: 5_000 });

const FIELDS: fc.Arbitrary<Fields> = fc.record({
  provider: PROVIDER,
  model: MODEL,
  cost: COST,
  plan: PLAN,
  tenantId: TENANT,
  input: COUNT,
  output: COUNT,
});

/** The next call: the same as the last one but for at most one field. */
const STEP: fc.Arbitrary<Partial<Fields>> = fc.oneof(
  fc.constant({}),
  PROVIDER.map(provider => ({ provider })),
  MODEL.map(model => ({ model })),
  COST.map(cost => ({ cost })),
  PLAN.map(plan => ({ plan })),
  TENANT.map(tenantId => ({ tenantId })),
  fc.tuple(COUNT, COUNT).map(([input, output]) => ({ input, output })),
);

function recordOf(f: Fields): CostRecord {
  return record(
    // A model id equal to the last one is another string object, as read
    // from another span.
    call(f.provider, copyOf(f.model), usage(f.input, f.output)),
    f.cost,
    identity({
      ...(f.plan === undefined ? {} : { plan: f.plan }),
      ...(f.tenantId === undefined ? {} : { tenantId: f.tenantId }),
    }),
  );
}

/** Calls that walk through the inputs one field at a time. */
const TRAFFIC: fc.Arbitrary<CostRecord[]> = fc
  .tuple(FIELDS, fc.array(STEP, { maxLength: 40 }))
  .map(([first, steps]) => {
    let fields = first;
    const records = [recordOf(fields)];
    for (const step of steps) {
      fields = { ...fields, ...step };
      records.push(recordOf(fields));
    }
    return records;
  });

/** An equal string that is another object (a model id read from a span). */
function copyOf(value: string | undefined): string | undefined {
  return value === undefined ? undefined : [...value].join('');
}

/**
 * Policies that keep most labels (so the shortcut is taken often), and
 * some that lose them; an option left out is the default.
 */
const OPTIONS: fc.Arbitrary<LabelPolicyOptions> = fc
  .record({
    tenantTopK: fc.integer({ min: 0, max: 3 }),
    tenantBuckets: fc.constantFrom(0, 1, 16),
    tenants: fc.subarray(['acme', 'globex', 'initech']),
    plans: MAYBE([['free', 'pro', 'gold'], ['free']]),
    models: MAYBE([['gpt-4o', 'gpt-4o-mini', 'mystery'], ['gpt-4o']]),
    providers: MAYBE([['openai', 'anthropic', 'acme-llm'], ['openai']]),
    maxLabelSets: fc.integer({ min: 1, max: 12 }),
  })
  .map(
    options =>
      Object.fromEntries(
        Object.entries(options).filter(([, value]) => value !== undefined),
      ) as LabelPolicyOptions,
  );

/** Every point of one collection, as sorted lines. */
async function collected(
  options: LabelPolicyOptions,
  records: readonly CostRecord[],
  fresh: boolean,
): Promise<string[]> {
  const { reader, meterProvider } = setupMeter();
  const sink = new CostMetrics({
    meterProvider,
    env: {},
    ...(fresh
      ? { labelPolicy: new FreshPolicy({ ...options, env: {} }) }
      : { ...options }),
  });
  for (const r of records) sink.record(r);
  const lines: string[] = [];
  for (const [name, points] of pointsByMetric(await reader.collect())) {
    for (const point of points) {
      const labels = Object.entries(point.attributes)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(',');
      lines.push(`${name}{${labels}} ${point.value}`);
    }
  }
  await meterProvider.shutdown();
  return lines.sort();
}

describe('metrics: the last label set against a fresh decision per call', () => {
  afterEach(() => {
    metrics.disable();
  });

  it('forgets the last totals when a new global MeterProvider starts from zero', async () => {
    const sink = new CostMetrics({ env: {} });
    const gpt4oMini = record(
      call('openai', 'gpt-4o-mini', usage(1_000, 300)),
      pricedMicro(330, 'price_table', 'gpt-4o-mini'),
      identity({}),
    );
    const first = setupMeter();
    metrics.setGlobalMeterProvider(first.meterProvider);
    sink.record(gpt4oMini);
    metrics.disable();
    const second = setupMeter();
    metrics.setGlobalMeterProvider(second.meterProvider);
    sink.record(gpt4oMini);
    const calls = pointsByMetric(await second.reader.collect()).get(
      'gen_ai.client.cost.calls',
    );
    expect(calls?.map(point => point.value)).toEqual([1]);
    await first.meterProvider.shutdown();
    await second.meterProvider.shutdown();
  });

  it('collects the same points, overflows included', async () => {
    await fc.assert(
      fc.asyncProperty(OPTIONS, TRAFFIC, async (options, records) => {
        expect(await collected(options, records, false)).toEqual(
          await collected(options, records, true),
        );
      }),
      { numRuns: 400 },
    );
  });

  it('a repeated call after a first-seen tenant slot filled keeps its labels', async () => {
    // gpt-4o at $2.50/M input and $10/M output (published OpenAI prices):
    // 1,000 input and 300 output tokens cost $0.0055.
    const gpt4o: CostResult = {
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
    const acme = record(
      call('openai', 'gpt-4o-2024-08-06', usage(1_000, 300)),
      gpt4o,
      identity({ tenantId: 'acme' }),
    );
    const globex = record(
      call('openai', 'gpt-4o-2024-08-06', usage(1_000, 300)),
      gpt4o,
      identity({ tenantId: 'globex' }),
    );
    const options = { tenantTopK: 1, tenantBuckets: 0 };
    const traffic = [acme, acme, globex, globex, acme];
    const lines = await collected(options, traffic, false);
    expect(lines).toEqual(await collected(options, traffic, true));
    expect(lines).toContain(
      'gen_ai.client.cost.calls{gen_ai.provider.name=openai,gen_ai.response.model=gpt-4o,plan=none,tenant=acme} 3',
    );
    expect(lines).toContain(
      'gen_ai.client.cost.calls{gen_ai.provider.name=openai,gen_ai.response.model=gpt-4o,plan=none,tenant=other} 2',
    );
    expect(lines).toContain(
      'gen_ai.client.cost.label_overflow{label=tenant} 2',
    );
    // $0.0055 a call: three for acme, two for the tenant that lost its slot.
    expect(lines).toContain(
      'gen_ai.client.cost{gen_ai.provider.name=openai,gen_ai.response.model=gpt-4o,plan=none,tenant=acme} 0.0165',
    );
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import {
  diag,
  DiagLogLevel,
  metrics,
  type MeterProvider,
} from '@opentelemetry/api';
import { CostMetrics } from '../../src/metrics/cost-metrics.js';
import {
  pointsByMetric,
  setupMeter,
  sumBy,
  total,
} from './collecting-reader.js';
import { call, identity, pricedMicro, record, usage } from './records.js';

const ACME_PRO = identity({ userId: 'u-1', tenantId: 'acme', plan: 'pro' });
const LABELS = {
  'gen_ai.provider.name': 'openai',
  'gen_ai.response.model': 'gpt-4o-mini',
  plan: 'pro',
  tenant: 'acme',
};

afterEach(() => {
  metrics.disable();
  diag.disable();
});

describe('CostMetrics', () => {
  it('records cost, calls and tokens by type with the bounded labels', async () => {
    const { reader, meterProvider } = setupMeter();
    const costMetrics = new CostMetrics({
      meterProvider,
      tenants: ['acme'],
      plans: ['pro'],
      env: {},
    });
    const tokens = usage(1000, 300, {
      cacheReadTokens: 400,
      reasoningTokens: 100,
    });
    costMetrics.record(
      record(
        call('openai', 'gpt-4o-mini', tokens),
        pricedMicro(1234),
        ACME_PRO,
      ),
    );
    costMetrics.record(
      record(
        call('openai', 'gpt-4o-mini', tokens),
        pricedMicro(1000),
        ACME_PRO,
      ),
    );

    const points = pointsByMetric(await reader.collect());
    expect(points.get('gen_ai.client.cost')).toEqual([
      { attributes: LABELS, value: 0.002234 },
    ]);
    expect(points.get('gen_ai.client.cost.calls')).toEqual([
      { attributes: LABELS, value: 2 },
    ]);
    const byType = sumBy(
      points.get('gen_ai.client.cost.tokens') ?? [],
      'gen_ai.token.type',
    );
    // input/output are totals (cache and reasoning included); no cache_write
    // series, because no call had any.
    expect(Object.fromEntries(byType)).toEqual({
      input: 2000,
      output: 600,
      cache_read: 800,
      reasoning: 200,
    });
    expect(points.get('gen_ai.client.cost.unpriced_calls')).toBeUndefined();
    expect(points.get('gen_ai.client.cost.label_overflow')).toBeUndefined();
    await meterProvider.shutdown();
  });

  it('counts unpriced calls by reason and never records a zero cost for them', async () => {
    const { reader, meterProvider } = setupMeter();
    const costMetrics = new CostMetrics({ meterProvider, env: {} });
    costMetrics.record(
      record(
        call('openai', 'my-finetune', usage(10, 5)),
        { priced: false, reason: 'unknown_model' },
        ACME_PRO,
      ),
    );
    costMetrics.record(
      record(
        call('openai', 'gpt-4o', undefined),
        { priced: false, reason: 'missing_usage' },
        ACME_PRO,
      ),
    );

    const points = pointsByMetric(await reader.collect());
    expect(points.get('gen_ai.client.cost')).toBeUndefined();
    expect(total(points.get('gen_ai.client.cost.calls'))).toBe(2);
    const reasons = sumBy(
      points.get('gen_ai.client.cost.unpriced_calls') ?? [],
      'gen_ai.cost.unpriced_reason',
    );
    expect(Object.fromEntries(reasons)).toEqual({
      unknown_model: 1,
      missing_usage: 1,
    });
    for (const point of points.get('gen_ai.client.cost.calls') ?? []) {
      expect(point.attributes['gen_ai.response.model']).toBe('unpriced');
    }
    expect(total(points.get('gen_ai.client.cost.tokens'))).toBe(15);
    await meterProvider.shutdown();
  });

  it('counts overflowed label values by label name', async () => {
    const { reader, meterProvider } = setupMeter();
    const costMetrics = new CostMetrics({
      meterProvider,
      tenants: ['acme'],
      tenantBuckets: 4,
      env: {},
    });
    const who = identity({
      userId: 'u',
      tenantId: 'globex',
      plan: 'enterprise',
    });
    costMetrics.record(
      record(
        call('acme-cloud', 'gpt-4o-mini', usage(1, 1)),
        pricedMicro(5),
        who,
      ),
    );

    const points = pointsByMetric(await reader.collect());
    const overflow = sumBy(
      points.get('gen_ai.client.cost.label_overflow') ?? [],
      'label',
    );
    expect(Object.fromEntries(overflow)).toEqual({
      provider: 1,
      plan: 1,
      tenant: 1,
    });
    const [cost] = points.get('gen_ai.client.cost') ?? [];
    expect(cost?.attributes['tenant']).toMatch(/^bucket-\d$/);
    expect(cost?.attributes['gen_ai.provider.name']).toBe('other');
    await meterProvider.shutdown();
  });

  it('follows the global MeterProvider registered after it was built', async () => {
    const costMetrics = new CostMetrics({ env: {} });
    // Before any provider is registered: a no-op, not an error.
    costMetrics.record(
      record(
        call('openai', 'gpt-4o-mini', usage(1, 1)),
        pricedMicro(1),
        ACME_PRO,
      ),
    );
    const { reader, meterProvider } = setupMeter();
    metrics.setGlobalMeterProvider(meterProvider);
    costMetrics.record(
      record(
        call('openai', 'gpt-4o-mini', usage(1, 1)),
        pricedMicro(7),
        ACME_PRO,
      ),
    );
    const points = pointsByMetric(await reader.collect());
    expect(total(points.get('gen_ai.client.cost.calls'))).toBe(1);
    expect(total(points.get('gen_ai.client.cost'))).toBeCloseTo(0.000007, 12);
    await meterProvider.shutdown();
  });

  it('never throws into the caller; logs one diag error instead', () => {
    const errors: unknown[] = [];
    diag.setLogger(
      {
        error: (...args) => errors.push(args),
        warn: () => {},
        info: () => {},
        debug: () => {},
        verbose: () => {},
      },
      DiagLogLevel.ERROR,
    );
    const broken = {
      getMeter: () => {
        throw new Error('meter provider is broken');
      },
    } as unknown as MeterProvider;
    const costMetrics = new CostMetrics({ meterProvider: broken, env: {} });
    expect(() =>
      costMetrics.record(
        record(
          call('openai', 'gpt-4o-mini', usage(1, 1)),
          pricedMicro(1),
          ACME_PRO,
        ),
      ),
    ).not.toThrow();
    expect(errors).toHaveLength(1);
  });
});

describe('CostMetrics.initialize', () => {
  it('creates the seeded series at zero through the label policy', async () => {
    const { reader, meterProvider } = setupMeter();
    const costMetrics = new CostMetrics({
      meterProvider,
      tenants: ['acme'],
      plans: ['pro'],
      env: {},
    });
    costMetrics.initialize([
      {
        provider: 'openai',
        model: 'gpt-4o-mini',
        plan: 'pro',
        tenantId: 'acme',
      },
      {
        provider: 'openai',
        model: 'acme-llm',
        plan: 'pro',
        tenantId: 'globex',
        unpricedReason: 'unknown_model',
      },
    ]);
    const points = pointsByMetric(await reader.collect());
    expect(points.get('gen_ai.client.cost')).toEqual([
      { attributes: LABELS, value: 0 },
    ]);
    expect(points.get('gen_ai.client.cost.calls')).toHaveLength(2);
    expect(points.get('gen_ai.client.cost.unpriced_calls')).toEqual([
      {
        attributes: {
          ...LABELS,
          'gen_ai.response.model': 'unpriced',
          tenant: 'other',
          'gen_ai.cost.unpriced_reason': 'unknown_model',
        },
        value: 0,
      },
    ]);
    expect(total(points.get('gen_ai.client.cost.tokens'))).toBe(0);
    expect(points.get('gen_ai.client.cost.tokens')).toHaveLength(4);
    // Seeding is not overflow traffic.
    expect(points.get('gen_ai.client.cost.label_overflow')).toBeUndefined();
    await meterProvider.shutdown();
  });
});

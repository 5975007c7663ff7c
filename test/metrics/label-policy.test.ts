import { describe, expect, it } from 'vitest';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { normalizeProvider } from '../../src/core/normalize/normalize-provider.js';
import { fnv1a32 } from '../../src/metrics/fnv1a.js';
import { KNOWN_PROVIDER_NAMES } from '../../src/core/normalize/normalize-provider.js';
import { LabelPolicy } from '../../src/metrics/label-policy.js';
import type { CostResult } from '../../src/core/price/cost-result.js';
import { call, identity, pricedMicro, record } from './records.js';

const PRICED = pricedMicro(100);
const UNPRICED: CostResult = { priced: false, reason: 'unknown_model' };
const REPORTED: CostResult = {
  priced: true,
  source: 'provider',
  totalUsd: 0.01,
  priceVersion: 'provider',
};

describe('fnv1a32', () => {
  it('matches the published FNV-1a 32-bit test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('hashes UTF-8 bytes, not UTF-16 code units', () => {
    // "é" is C3 A9 in UTF-8: two FNV rounds.
    let expected = 0x811c9dc5;
    for (const byte of [0xc3, 0xa9])
      expected = Math.imul(expected ^ byte, 0x01000193) >>> 0;
    expect(fnv1a32('é')).toBe(expected);
  });
});

describe('LabelPolicy', () => {
  it('keeps allow-listed tenants and plans, folds the rest into other, absent into none', () => {
    const policy = new LabelPolicy({
      tenants: ['acme'],
      plans: ['pro'],
      env: {},
    });
    expect(policy.tenant('acme')).toEqual({ value: 'acme', lost: false });
    expect(policy.tenant('globex')).toEqual({ value: 'other', lost: true });
    expect(policy.tenant(undefined)).toEqual({ value: 'none', lost: false });
    expect(policy.plan('pro')).toEqual({ value: 'pro', lost: false });
    expect(policy.plan('free')).toEqual({ value: 'other', lost: true });
    expect(policy.plan(undefined)).toEqual({ value: 'none', lost: false });
  });

  it('hash buckets are a pure function of the tenant id (same labels on every replica)', () => {
    const a = new LabelPolicy({ tenantBuckets: 16, env: {} });
    const b = new LabelPolicy({ tenantBuckets: 16, env: {} });
    const ids = Array.from({ length: 2000 }, (_, i) => `tenant-${i}`);
    // Replica b sees the tenants in the opposite order.
    const fromA = ids.map(id => a.tenant(id).value);
    const fromB = [...ids]
      .reverse()
      .map(id => b.tenant(id).value)
      .reverse();
    expect(fromB).toEqual(fromA);
    expect(new Set(fromA).size).toBe(16);
    expect(a.tenant('tenant-1')).toEqual({
      value: `bucket-${String(fnv1a32('tenant-1') % 16).padStart(2, '0')}`,
      lost: true,
    });
    expect(
      new LabelPolicy({ tenantBuckets: 8, env: {} }).bucketOf('x'),
    ).toMatch(/^bucket-\d$/);
    expect(
      new LabelPolicy({ tenantBuckets: 100, env: {} }).bucketOf('x'),
    ).toMatch(/^bucket-\d\d$/);
  });

  it('first-seen top-K depends on arrival order (the documented caveat)', () => {
    const first = new LabelPolicy({ tenantTopK: 2, env: {} });
    const second = new LabelPolicy({ tenantTopK: 2, env: {} });
    for (const id of ['a', 'b', 'c']) first.tenant(id);
    for (const id of ['c', 'b', 'a']) second.tenant(id);
    expect(first.tenant('a').value).toBe('a');
    expect(second.tenant('a').value).toBe('other');
    // Once full, a new tenant never gets in, whatever its traffic.
    for (let i = 0; i < 100; i++)
      expect(first.tenant('late').value).toBe('other');
  });

  it('bounds providers to the known GenAI names', () => {
    const policy = new LabelPolicy({ env: {} });
    expect(policy.provider('openai').value).toBe('openai');
    expect(policy.provider('aws.bedrock').value).toBe('aws.bedrock');
    expect(policy.provider('my-inhouse-llm')).toEqual({
      value: 'other',
      lost: true,
    });
    expect(policy.provider(undefined).value).toBe('none');
  });

  it('every known provider name is a name normalizeProvider produces', () => {
    for (const name of KNOWN_PROVIDER_NAMES)
      expect(normalizeProvider(name)).toBe(name);
  });

  it('models: unpriced collapse to one value, provider-reported costs are other, priced keep their id', () => {
    const policy = new LabelPolicy({ env: {} });
    expect(policy.model('gpt-4o-mini', PRICED)).toEqual({
      value: 'gpt-4o-mini',
      lost: false,
    });
    expect(policy.model('openai/GPT-4o-mini', PRICED).value).toBe(
      'gpt-4o-mini',
    );
    expect(policy.model('some-typo', UNPRICED)).toEqual({
      value: 'unpriced',
      lost: false,
    });
    expect(
      policy.model(undefined, { priced: false, reason: 'missing_model' }).value,
    ).toBe('unpriced');
    expect(policy.model('anything/at-all', REPORTED)).toEqual({
      value: 'other',
      lost: true,
    });
  });

  it('models: an allow-list caps distinct models deterministically', () => {
    const policy = new LabelPolicy({
      models: ['gpt-4o-mini', 'Claude-Sonnet-4-5'],
      env: {},
    });
    expect(policy.model('gpt-4o-mini', PRICED).value).toBe('gpt-4o-mini');
    expect(policy.model('claude-sonnet-4-5', PRICED).value).toBe(
      'claude-sonnet-4-5',
    );
    expect(policy.model('gpt-4o', PRICED)).toEqual({
      value: 'other',
      lost: true,
    });
    expect(policy.model('gpt-4o-mini', REPORTED).value).toBe('gpt-4o-mini');
    expect(policy.model('gpt-4o-mini', UNPRICED).value).toBe('unpriced');
  });

  it('uses the canonical model id when the cost result carries one', () => {
    const policy = new LabelPolicy({ env: {} });
    const withId = {
      ...PRICED,
      modelId: 'gpt-4o-mini',
    } as unknown as CostResult;
    expect(policy.model('gpt-4o-mini-2024-07-18', withId).value).toBe(
      'gpt-4o-mini',
    );
  });

  it('never reads the user id', () => {
    const policy = new LabelPolicy({ tenants: ['acme'], env: {} });
    const decision = policy.decide(
      record(
        call('openai', 'gpt-4o-mini'),
        PRICED,
        identity({
          userId: 'alice@example.com',
          tenantId: 'acme',
          plan: 'pro',
        }),
      ),
    );
    expect(Object.values(decision.labels)).not.toContain('alice@example.com');
    expect(decision).toEqual({
      labels: {
        provider: 'openai',
        model: 'gpt-4o-mini',
        plan: 'other',
        tenant: 'acme',
      },
      overflowed: ['plan'],
    });
  });

  it('resolves options as option ?? env ?? default', () => {
    const env = {
      OTEL_GENAI_COST_METRICS_TENANTS: 'acme, globex ,',
      OTEL_GENAI_COST_METRICS_TENANT_BUCKETS: '32',
      OTEL_GENAI_COST_METRICS_PLANS: 'free,pro',
      OTEL_GENAI_COST_METRICS_MODELS: 'GPT-4o',
      OTEL_GENAI_COST_METRICS_MAX_LABEL_SETS: '50',
    };
    const fromEnv = new LabelPolicy({ env }).options;
    expect([...fromEnv.tenants]).toEqual(['acme', 'globex']);
    expect(fromEnv.tenantBuckets).toBe(32);
    expect([...fromEnv.plans]).toEqual(['free', 'pro']);
    expect([...(fromEnv.models ?? [])]).toEqual(['gpt-4o']);
    expect(fromEnv.maxLabelSets).toBe(50);
    const fromOptions = new LabelPolicy({
      env,
      tenants: ['initech'],
      tenantBuckets: 0,
      maxLabelSets: 10,
    }).options;
    expect([...fromOptions.tenants]).toEqual(['initech']);
    expect(fromOptions.tenantBuckets).toBe(0);
    expect(fromOptions.maxLabelSets).toBe(10);
    const defaults = new LabelPolicy({ env: {} }).options;
    expect(defaults).toMatchObject({
      tenantBuckets: 0,
      tenantTopK: 0,
      maxLabelSets: 300,
      models: undefined,
    });
    expect(defaults.tenants.size).toBe(0);
  });

  it('refuses reserved values in allow-lists and invalid counts, with one warning per setting', () => {
    const warnings: string[] = [];
    const logger: DiagLogger = {
      error: () => {},
      warn: message => warnings.push(message),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    };
    diag.setLogger(logger, DiagLogLevel.WARN);
    try {
      const policy = new LabelPolicy({
        tenants: ['other', 'bucket-03', 'acme'],
        tenantBuckets: -1,
        env: {},
      });
      expect([...policy.options.tenants]).toEqual(['acme']);
      expect(policy.options.tenantBuckets).toBe(0);
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toContain('tenants');
      expect(warnings[0]).toContain('"other", "bucket-03"');
      expect(warnings[1]).toContain('tenantBuckets');
      expect(
        new LabelPolicy({
          env: { OTEL_GENAI_COST_METRICS_TENANT_BUCKETS: 'lots' },
        }).options.tenantBuckets,
      ).toBe(0);
    } finally {
      diag.disable();
    }
  });
});

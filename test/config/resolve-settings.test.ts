/**
 * Issue 10, item 2: `option ?? env ?? default`, resolved once; a bad value
 * warns and takes the default in-process, stops the gateway; old names
 * still work with one deprecation warning.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { resolveSettings } from '../../src/config/resolve-settings.js';
import { GatewayConfigError } from '../../src/gateway/gateway-config-error.js';
import { resolveGatewayOptions } from '../../src/gateway/gateway-options.js';
import { resolveLabelPolicyOptions } from '../../src/metrics/label-policy-options.js';
import { resolveCostSpanProcessorOptions } from '../../src/processor/cost-span-processor-options.js';
import { SETTINGS } from '../../src/cli/settings-table.js';
import { warningsOf } from './warnings.js';

const FORWARD = {
  OTEL_GENAI_COST_GATEWAY_FORWARD: 'http://127.0.0.1:4320/v1/traces',
};
const FAIL = {
  kind: 'fail' as const,
  error: (message: string) => new GatewayConfigError(message),
};
/** Every row read from a variable and checked. */
const CHECKED = SETTINGS.filter(
  setting => setting.env !== undefined && setting.parse !== undefined,
);

describe('resolveSettings', () => {
  it('option wins over the variable, the variable over its old name, the old name over the default', () => {
    const row = SETTINGS.find(setting => setting.key === 'maxTagValueLength');
    const table = [row as NonNullable<typeof row>];
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }),
        (option, current, old) => {
          const env = {
            ...(current === undefined
              ? {}
              : { OTEL_GENAI_COST_MAX_TAG_VALUE_LENGTH: String(current) }),
            ...(old === undefined
              ? {}
              : { OTEL_GENAI_COST_MAX_TAG_LENGTH: ` ${old} ` }),
          };
          const resolved = resolveSettings(table, {
            options: { maxTagValueLength: option },
            env,
            onInvalid: FAIL,
          });
          expect(resolved.maxTagValueLength).toBe(
            option ?? current ?? old ?? 128,
          );
        },
      ),
    );
  });

  it('any text in any checked variable: in-process one warning naming it and the default, gateway-style a refusal naming it, never both a value and a warning', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CHECKED),
        fc.oneof(
          fc.string(),
          fc.integer().map(String),
          fc.constantFrom('true', 'no', '0', '1e3', '0x10', '-1', 'acme,other'),
        ),
        (setting, raw) => {
          const env = { [setting.env as string]: raw };
          let refused: Error | undefined;
          try {
            resolveSettings([setting], { options: {}, env, onInvalid: FAIL });
          } catch (error) {
            refused = error as Error;
          }
          let value: unknown;
          const warnings = warningsOf(() => {
            value = resolveSettings([setting], {
              options: {},
              env,
              onInvalid: { kind: 'warn' },
            })[setting.key];
          });
          if (refused === undefined) {
            expect(warnings).toEqual([]);
            // Blank is unset, except for a secret, which its own check sees
            // (a blank token is refused; blank headers are no headers).
            if (raw.trim() === '' && setting.secret !== true) {
              expect(value).toEqual(setting.defaultValue);
            }
            // Variables are read trimmed (a trailing newline from a file).
            else expect(value).toEqual(setting.parse?.(raw.trim()));
          } else {
            expect(refused).toBeInstanceOf(GatewayConfigError);
            expect(refused.message.startsWith(`${setting.env}: `)).toBe(true);
            expect(warnings).toHaveLength(1);
            expect(warnings[0]).toContain(setting.env);
            // Unusable: the default; an allow-list keeps its good entries.
            if (!Array.isArray(value)) {
              expect(value).toEqual(setting.defaultValue);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('an old name warns once per process, however often it is read', async () => {
    // A fresh module: the warning is once per process, and tests above
    // already read the old name.
    vi.resetModules();
    const fresh = await import('../../src/processor/identity-options.js');
    const env = { OTEL_GENAI_COST_MAX_TAG_LENGTH: '64' };
    const warnings = warningsOf(() => {
      for (let i = 0; i < 3; i++) {
        expect(
          fresh.resolveIdentityOptions({}, env).policy.maxValueLength,
        ).toBe(64);
      }
    });
    expect(warnings).toEqual([
      'otel-genai-cost: OTEL_GENAI_COST_MAX_TAG_LENGTH is deprecated and will be removed; use OTEL_GENAI_COST_MAX_TAG_VALUE_LENGTH',
    ]);
  });
});

describe('in-process shells: warn and take the default', () => {
  it('a bad tag length or tracked-span count warns once each, naming the variable, and the defaults apply', () => {
    let resolved:
      ReturnType<typeof resolveCostSpanProcessorOptions> | undefined;
    const warnings = warningsOf(() => {
      resolved = resolveCostSpanProcessorOptions({
        metrics: false,
        env: {
          OTEL_GENAI_COST_MAX_TAG_VALUE_LENGTH: 'long',
          OTEL_GENAI_COST_MAX_TRACKED_SPANS: '0',
          OTEL_GENAI_COST_ALIASES: 'openinference,phoenix',
        },
      });
    });
    expect(resolved?.identity.policy.maxValueLength).toBe(128);
    expect(resolved?.maxTrackedSpans).toBe(100_000);
    expect([...(resolved?.identity.aliases ?? [])]).toEqual(['openinference']);
    expect(warnings).toHaveLength(3);
    expect(warnings.join('\n')).toContain(
      'OTEL_GENAI_COST_MAX_TAG_VALUE_LENGTH',
    );
    expect(warnings.join('\n')).toContain('OTEL_GENAI_COST_MAX_TRACKED_SPANS');
    expect(warnings.join('\n')).toContain('"phoenix"');
  });

  it('identityWindowSeconds: seconds, from the option, the variable, or the deprecated identityWindowMillis (warned once)', () => {
    const base = { metrics: false, env: {} } as const;
    expect(resolveCostSpanProcessorOptions(base).identityWindowSeconds).toBe(
      300,
    );
    expect(
      resolveCostSpanProcessorOptions({
        ...base,
        env: { OTEL_GENAI_COST_IDENTITY_WINDOW_SECONDS: '90' },
      }).identityWindowSeconds,
    ).toBe(90);
    const warnings = warningsOf(() => {
      expect(
        resolveCostSpanProcessorOptions({ ...base, identityWindowMillis: 1500 })
          .identityWindowSeconds,
      ).toBe(1.5);
      expect(
        resolveCostSpanProcessorOptions({
          ...base,
          identityWindowSeconds: 2,
          identityWindowMillis: 1500,
        }).identityWindowSeconds,
      ).toBe(2);
      resolveCostSpanProcessorOptions({ ...base, identityWindowMillis: 10 });
    });
    expect(warnings).toEqual([
      'otel-genai-cost: option identityWindowMillis is deprecated and will be removed; use option identityWindowSeconds',
    ]);
  });

  it('the price overrides file: one variable, old ones still read', () => {
    // The file does not exist: loading it names the path, whichever variable gave it.
    for (const name of [
      'OTEL_GENAI_COST_PRICE_OVERRIDES_FILE',
      'OTEL_GENAI_COST_PRICES_FILE',
    ]) {
      expect(() =>
        warningsOf(() =>
          resolveCostSpanProcessorOptions({
            metrics: false,
            env: { [name]: `/nonexistent/${name}.yaml` },
          }),
        ),
      ).toThrow(`/nonexistent/${name}.yaml`);
    }
  });

  // Review of issue 10, finding 13: the gateway's old name stays the gateway's.
  it('the gateway-only old name OTEL_GENAI_COST_GATEWAY_PRICES is read by the gateway alone', () => {
    const env = {
      OTEL_GENAI_COST_GATEWAY_PRICES: '/nonexistent/gateway-prices.yaml',
    };
    const warnings = warningsOf(() =>
      expect(
        resolveCostSpanProcessorOptions({ metrics: false, env }).overrides,
      ).toEqual([]),
    );
    expect(warnings).toEqual([]);
    expect(() =>
      warningsOf(() =>
        resolveGatewayOptions({
          env: {
            ...env,
            OTEL_GENAI_COST_GATEWAY_FORWARD: 'http://127.0.0.1:9/v1/traces',
          },
        }),
      ),
    ).toThrow('/nonexistent/gateway-prices.yaml');
  });
});

describe('the gateway: every value checked at start, shared variables included', () => {
  it.each([
    [
      'OTEL_GENAI_COST_MAX_TAG_VALUE_LENGTH',
      'long',
      'expected an integer at least 1, got "long"',
    ],
    [
      'OTEL_GENAI_COST_MAX_TAG_LENGTH',
      '0',
      'expected an integer at least 1, got 0',
    ],
    [
      'OTEL_GENAI_COST_ALLOW_RAW_EMAIL',
      'maybe',
      'expected true or false, got "maybe"',
    ],
    [
      'OTEL_GENAI_COST_ALIASES',
      'phoenix',
      '"phoenix" is not a known alias set',
    ],
    ['OTEL_GENAI_COST_METRICS_TENANTS', 'acme,other', '"other" is not allowed'],
    [
      'OTEL_GENAI_COST_METRICS_TENANT_BUCKETS',
      '1001',
      'expected an integer 0 to 1000, got 1001',
    ],
  ])('%s=%j stops it, naming the variable', (name, raw, message) => {
    let error: unknown;
    warningsOf(() => {
      try {
        resolveGatewayOptions({ env: { ...FORWARD, [name]: raw } });
      } catch (caught) {
        error = caught;
      }
    });
    expect(error).toBeInstanceOf(GatewayConfigError);
    expect((error as Error).message).toContain(`${name}: ${message}`);
  });

  it('the same values in-process warn and default', () => {
    const warnings = warningsOf(() => {
      const labels = resolveLabelPolicyOptions({
        env: {
          OTEL_GENAI_COST_METRICS_TENANTS: 'acme,other',
          OTEL_GENAI_COST_METRICS_TENANT_BUCKETS: '1001',
        },
      });
      expect([...labels.tenants]).toEqual(['acme']);
      expect(labels.tenantBuckets).toBe(0);
    });
    expect(warnings).toHaveLength(2);
  });

  it('reads the price file from the shared name, the deprecated prices option and --prices alias', () => {
    for (const options of [
      {
        env: {
          ...FORWARD,
          OTEL_GENAI_COST_PRICE_OVERRIDES_FILE: '/nonexistent/a.yaml',
        },
      },
      { env: FORWARD, prices: '/nonexistent/a.yaml' },
      { env: FORWARD, priceOverridesFile: '/nonexistent/a.yaml' },
    ]) {
      expect(() => warningsOf(() => resolveGatewayOptions(options))).toThrow(
        'cannot read price overrides file /nonexistent/a.yaml',
      );
    }
  });

  it('resolves the identity settings to what the processor resolves, for any valid values', () => {
    const tag = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{0,11}$/);
    fc.assert(
      fc.property(
        fc.record(
          {
            OTEL_GENAI_COST_TAG_KEYS: fc.array(tag).map(keys => keys.join(',')),
            OTEL_GENAI_COST_MAX_TAG_VALUE_LENGTH: fc
              .integer({ min: 1, max: 1_000_000 })
              .map(String),
            OTEL_GENAI_COST_HMAC_SECRET: tag,
            OTEL_GENAI_COST_PSEUDONYMIZE_KEYS: fc
              .array(tag, { minLength: 1 })
              .map(keys => keys.join(',')),
            OTEL_GENAI_COST_ALLOW_RAW_EMAIL: fc.constantFrom(
              'true',
              'false',
              'YES',
              '0',
            ),
            OTEL_GENAI_COST_ALIASES: fc.constantFrom('', 'openinference'),
          },
          { requiredKeys: [] },
        ),
        env => {
          const gateway = resolveGatewayOptions({
            env: { ...FORWARD, ...env },
          });
          const processor = resolveCostSpanProcessorOptions({
            metrics: false,
            env,
          });
          expect(gateway.identity.policy).toEqual(processor.identity.policy);
          expect(gateway.identity.aliases).toEqual(processor.identity.aliases);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('does not read propagation, which has no effect there', () => {
    expect(() =>
      resolveGatewayOptions({
        env: { ...FORWARD, OTEL_GENAI_COST_PROPAGATION: 'bogus' },
      }),
    ).not.toThrow();
  });
});

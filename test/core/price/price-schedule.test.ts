/**
 * Tiers and dates for overrides (and the schedule both layers share), the
 * validator (hand cases and fast-check), and the file loader. Expected
 * figures are computed by hand from the rates written in each test, or from
 * published prices (named where used).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadPriceOverrides } from '../../../src/config/load-price-overrides.js';
import type { TokenUsage } from '../../../src/core/llm-call.js';
import {
  InvalidPriceOverrideError,
  PriceOverrides,
  type PriceOverride,
} from '../../../src/core/price/price-override.js';
import { createPricer } from '../../../src/core/price/pricer.js';
import type { CostResult } from '../../../src/index.js';

function usage(
  input: number,
  output: number,
  extra: Partial<TokenUsage> = {},
): TokenUsage {
  return {
    inputTokens: input,
    outputTokens: output,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    ...extra,
  };
}

function total(result: CostResult): number {
  if (!result.priced) throw new Error(`unpriced: ${result.reason}`);
  return result.totalUsd;
}

const close = (got: number, expected: number) =>
  expect(Math.abs(got - expected)).toBeLessThanOrEqual(
    Math.max(1e-12, Math.abs(expected) * 1e-9),
  );

const AT = Date.parse('2026-06-01T12:00:00Z');

/** A tiered override: $1/$2 up to 100K input, $3/$6 (cache $0.3/$3.75) above. */
const TIERED: PriceOverride = {
  provider: 'openai',
  model: 'my-long-model',
  inputPerMTokUsd: 1,
  outputPerMTokUsd: 2,
  cacheReadPerMTokUsd: 0.1,
  tiers: [
    {
      aboveInputTokens: 100_000,
      inputPerMTokUsd: 3,
      outputPerMTokUsd: 6,
      cacheReadPerMTokUsd: 0.3,
      cacheWritePerMTokUsd: 3.75,
    },
  ],
};

describe('tiered overrides', () => {
  const pricer = createPricer({ overrides: [TIERED] });
  const call = (u: TokenUsage) =>
    pricer.price({
      provider: 'openai',
      model: 'my-long-model',
      usage: u,
      timestamp: AT,
    });

  it('at the threshold (100,000 input): base rates', () => {
    // 90,000 uncached x $1 + 10,000 cached x $0.10 + 1,000 out x $2
    close(
      total(call(usage(100_000, 1_000, { cacheReadTokens: 10_000 }))),
      0.09 + 0.001 + 0.002,
    );
  });

  it('one token above: every part at the tier rates', () => {
    // 90,001 x $3 + 10,000 x $0.30 + 1,000 x $6
    close(
      total(call(usage(100_001, 1_000, { cacheReadTokens: 10_000 }))),
      0.270003 + 0.003 + 0.006,
    );
  });

  it('a cache write above the threshold uses the tier write rate', () => {
    // 100,000 uncached x $3 + 50,000 written x $3.75 + 0 out
    close(
      total(call(usage(150_000, 0, { cacheWriteTokens: 50_000 }))),
      0.3 + 0.1875,
    );
  });

  it('several tiers: the highest one exceeded applies', () => {
    const p = createPricer({
      overrides: [
        {
          model: 'three-tier',
          inputPerMTokUsd: 1,
          outputPerMTokUsd: 1,
          tiers: [
            { aboveInputTokens: 10, inputPerMTokUsd: 2, outputPerMTokUsd: 2 },
            { aboveInputTokens: 20, inputPerMTokUsd: 4, outputPerMTokUsd: 4 },
          ],
        },
      ],
    });
    const at = (input: number) =>
      total(
        p.price({ model: 'three-tier', usage: usage(input, 0), timestamp: AT }),
      );
    close(at(10), 10e-6);
    close(at(11), 22e-6);
    close(at(20), 40e-6);
    close(at(21), 84e-6);
  });

  it('reasoning billed apart and a per-request fee', () => {
    const p = createPricer({
      overrides: [
        {
          model: 'thinker',
          inputPerMTokUsd: 1,
          outputPerMTokUsd: 4,
          reasoningPerMTokUsd: 10,
          perRequestUsd: 0.005,
        },
      ],
    });
    const result = p.price({
      model: 'thinker',
      usage: usage(1_000, 3_000, { reasoningTokens: 2_000 }),
      timestamp: AT,
    });
    // 1,000 x $1 + $0.005 fee; 1,000 visible out x $4 + 2,000 reasoning x $10
    expect(result).toMatchObject({
      priced: true,
      source: 'override',
    });
    if (!result.priced || result.source === 'provider') throw new Error();
    close(result.inputUsd, 0.001 + 0.005);
    close(result.outputUsd, 0.004 + 0.02);
    close(result.totalUsd, 0.03);
  });
});

describe('dated overrides: the price in force at the span start', () => {
  // gpt-4o-mini published: $0.15 in / $0.60 out (openai.com/api/pricing).
  const pricer = createPricer({
    overrides: [
      {
        provider: 'openai',
        model: 'gpt-4o-mini',
        effectiveFrom: '2026-01-01',
        inputPerMTokUsd: 1,
        outputPerMTokUsd: 1,
      },
      {
        provider: 'openai',
        model: 'gpt-4o-mini',
        effectiveFrom: '2026-03-01T12:00:00Z',
        inputPerMTokUsd: 2,
        outputPerMTokUsd: 2,
      },
    ],
  });
  const at = (iso: string) =>
    pricer.price({
      provider: 'openai',
      model: 'gpt-4o-mini',
      usage: usage(1_000_000, 1_000_000),
      timestamp: Date.parse(iso),
    });

  it('before the first date: the bundled price (table source)', () => {
    const result = at('2025-12-31T23:59:59.999Z');
    expect(result).toMatchObject({ source: 'price_table' });
    close(total(result), 0.15 + 0.6);
  });

  it('from the first date: the first override', () => {
    expect(at('2026-01-01T00:00:00Z')).toMatchObject({ source: 'override' });
    close(total(at('2026-01-01T00:00:00Z')), 2);
    close(total(at('2026-03-01T11:59:59.999Z')), 2);
  });

  it('from the second date-time on: the second override', () => {
    close(total(at('2026-03-01T12:00:00Z')), 4);
    close(total(at('2030-01-01T00:00:00Z')), 4);
  });

  it('a date with an offset is that instant', () => {
    const p = createPricer({
      overrides: [
        {
          model: 'tz-model',
          effectiveFrom: '2026-01-01T02:00:00+02:00',
          inputPerMTokUsd: 1,
          outputPerMTokUsd: 0,
        },
      ],
    });
    const price = (iso: string) =>
      p.price({
        model: 'tz-model',
        usage: usage(1_000_000, 0),
        timestamp: Date.parse(iso),
      });
    expect(price('2025-12-31T23:59:59Z')).toEqual({
      priced: false,
      reason: 'unknown_model',
    });
    close(total(price('2026-01-01T00:00:00Z')), 1);
  });
});

describe('corrections are dated too (DeepSeek, published prices)', () => {
  const pricer = createPricer();
  const at = (iso: string) =>
    pricer.price({
      provider: 'deepseek',
      model: 'deepseek-chat',
      usage: usage(1_000_000, 1_000_000),
      timestamp: Date.parse(iso),
    });
  // api-docs.deepseek.com/quick_start/pricing: until 2025-09-05 16:00 UTC
  // V3 standard $0.27 / $1.10; from then V3.1 $0.56 / $1.68; from 2025-09-29
  // V3.2 $0.28 / $0.42; from 2026-04-24 V4-Flash $0.14 / $0.28.
  it.each([
    ['2025-09-05T15:59:59Z', 0.27 + 1.1, 'genai-prices@0.1.8'],
    ['2025-09-05T16:00:00Z', 0.56 + 1.68, '+corrections.'],
    ['2025-09-28T23:59:59Z', 0.56 + 1.68, '+corrections.'],
    ['2025-09-29T00:00:00Z', 0.28 + 0.42, '+corrections.'],
    ['2026-04-23T23:59:59Z', 0.28 + 0.42, '+corrections.'],
    ['2026-04-24T00:00:00Z', 0.14 + 0.28, '+corrections.'],
  ])('%s -> $%d', (iso, expected, version) => {
    const result = at(iso);
    close(total(result), expected);
    expect(result.priced && result.priceVersion).toContain(version);
  });
});

describe('validation (InvalidPriceOverrideError at construction)', () => {
  const base = { model: 'm', inputPerMTokUsd: 1, outputPerMTokUsd: 1 };
  const bad: readonly (readonly [string, unknown, RegExp])[] = [
    ['negative rate', { ...base, inputPerMTokUsd: -1 }, /inputPerMTokUsd/],
    ['NaN rate', { ...base, outputPerMTokUsd: Number.NaN }, /outputPerMTokUsd/],
    [
      'string rate',
      { ...base, cacheReadPerMTokUsd: '0.1' },
      /cacheReadPerMTokUsd/,
    ],
    ['negative fee', { ...base, perRequestUsd: -0.01 }, /perRequestUsd/],
    [
      'infinite reasoning',
      { ...base, reasoningPerMTokUsd: Infinity },
      /reasoningPerMTokUsd/,
    ],
    ['missing output', { model: 'm', inputPerMTokUsd: 1 }, /outputPerMTokUsd/],
    ['bad date', { ...base, effectiveFrom: '2026-02-30' }, /effectiveFrom/],
    [
      'date without zone',
      { ...base, effectiveFrom: '2026-02-01T10:00:00' },
      /effectiveFrom/,
    ],
    ['date as number', { ...base, effectiveFrom: 20260201 }, /effectiveFrom/],
    ['not a date', { ...base, effectiveFrom: 'tomorrow' }, /effectiveFrom/],
    ['tiers not a list', { ...base, tiers: { aboveInputTokens: 1 } }, /tiers/],
    [
      'tier without threshold',
      { ...base, tiers: [{ inputPerMTokUsd: 1, outputPerMTokUsd: 1 }] },
      /aboveInputTokens/,
    ],
    [
      'fractional threshold',
      {
        ...base,
        tiers: [
          { aboveInputTokens: 1.5, inputPerMTokUsd: 1, outputPerMTokUsd: 1 },
        ],
      },
      /aboveInputTokens/,
    ],
    [
      'negative threshold',
      {
        ...base,
        tiers: [
          { aboveInputTokens: -1, inputPerMTokUsd: 1, outputPerMTokUsd: 1 },
        ],
      },
      /aboveInputTokens/,
    ],
    [
      'tiers out of order',
      {
        ...base,
        tiers: [
          { aboveInputTokens: 20, inputPerMTokUsd: 1, outputPerMTokUsd: 1 },
          { aboveInputTokens: 10, inputPerMTokUsd: 1, outputPerMTokUsd: 1 },
        ],
      },
      /tier #2/,
    ],
    [
      'tier with a bad rate',
      {
        ...base,
        tiers: [
          { aboveInputTokens: 5, inputPerMTokUsd: 1, outputPerMTokUsd: -2 },
        ],
      },
      /tier #1.*outputPerMTokUsd/,
    ],
    [
      'misspelt field',
      { ...base, effectiveFrm: '2026-01-01' },
      /unknown field "effectiveFrm"/,
    ],
    ['empty model', { ...base, model: ' ' }, /model/],
    ['provider not a string', { ...base, provider: 7 }, /provider/],
    ['null entry', null, /not an object/],
  ];

  it.each(bad)('%s', (_label, entry, message) => {
    expect(() => createPricer({ overrides: [entry as PriceOverride] })).toThrow(
      InvalidPriceOverrideError,
    );
    expect(() => createPricer({ overrides: [entry as PriceOverride] })).toThrow(
      message,
    );
  });

  it('two entries for one model with the same date are refused', () => {
    expect(
      () =>
        new PriceOverrides([
          { ...base, effectiveFrom: '2026-01-01' },
          { ...base, effectiveFrom: '2026-01-01T00:00:00Z' },
        ]),
    ).toThrow(/same "effectiveFrom"/);
  });

  it('fast-check: any entry either compiles to finite, non-negative costs or throws InvalidPriceOverrideError', () => {
    const rate = fc.oneof(
      fc.double({ min: 0, max: 1e4, noNaN: true }),
      fc.constantFrom(-1, Number.NaN, Infinity, '1', null),
    );
    const maybe = <T>(arb: fc.Arbitrary<T>) =>
      fc.option(arb, { nil: undefined });
    const tier = fc.record(
      {
        aboveInputTokens: fc.oneof(
          fc.integer({ min: -5, max: 2e9 }),
          fc.double(),
        ),
        inputPerMTokUsd: rate,
        outputPerMTokUsd: rate,
        cacheReadPerMTokUsd: maybe(rate),
      },
      { requiredKeys: [] },
    );
    const entry = fc.record(
      {
        model: fc.constantFrom('m', 'x*', '', 3),
        provider: maybe(fc.constantFrom('openai', 'deepseek', 1)),
        inputPerMTokUsd: rate,
        outputPerMTokUsd: rate,
        cacheWritePerMTokUsd: maybe(rate),
        reasoningPerMTokUsd: maybe(rate),
        perRequestUsd: maybe(rate),
        effectiveFrom: maybe(
          fc.oneof(
            fc.date({ noInvalidDate: true }).map(d => d.toISOString()),
            fc
              .date({ noInvalidDate: true })
              .map(d => d.toISOString().slice(0, 10)),
            fc.string(),
          ),
        ),
        tiers: maybe(fc.array(tier, { maxLength: 3 })),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 3 }),
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.date({ noInvalidDate: true }),
        (entries, input, output, when) => {
          let pricer;
          try {
            pricer = createPricer({ overrides: entries as PriceOverride[] });
          } catch (error) {
            expect(error).toBeInstanceOf(InvalidPriceOverrideError);
            return;
          }
          for (const model of ['m', 'x1']) {
            const result = pricer.price({
              provider: 'openai',
              model,
              usage: usage(input, output),
              timestamp: when.getTime(),
            });
            if (result.priced) {
              expect(Number.isFinite(result.totalUsd)).toBe(true);
              expect(result.totalUsd).toBeGreaterThanOrEqual(0);
            } else {
              expect(['unknown_model', 'cost_above_cap']).toContain(
                result.reason,
              );
            }
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('fast-check: a valid tiered override prices by the hand formula', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (threshold, output, input, low, high) => {
          const p = createPricer({
            overrides: [
              {
                model: 'g',
                inputPerMTokUsd: low,
                outputPerMTokUsd: low,
                tiers: [
                  {
                    aboveInputTokens: threshold,
                    inputPerMTokUsd: high,
                    outputPerMTokUsd: high,
                  },
                ],
              },
            ],
          });
          const rateUsd = (input > threshold ? high : low) / 1e6;
          close(
            total(
              p.price({
                model: 'g',
                usage: usage(input, output),
                timestamp: AT,
              }),
            ),
            (input + output) * rateUsd,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('loadPriceOverrides: tiers and dates from a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'p1-overrides-'));

  it('YAML with a dated history and a tier prices as written', () => {
    const file = join(dir, 'prices.yaml');
    writeFileSync(
      file,
      [
        'prices:',
        '  - provider: openai',
        '    model: acme-long',
        '    effectiveFrom: 2026-01-01',
        '    inputPerMTokUsd: 1',
        '    outputPerMTokUsd: 2',
        '    tiers:',
        '      - aboveInputTokens: 1000',
        '        inputPerMTokUsd: 10',
        '        outputPerMTokUsd: 20',
        '  - provider: openai',
        '    model: acme-long',
        '    effectiveFrom: "2026-06-01T00:00:00Z"',
        '    inputPerMTokUsd: 0.5',
        '    outputPerMTokUsd: 1',
        '',
      ].join('\n'),
    );
    const pricer = createPricer({ overrides: loadPriceOverrides(file) });
    const price = (input: number, iso: string) =>
      total(
        pricer.price({
          provider: 'openai',
          model: 'acme-long',
          usage: usage(input, 100),
          timestamp: Date.parse(iso),
        }),
      );
    close(price(1_000, '2026-02-01T00:00:00Z'), 1_000 * 1e-6 + 100 * 2e-6);
    close(price(1_001, '2026-02-01T00:00:00Z'), 1_001 * 10e-6 + 100 * 20e-6);
    close(price(1_001, '2026-07-01T00:00:00Z'), 1_001 * 0.5e-6 + 100 * 1e-6);
  });

  it('JSON with a bad tier throws InvalidPriceOverrideError naming the field', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify([
        {
          model: 'x',
          inputPerMTokUsd: 1,
          outputPerMTokUsd: 1,
          tiers: [
            {
              aboveInputTokens: 'lots',
              inputPerMTokUsd: 1,
              outputPerMTokUsd: 1,
            },
          ],
        },
      ]),
    );
    expect(() => createPricer({ overrides: loadPriceOverrides(file) })).toThrow(
      /aboveInputTokens/,
    );
  });
});

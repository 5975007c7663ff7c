/**
 * Drift guard: what the installed @pydantic/genai-prices charges for each
 * call a bundled correction prices, recorded when the correction was last
 * checked. When genai-prices changes one of these entries, this test fails
 * and names the correction: remove it if upstream now agrees with the
 * published price, re-check its source if upstream says something else.
 * (The recorded figures are genai-prices' own output on purpose: they record
 * upstream, not the truth; the published prices are tested elsewhere.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRICE_CORRECTIONS } from '../../../src/core/price/corrections/price-corrections-data.js';
import {
  correctedCost,
  correctionProbes,
  sameCost,
  upstreamCost,
} from '../../../src/core/price/correction-probes.js';
import { GENAI_PRICES_VERSION } from '../../../src/core/price/genai-prices-table.js';

/**
 * Probe: 200,000 input (10,000 cache reads) and 100,000 output tokens; with
 * tiers, also 100,000 above each threshold, and the base probe at the first
 * threshold when that is below 200,000 (labelled with its input).
 */
const RECORDED_UPSTREAM: Readonly<Record<string, number | null>> = {
  // Night-discount-era DeepSeek prices (V3 $0.27/$1.10, R1 $0.55/$2.19, half off 16:30-00:30 UTC).
  'deepseek deepseek-chat @ 2025-09-05T16:00:00Z': 0.162,
  'deepseek deepseek-chat @ 2025-09-29': 0.081,
  'deepseek deepseek-chat @ 2026-04-24': 0.081,
  'deepseek deepseek-chat @ 2026-04-26T12:15:00Z': 0.162,
  'deepseek deepseek-reasoner @ 2025-09-05T16:00:00Z': 0.3249,
  'deepseek deepseek-reasoner @ 2025-09-29': 0.081,
  'deepseek deepseek-reasoner @ 2026-04-24': 0.081,
  'deepseek deepseek-reasoner @ 2026-04-26T12:15:00Z': 0.3249,
  // Titan v1 rate ($0.10/M) applied to v2.
  'aws.bedrock amazon.titan-embed-text-v2:0 @ 2024-04-30': 0.02,
  'aws.bedrock amazon.titan-embed-text-v2 @ 2024-04-30': 0.02,
  // Large 2 rates ($2/$6).
  'mistral_ai mistral-large-latest @ 2025-12-02': 1,
  // Unknown upstream.
  'mistral_ai mistral-small-2506 @ 2025-06-20': null,
  // Base rates agree; no long-context tier upstream.
  'anthropic claude-sonnet-4-20250514 @ 2025-05-22': 2.073,
  'anthropic claude-sonnet-4-20250514 @ 2025-05-22 (300000 input)': 2.373,
  'anthropic claude-sonnet-4-0 @ 2025-05-22': 2.073,
  'anthropic claude-sonnet-4-0 @ 2025-05-22 (300000 input)': 2.373,
  'anthropic claude-sonnet-4 @ 2025-05-22': 2.073,
  'anthropic claude-sonnet-4 @ 2025-05-22 (300000 input)': 2.373,
  // Matched to claude-sonnet-5 ($2 / $0.20 cache read / $10): the pre-2026-10-07 cache-read rate.
  'anthropic claude-sonnet-5-5 @ 2026-10-07': 1.382,
  // Unknown upstream (below and above Haiku 5.5's 100K tier; the Mythos models).
  'anthropic claude-haiku-5-5 @ 2026-10-07 (100000 input)': null,
  'anthropic claude-haiku-5-5 @ 2026-10-07': null,
  'anthropic claude-mythos-5 @ 2026-06-09': null,
  'anthropic claude-mythos-5-1 @ 2026-09-01': null,
  // Bedrock Sonnet 4.5: base rates agree (global list, geo +10 %); no long-context tier upstream.
  'aws.bedrock global.anthropic.claude-sonnet-4-5-20250929-v1:0 @ 2025-09-29': 2.073,
  'aws.bedrock global.anthropic.claude-sonnet-4-5-20250929-v1:0 @ 2025-09-29 (300000 input)': 2.373,
  ...Object.fromEntries(
    ['us', 'eu', 'jp', 'apac', 'au'].flatMap(geo => [
      [
        `aws.bedrock ${geo}.anthropic.claude-sonnet-4-5-20250929-v1:0 @ 2025-09-29`,
        2.2803,
      ],
      [
        `aws.bedrock ${geo}.anthropic.claude-sonnet-4-5-20250929-v1:0 @ 2025-09-29 (300000 input)`,
        2.6103,
      ],
    ]),
  ),
  // Unknown upstream, below and from xAI's 200K tier: genai-prices matches only the grok-4.20 alias.
  ...Object.fromEntries(
    [
      'grok-4.20-0309-reasoning',
      'grok-4.20-reasoning-latest',
      'grok-4.20-reasoning',
      'grok-4.20-0309',
      'grok-4.20-beta-0309-reasoning',
      'grok-4.20-beta',
      'grok-4.20-beta-0309',
      'grok-4.20-beta-latest',
      'grok-4.20-beta-latest-reasoning',
      'grok-4.20-beta-reasoning',
      'grok-4.20-experimental-beta-0304-reasoning',
      'grok-4.20-experimental-beta-0304',
      'grok-4.20-experimental-beta-reasoning-latest',
      'grok-4.20-experimental-beta-latest',
      'grok-4.20-reasoning-gv2',
    ].flatMap(id => [
      [`x_ai ${id} @ 2026-11-30 (199999 input)`, null],
      [`x_ai ${id} @ 2026-11-30 (299999 input)`, null],
    ]),
  ),
};

const probes = correctionProbes(PRICE_CORRECTIONS);

describe(`corrections drift guard (recorded against ${GENAI_PRICES_VERSION})`, () => {
  it('the recorded figures are for the installed genai-prices version', () => {
    const file = join(
      import.meta.dirname,
      '../../../node_modules/@pydantic/genai-prices/package.json',
    );
    const { version } = JSON.parse(readFileSync(file, 'utf8')) as {
      version: string;
    };
    expect(
      `genai-prices@${version}`,
      'genai-prices was upgraded: run this test, re-check every correction it names, then update GENAI_PRICES_VERSION and the recorded figures',
    ).toBe(GENAI_PRICES_VERSION);
  });

  it('every correction probe has a recorded upstream figure, and no stale one is left', () => {
    expect(Object.keys(RECORDED_UPSTREAM).sort()).toEqual(
      probes.map(p => p.label).sort(),
    );
  });

  it.each(probes.map(p => [p.label, p] as const))(
    'genai-prices still prices %s as recorded',
    (label, probe) => {
      const now = upstreamCost(probe);
      const recorded = RECORDED_UPSTREAM[label];
      const corrected = correctedCost(probe);
      const verdict = sameCost(now, corrected)
        ? 'upstream now agrees with the correction: remove it'
        : 'upstream changed but still differs: re-check the correction against its source';
      expect(
        sameCost(now, recorded),
        `genai-prices changed ${label}: recorded ${recorded}, now ${now}, correction ${corrected}. ` +
          `${verdict} (${probe.price.source}, checked ${probe.price.checked})`,
      ).toBe(true);
    },
  );

  it('each correction still differs from upstream somewhere (else it is redundant)', () => {
    for (const correction of PRICE_CORRECTIONS) {
      const own = probes.filter(p => p.correction === correction);
      expect(
        own.some(p => !sameCost(upstreamCost(p), correctedCost(p))),
        `${correction.provider} ${correction.models.join(', ')}: genai-prices agrees everywhere; remove the correction`,
      ).toBe(true);
    }
  });

  it('the guard fails, naming the correction, when upstream data differs', () => {
    // A genai-prices data set where DeepSeek charges the corrected V3.2 rates.
    const probe = probes.find(
      p => p.label === 'deepseek deepseek-chat @ 2025-09-29',
    )!;
    const providers = [
      {
        id: 'deepseek',
        name: 'DeepSeek',
        api_pattern: 'deepseek',
        models: [
          {
            id: 'deepseek-chat',
            match: { equals: 'deepseek-chat' },
            prices: {
              input_mtok: 0.28,
              cache_read_mtok: 0.028,
              output_mtok: 0.42,
            },
          },
        ],
      },
    ];
    const changed = upstreamCost(probe, providers);
    // Published V3.2: 190,000 x $0.28 + 10,000 x $0.028 + 100,000 x $0.42 per million.
    expect(changed).toBeCloseTo(0.0532 + 0.00028 + 0.042, 9);
    expect(sameCost(changed, RECORDED_UPSTREAM[probe.label])).toBe(false);
    expect(sameCost(changed, correctedCost(probe))).toBe(true);
  });
});

/**
 * Anthropic API (`gen_ai.provider.name` = `anthropic`). Cache write = the
 * 5-minute write (1.25x input); cache hit = 0.1x input unless listed apart.
 */
import { casesFrom, rates, type PublishedCase } from './published-case.js';

const PAGE = 'https://platform.claude.com/docs/en/about-claude/pricing';

const OPUS_4 = rates(15, 1.5, 18.75, 75, 'Claude Opus 4 / 4.1');
const OPUS_4_5_TO_5 = rates(
  5,
  0.5,
  6.25,
  25,
  'Claude Opus 4.5, 4.6, 4.7, 4.8, 5',
);
const SONNET_3_X = rates(3, 0.3, 3.75, 15, 'Claude Sonnet 3.5 / 3.7');
const HAIKU_3 = rates(0.25, 0.03, 0.3, 1.25, 'Claude Haiku 3');
const FABLE_5 = rates(10, 1, 12.5, 50, 'Claude Fable 5');
const FABLE_5_1 = rates(10, 0.25, 12.5, 50, 'Claude Fable 5.1');
const MYTHOS_5 = rates(10, 1, 12.5, 50, 'Claude Mythos 5');
const MYTHOS_5_1 = rates(10, 0.25, 12.5, 50, 'Claude Mythos 5.1');
/** Sonnet 5.5 at launch (cache hits 0.1x), then from 2026-10-07 (0.05x). */
const SONNET_5_5_LAUNCH = rates(
  2,
  0.2,
  2.5,
  10,
  'Claude Sonnet 5.5 to 2026-10-06',
);
const SONNET_5_5 = rates(2, 0.1, 2.5, 10, 'Claude Sonnet 5.5 from 2026-10-07');
/** Haiku 5.5: every token of a prompt over 100,000 tokens at the higher rates. */
const HAIKU_5_5 = {
  ...rates(0.1, 0.01, 0.125, 0.5, 'Claude Haiku 5.5, prompts up to 100,000'),
  longContext: {
    aboveInputTokens: 100_000,
    inputPerMTok: 0.5,
    cacheReadPerMTok: 0.05,
    cacheWritePerMTok: 0.625,
    outputPerMTok: 2.5,
  },
};

/** The same cases, called at `iso` instead of today. */
function calledAt(
  iso: string,
  cases: readonly PublishedCase[],
): PublishedCase[] {
  return cases.map(c => ({ ...c, at: Date.parse(iso) }));
}

export const ANTHROPIC_CASES: readonly PublishedCase[] = [
  ...casesFrom(
    {
      url: PAGE,
      via: 'stored copy of platform.claude.com/docs/en/about-claude/pricing (model pricing table: Fable 5.1 ... Opus 4)',
    },
    [
      [
        'anthropic',
        'claude-fable-5-1',
        { input: 50_000, output: 4_000, cacheRead: 40_000, cacheWrite: 5_000 },
        FABLE_5_1,
      ],
      [
        'anthropic',
        'claude-fable-5',
        { input: 50_000, output: 4_000, cacheRead: 40_000, cacheWrite: 5_000 },
        FABLE_5,
      ],
      [
        'anthropic',
        'claude-opus-5',
        { input: 30_000, output: 2_000, cacheRead: 25_000, cacheWrite: 3_000 },
        OPUS_4_5_TO_5,
      ],
      [
        'anthropic',
        'claude-opus-4-8',
        { input: 12_000, output: 1_500, cacheWrite: 10_000 },
        OPUS_4_5_TO_5,
      ],
      [
        'anthropic',
        'claude-opus-4-7',
        { input: 22_000, output: 900, cacheRead: 20_000 },
        OPUS_4_5_TO_5,
      ],
      [
        'anthropic',
        'claude-opus-4-6',
        { input: 9_000, output: 2_500 },
        OPUS_4_5_TO_5,
      ],
      [
        'anthropic',
        'claude-opus-4-5',
        { input: 45_000, output: 3_000, cacheRead: 30_000, cacheWrite: 10_000 },
        OPUS_4_5_TO_5,
      ],
      [
        'anthropic',
        'claude-opus-4-1',
        { input: 15_000, output: 1_000, cacheRead: 12_000 },
        OPUS_4,
      ],
      [
        'anthropic',
        'claude-opus-4-20250514',
        { input: 8_000, output: 1_800, cacheWrite: 6_000 },
        OPUS_4,
      ],
    ],
  ),
  ...casesFrom(
    {
      url: 'https://docs.anthropic.com/en/docs/about-claude/pricing',
      via: 'stored copy of docs.anthropic.com/en/docs/about-claude/pricing (model table: Opus 4.1 ... Haiku 3)',
    },
    [
      [
        'anthropic',
        'claude-3-7-sonnet-20250219',
        { input: 40_000, output: 2_000, cacheRead: 30_000, cacheWrite: 5_000 },
        SONNET_3_X,
      ],
      [
        'anthropic',
        'claude-3-7-sonnet-latest',
        { input: 6_000, output: 800 },
        SONNET_3_X,
      ],
      [
        'anthropic',
        'claude-3-5-sonnet-20241022',
        { input: 20_000, output: 1_000, cacheRead: 15_000 },
        SONNET_3_X,
      ],
      [
        'anthropic',
        'claude-3-haiku-20240307',
        { input: 30_000, output: 1_000, cacheRead: 20_000, cacheWrite: 8_000 },
        HAIKU_3,
      ],
      [
        'anthropic',
        'claude-3-opus-20240229',
        { input: 7_000, output: 1_000, cacheWrite: 5_000 },
        OPUS_4,
      ],
      [
        'anthropic',
        'claude-sonnet-4-0',
        { input: 16_000, output: 1_400, cacheRead: 8_000, cacheWrite: 4_000 },
        SONNET_3_X,
      ],
    ],
  ),
  ...casesFrom(
    {
      url: 'https://platform.claude.com/docs/about-claude/models/whats-new-opus-5',
      via: 'stored copy of the Opus 5 model page ("How it compares to the current lineup": Opus 5.5 $4 / $20, Sonnet 5.5 $2 / $10) and the pricing page (cache hits 0.05x for Opus 5.5)',
    },
    [
      [
        'anthropic',
        'claude-opus-5-5',
        { input: 60_000, output: 5_000, cacheRead: 50_000, cacheWrite: 5_000 },
        rates(4, 0.2, 5, 20, 'Claude Opus 5.5'),
      ],
      [
        'anthropic',
        'claude-sonnet-5',
        { input: 35_000, output: 2_500, cacheRead: 30_000, cacheWrite: 2_000 },
        rates(2, 0.2, 2.5, 10, 'Claude Sonnet 5'),
      ],
      [
        'anthropic',
        'claude-sonnet-4-6',
        { input: 24_000, output: 1_600, cacheRead: 16_000, cacheWrite: 4_000 },
        rates(3, 0.3, 3.75, 15, 'Claude Sonnet 4.6'),
      ],
    ],
  ),
  ...casesFrom(
    {
      url: PAGE,
      pageUpdated: '2026-03-21',
      via: 'deploybase.ai "Claude API Pricing 2026" (current as of 2026-03-21, quoting the pricing page: "Opus 4.6 and Sonnet 4.6 eliminated long-context surcharges, making 1M contexts available at standard rates")',
    },
    [
      [
        'anthropic',
        'claude-opus-4-6',
        { input: 300_000, output: 10_000, cacheRead: 100_000 },
        OPUS_4_5_TO_5,
      ],
      [
        'anthropic',
        'claude-sonnet-4-6',
        {
          input: 300_000,
          output: 10_000,
          cacheRead: 100_000,
          cacheWrite: 20_000,
        },
        rates(3, 0.3, 3.75, 15, 'Claude Sonnet 4.6, any context length'),
      ],
      [
        'aws.bedrock',
        'global.anthropic.claude-opus-4-6-v1:0',
        { input: 300_000, output: 10_000 },
        OPUS_4_5_TO_5,
      ],
      [
        'aws.bedrock',
        'global.anthropic.claude-sonnet-4-6',
        { input: 300_000, output: 10_000, cacheRead: 250_000 },
        rates(3, 0.3, 3.75, 15, 'Claude Sonnet 4.6 global, any context length'),
      ],
      [
        'gcp.vertex_ai',
        'claude-sonnet-4-6',
        { input: 300_000, output: 10_000 },
        rates(
          3,
          0.3,
          3.75,
          15,
          'Claude Sonnet 4.6 on Vertex, any context length',
        ),
      ],
    ],
  ),
  ...casesFrom(
    {
      url: 'https://platform.claude.com/docs/en/about-claude/pricing',
      via: 'stored copy of the pricing page (model pricing table: "Claude Mythos 5.1 (limited availability) | $10 | $12.50 | $20 | $0.25 | $50", "Claude Mythos 5 (limited availability) | $10 | $12.50 | $20 | $1 | $50")',
    },
    [
      [
        'anthropic',
        'claude-mythos-5',
        { input: 50_000, output: 4_000, cacheRead: 40_000, cacheWrite: 5_000 },
        MYTHOS_5,
      ],
      [
        'anthropic',
        'claude-mythos-5-1',
        { input: 48_000, output: 3_500, cacheRead: 40_000, cacheWrite: 4_000 },
        MYTHOS_5_1,
      ],
    ],
  ),
  // Release days: Mythos 5 with Fable 5 (2026-06-09), Mythos 5.1 with Fable 5.1 (2026-09-01).
  ...calledAt(
    '2026-06-09T00:00:00Z',
    casesFrom(
      {
        url: 'https://platform.claude.com/docs/en/about-claude/pricing',
        via: 'stored copy of the pricing page (Mythos 5 row) and of the Fable 5 model page ("Released June 9, 2026"; Mythos 5 "shares Claude Fable 5\'s specifications and pricing")',
      },
      [
        [
          'anthropic',
          'claude-mythos-5',
          { input: 8_000, output: 900 },
          MYTHOS_5,
        ],
      ],
    ),
  ),
  ...calledAt(
    '2026-09-01T00:00:00Z',
    casesFrom(
      {
        url: 'https://platform.claude.com/docs/en/about-claude/pricing',
        via: 'stored copy of the pricing page (Mythos 5.1 row); release day = Fable 5.1\'s (docs.apiyi.com "shipped 1 September 2026"; kurofune/claudit v1.8.1 found both 5.1 models on the live page that day)',
      },
      [
        [
          'anthropic',
          'claude-mythos-5-1',
          { input: 9_000, output: 700, cacheRead: 5_000 },
          MYTHOS_5_1,
        ],
      ],
    ),
  ),
  // Haiku 5.5 (released 2026-10-07): 100,000 prompt tokens is the last at the base rates.
  ...casesFrom(
    {
      url: 'https://platform.claude.com/docs/en/models/haiku-5-5/overview',
      via: 'stored copy of the Haiku 5.5 model page ("$0.10 / MTok for prompts up to 100,000 tokens, $0.50 / MTok for prompts over 100,000 tokens"; output $0.50 / $2.50; 5m cache write $0.125 / $0.625) and, for cache hits ($0.01 / $0.05), the kurofune/claudit v1.9.2 release note re-checked on the live pricing page 2026-10-24 and apidog.com (2026-10-08)',
    },
    [
      [
        'anthropic',
        'claude-haiku-5-5',
        { input: 20_000, output: 2_000, cacheRead: 15_000, cacheWrite: 3_000 },
        HAIKU_5_5,
      ],
      [
        'anthropic',
        'claude-haiku-5-5',
        {
          input: 100_000,
          output: 4_000,
          cacheRead: 80_000,
          cacheWrite: 10_000,
        },
        HAIKU_5_5,
      ],
      [
        'anthropic',
        'claude-haiku-5-5',
        {
          input: 100_001,
          output: 4_000,
          cacheRead: 80_000,
          cacheWrite: 10_000,
        },
        HAIKU_5_5,
      ],
      [
        'anthropic',
        'claude-haiku-5-5',
        { input: 400_000, output: 6_000, cacheRead: 350_000 },
        HAIKU_5_5,
      ],
    ],
  ),
  ...calledAt(
    '2026-10-07T00:00:00Z',
    casesFrom(
      {
        url: 'https://platform.claude.com/docs/en/models/haiku-5-5/overview',
        via: 'stored copy of the Haiku 5.5 model page ("Released October 7, 2026"; rates as above)',
      },
      [
        [
          'anthropic',
          'claude-haiku-5-5',
          { input: 12_000, output: 1_000, cacheRead: 6_000 },
          HAIKU_5_5,
        ],
      ],
    ),
  ),
  // Sonnet 5.5: cache hits cut from $0.20 to $0.10 on 2026-10-07; no long-context premium.
  ...calledAt(
    '2026-10-06T23:59:59Z',
    casesFrom(
      {
        url: 'https://platform.claude.com/docs/en/models/sonnet-5-5/overview',
        via: 'stored copy of the Sonnet 5.5 model page before the cut ($2 in, $2.50 5m write, $0.20 cache read, $10 out)',
      },
      [
        [
          'anthropic',
          'claude-sonnet-5-5',
          {
            input: 40_000,
            output: 3_000,
            cacheRead: 30_000,
            cacheWrite: 4_000,
          },
          SONNET_5_5_LAUNCH,
        ],
      ],
    ),
  ),
  ...calledAt(
    '2026-10-07T00:00:00Z',
    casesFrom(
      {
        url: 'https://platform.claude.com/docs/en/about-claude/pricing',
        via: 'kurofune/claudit v1.9.2 and TheKrush/PromptFuel v1.0.23 release notes, both re-checked on the live pricing page ("Sonnet 5.5 cache reads cut from $0.20 to $0.10 per MTok on 2026-10-07"; other rates unchanged)',
      },
      [
        [
          'anthropic',
          'claude-sonnet-5-5',
          {
            input: 41_000,
            output: 3_000,
            cacheRead: 30_000,
            cacheWrite: 4_000,
          },
          SONNET_5_5,
        ],
      ],
    ),
  ),
  ...casesFrom(
    {
      url: 'https://platform.claude.com/docs/en/about-claude/pricing',
      via: 'kurofune/claudit v1.9.2 and TheKrush/PromptFuel v1.0.23 (cache hits $0.10 from 2026-10-07) over the stored Sonnet 5.5 model page ($2 / $2.50 / $10); apidog.com: no long-context premium ("a 900K-token request costs the same per token as a 9K one")',
    },
    [
      [
        'anthropic',
        'claude-sonnet-5-5',
        { input: 60_000, output: 5_000, cacheRead: 50_000, cacheWrite: 5_000 },
        SONNET_5_5,
      ],
      [
        'anthropic',
        'claude-sonnet-5-5',
        { input: 300_000, output: 8_000, cacheRead: 250_000 },
        SONNET_5_5,
      ],
    ],
  ),
];

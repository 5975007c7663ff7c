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
];

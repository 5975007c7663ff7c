/**
 * Amazon Bedrock (`aws.bedrock`), on-demand, us-east-1. Claude 4.5 and later:
 * `global.` profiles at list price, geo (`us.`/`eu.`) profiles +10 %.
 */
import { casesFrom, rates, type PublishedCase } from './published-case.js';

const PAGE = 'https://aws.amazon.com/bedrock/pricing/';

/** Claude Sonnet 4.5, every token at the long-context rates above 200K prompt tokens. */
const SONNET_4_5_GLOBAL = {
  ...rates(3, 0.3, 3.75, 15, 'Sonnet 4.5 global'),
  longContext: {
    aboveInputTokens: 200_000,
    inputPerMTok: 6,
    cacheReadPerMTok: 0.6,
    cacheWritePerMTok: 7.5,
    outputPerMTok: 22.5,
  },
};
const SONNET_4_5_GEO = {
  ...rates(3.3, 0.33, 4.125, 16.5, 'Sonnet 4.5 geo (+10 %)'),
  longContext: {
    aboveInputTokens: 200_000,
    inputPerMTok: 6.6,
    cacheReadPerMTok: 0.66,
    cacheWritePerMTok: 8.25,
    outputPerMTok: 24.75,
  },
};

export const BEDROCK_CASES: readonly PublishedCase[] = [
  ...casesFrom(
    {
      url: PAGE,
      via: 'techdailyfeed.com quoting the page (Nova Micro $0.000035 / $0.00014 per 1K) and tokenmix.ai "AWS Bedrock Pricing 2026" (2026-04-10: Nova Pro $0.80, Nova Lite $0.06 input; geo profiles +10 %)',
    },
    [
      [
        'aws.bedrock',
        'amazon.nova-micro-v1:0',
        { input: 100_000, output: 5_000 },
        rates(0.035, undefined, undefined, 0.14, 'Nova Micro'),
      ],
      [
        'aws.bedrock',
        'amazon.nova-lite-v1:0',
        { input: 60_000, output: 4_000 },
        rates(0.06, undefined, undefined, 0.24, 'Nova Lite'),
      ],
      [
        'aws.bedrock',
        'us.amazon.nova-pro-v1:0',
        { input: 20_000, output: 2_000 },
        rates(0.8, undefined, undefined, 3.2, 'Nova Pro'),
      ],
    ],
  ),
  ...casesFrom(
    {
      url: PAGE,
      via: 'own reading of the page (Nova Premier $2.50 / $12.50; Llama 3.3 70B $0.72 / $0.72; Llama 3.1 8B $0.22 / $0.22; Llama 4 Maverick $0.24 / $0.97; gpt-oss-120b $0.15 / $0.60); not re-read on a stored copy',
    },
    [
      [
        'aws.bedrock',
        'amazon.nova-premier-v1:0',
        { input: 10_000, output: 2_000 },
        rates(2.5, undefined, undefined, 12.5, 'Nova Premier'),
      ],
      [
        'aws.bedrock',
        'meta.llama3-3-70b-instruct-v1:0',
        { input: 12_000, output: 1_500 },
        rates(0.72, undefined, undefined, 0.72, 'Llama 3.3 70B'),
      ],
      [
        'aws.bedrock',
        'us.meta.llama3-1-8b-instruct-v1:0',
        { input: 9_000, output: 800 },
        rates(0.22, undefined, undefined, 0.22, 'Llama 3.1 8B'),
      ],
      [
        'aws.bedrock',
        'us.meta.llama4-maverick-17b-instruct-v1:0',
        { input: 16_000, output: 2_400 },
        rates(0.24, undefined, undefined, 0.97, 'Llama 4 Maverick'),
      ],
      [
        'aws.bedrock',
        'openai.gpt-oss-120b-1:0',
        { input: 20_000, output: 3_000 },
        rates(0.15, undefined, undefined, 0.6, 'gpt-oss-120b'),
      ],
    ],
  ),
  ...casesFrom(
    {
      url: PAGE,
      via: 'Anthropic list prices (platform.claude.com pricing, stored copy) for global profiles; +10 % for geo profiles per the Bedrock page (tokenmix.ai 2026-04-10 quoting it)',
    },
    [
      [
        'aws.bedrock',
        'global.anthropic.claude-opus-4-5-20251101-v1:0',
        { input: 30_000, output: 2_000, cacheRead: 24_000, cacheWrite: 3_000 },
        rates(5, 0.5, 6.25, 25, 'Opus 4.5 global'),
      ],
      [
        'aws.bedrock',
        'us.anthropic.claude-opus-4-5-20251101-v1:0',
        { input: 30_000, output: 2_000, cacheRead: 24_000, cacheWrite: 3_000 },
        rates(5.5, 0.55, 6.875, 27.5, 'Opus 4.5 geo (+10 %)'),
      ],
      [
        'aws.bedrock',
        'global.anthropic.claude-sonnet-4-6',
        { input: 22_000, output: 1_500, cacheRead: 16_000, cacheWrite: 2_000 },
        rates(3, 0.3, 3.75, 15, 'Sonnet 4.6 global'),
      ],
      [
        'aws.bedrock',
        'eu.anthropic.claude-sonnet-4-6',
        { input: 22_000, output: 1_500, cacheRead: 16_000, cacheWrite: 2_000 },
        rates(3.3, 0.33, 4.125, 16.5, 'Sonnet 4.6 geo (+10 %)'),
      ],
      [
        'aws.bedrock',
        'anthropic.claude-3-7-sonnet-20250219-v1:0',
        { input: 18_000, output: 1_000, cacheRead: 10_000, cacheWrite: 4_000 },
        rates(3, 0.3, 3.75, 15, 'Sonnet 3.7 in-region'),
      ],
      [
        'aws.bedrock',
        'us.anthropic.claude-opus-4-1-20250805-v1:0',
        { input: 9_000, output: 1_100, cacheRead: 4_000 },
        rates(15, 1.5, 18.75, 75, 'Opus 4.1 (pre-4.5: no geo premium)'),
      ],
    ],
  ),
  ...casesFrom(
    {
      url: PAGE,
      pageUpdated: '2026-09-03',
      via: 'the page\'s rows as transcribed by AWS in aws/agent-toolkit-for-aws (bedrock-pricing-cache.md, last updated 2026-09-03: "Claude Sonnet 4.5 — Long Context | 6.00 | 22.50 | 200K+", LC 5m cache write 7.50, cache read 0.60); geo profiles +10 % (AWS global cross-Region inference docs)',
    },
    [
      [
        'aws.bedrock',
        'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
        {
          input: 200_000,
          output: 4_000,
          cacheRead: 150_000,
          cacheWrite: 10_000,
        },
        SONNET_4_5_GLOBAL,
      ],
      [
        'aws.bedrock',
        'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
        {
          input: 200_001,
          output: 4_000,
          cacheRead: 150_000,
          cacheWrite: 10_000,
        },
        SONNET_4_5_GLOBAL,
      ],
      [
        'aws.bedrock',
        'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
        { input: 250_000, output: 5_000, cacheRead: 200_000 },
        SONNET_4_5_GEO,
      ],
      [
        'aws.bedrock',
        'eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
        { input: 50_000, output: 2_000, cacheRead: 40_000, cacheWrite: 5_000 },
        SONNET_4_5_GEO,
      ],
    ],
  ),
  // The release day (2025-09-29), above the threshold.
  ...casesFrom(
    {
      url: PAGE,
      via: 'as above (Sonnet 4.5 long-context rows), called on the release day',
    },
    [
      [
        'aws.bedrock',
        'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
        { input: 400_000, output: 6_000, cacheRead: 300_000 },
        SONNET_4_5_GLOBAL,
      ],
    ],
  ).map(c => ({ ...c, at: Date.parse('2025-09-29T00:00:00Z') })),
];

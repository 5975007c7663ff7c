/** xAI API (`x_ai`). */
import { casesFrom, rates, type PublishedCase } from './published-case.js';

const PAGE = 'https://docs.x.ai/docs/models';

const GROK_3 = rates(3, 0.75, undefined, 15, 'grok-3');
const GROK_3_MINI = rates(0.3, 0.075, undefined, 0.5, 'grok-3-mini');
/** Grok 4.20 reasoning: every token at the higher rates from 200,000 prompt tokens. */
const GROK_4_20 = {
  ...rates(1.25, 0.2, undefined, 2.5, 'grok-4.20, < 200k prompt tokens'),
  longContext: {
    aboveInputTokens: 199_999,
    inputPerMTok: 2.5,
    cacheReadPerMTok: 0.4,
    outputPerMTok: 5,
  },
};

export const XAI_CASES: readonly PublishedCase[] = [
  ...casesFrom(
    {
      url: 'https://docs.x.ai/docs/models/grok-4.3',
      via: 'stored copy of the xAI Grok 4.3 model page (Input $1.25, Cached $0.20, Output $2.50 per 1M; different rates above 200K)',
    },
    [
      [
        'x_ai',
        'grok-4.3',
        { input: 50_000, output: 4_000, cacheRead: 40_000 },
        rates(1.25, 0.2, undefined, 2.5, 'grok-4.3, <= 200K'),
      ],
      [
        'x_ai',
        'grok-4.3',
        { input: 6_000, output: 1_500 },
        rates(1.25, 0.2, undefined, 2.5, 'grok-4.3, <= 200K'),
      ],
    ],
  ),
  ...casesFrom(
    {
      url: PAGE,
      pageUpdated: '2025-06-02',
      via: 'archive.fo copy of "Models and Pricing | xAI Docs" archived 2 Jun 2025 (model pricing table)',
    },
    [
      [
        'x_ai',
        'grok-3',
        { input: 20_000, output: 2_000, cacheRead: 10_000 },
        GROK_3,
      ],
      ['x_ai', 'grok-3-latest', { input: 4_000, output: 600 }, GROK_3],
      [
        'x_ai',
        'grok-3-mini',
        { input: 30_000, output: 6_000, cacheRead: 20_000 },
        GROK_3_MINI,
      ],
      [
        'x_ai',
        'grok-3-fast',
        { input: 10_000, output: 1_000, cacheRead: 5_000 },
        rates(5, 1.25, undefined, 25, 'grok-3-fast'),
      ],
      [
        'x_ai',
        'grok-3-mini-fast',
        { input: 10_000, output: 3_000, cacheRead: 5_000 },
        rates(0.6, 0.15, undefined, 4, 'grok-3-mini-fast'),
      ],
      [
        'x_ai',
        'grok-2-vision-1212',
        { input: 5_000, output: 500 },
        rates(2, undefined, undefined, 10, 'grok-2-vision-1212'),
      ],
    ],
  ),
  ...casesFrom(
    {
      url: PAGE,
      pageUpdated: '2025-10-21',
      via: 'archive.fo copy archived 21 Oct 2025 lists grok-code-fast-1, grok-4-fast-(non-)reasoning, grok-4-0709; the rates are from own reading of the page (the stored copy does not render them)',
    },
    [
      [
        'x_ai',
        'grok-4-0709',
        { input: 25_000, output: 5_000, cacheRead: 10_000 },
        rates(3, 0.75, undefined, 15, 'grok-4-0709, <= 128K'),
      ],
      [
        'x_ai',
        'grok-4',
        { input: 8_000, output: 3_000 },
        rates(3, 0.75, undefined, 15, 'grok-4 (alias of grok-4-0709), <= 128K'),
      ],
      [
        'x_ai',
        'grok-code-fast-1',
        { input: 60_000, output: 8_000, cacheRead: 50_000 },
        rates(0.2, 0.02, undefined, 1.5, 'grok-code-fast-1'),
      ],
      [
        'x_ai',
        'grok-4-fast-reasoning',
        { input: 40_000, output: 6_000, cacheRead: 30_000 },
        rates(0.2, 0.05, undefined, 0.5, 'grok-4-fast, <= 128K'),
      ],
      [
        'x_ai',
        'grok-4-fast-non-reasoning',
        { input: 40_000, output: 2_000 },
        rates(0.2, 0.05, undefined, 0.5, 'grok-4-fast, <= 128K'),
      ],
      [
        'x_ai',
        'grok-4-1-fast-reasoning',
        { input: 45_000, output: 7_000, cacheRead: 35_000 },
        rates(0.2, 0.05, undefined, 0.5, 'grok-4.1-fast, <= 128K'),
      ],
    ],
  ),
  ...casesFrom(
    {
      url: 'https://docs.x.ai/developers/models',
      via: 'stored copy of docs.x.ai/developers/models.md ("Pricing [in (cached in) / out]": grok-4-1-fast-(non-)reasoning $0.20 ($0.05) / $0.50)',
    },
    [
      [
        'x_ai',
        'grok-4-1-fast-non-reasoning',
        { input: 100_000, output: 20_000, cacheRead: 50_000 },
        rates(0.2, 0.05, undefined, 0.5, 'grok-4.1-fast'),
      ],
    ],
  ),
  ...casesFrom(
    {
      url: 'https://docs.x.ai/developers/models/grok-4.20-0309',
      via: 'stored copy of docs.x.ai/developers/models/grok-4.20-0309.md (model name grok-4.20-0309-reasoning and its aliases; "< 200k prompt tokens" $1.25 / cached $0.20 / $2.50, "≥ 200k" $2.50 / $0.40 / $5.00 for all tokens of the request)',
    },
    [
      [
        'x_ai',
        'grok-4.20-0309-reasoning',
        { input: 50_000, output: 4_000, cacheRead: 40_000 },
        GROK_4_20,
      ],
      [
        'x_ai',
        'grok-4.20-0309-reasoning',
        { input: 199_999, output: 3_000, cacheRead: 150_000 },
        GROK_4_20,
      ],
      [
        'x_ai',
        'grok-4.20-0309-reasoning',
        { input: 200_000, output: 3_000, cacheRead: 150_000 },
        GROK_4_20,
      ],
      [
        'x_ai',
        'grok-4.20-beta-0309-reasoning',
        { input: 10_000, output: 1_000 },
        GROK_4_20,
      ],
      [
        'x_ai',
        'grok-4.20-reasoning',
        { input: 300_000, output: 5_000, cacheRead: 200_000 },
        GROK_4_20,
      ],
    ],
  ),
];

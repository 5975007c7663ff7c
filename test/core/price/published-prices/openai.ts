/** OpenAI API (`gen_ai.provider.name` = `openai`), Standard tier. */
import { casesFrom, rates, type PublishedCase } from './published-case.js';

const PAGE = 'https://platform.openai.com/docs/pricing';

const GPT_5_5 = rates(5, 0.5, undefined, 30, 'gpt-5.5, < 272K context');
const GPT_5_4 = rates(2.5, 0.25, undefined, 15, 'gpt-5.4, < 272K context');
/** gpt-5.5 above 272K input tokens: 2x input, 1.5x output. */
const GPT_5_5_LONG = {
  ...GPT_5_5,
  longContext: {
    aboveInputTokens: 272_000,
    inputPerMTok: 10,
    cacheReadPerMTok: 1,
    outputPerMTok: 45,
  },
};
const GPT_5_4_MINI = rates(0.75, 0.075, undefined, 4.5, 'gpt-5.4-mini');
const GPT_5_4_NANO = rates(0.2, 0.02, undefined, 1.25, 'gpt-5.4-nano');
const PRO_5_X = rates(
  30,
  undefined,
  undefined,
  180,
  'gpt-5.5-pro / gpt-5.4-pro, < 272K',
);

/** Long context: more than 272K input tokens, 2x input and 1.5x output. */
const GPT_5_4_LONG = {
  ...GPT_5_4,
  longContext: {
    aboveInputTokens: 272_000,
    inputPerMTok: 5,
    cacheReadPerMTok: 0.5,
    outputPerMTok: 22.5,
  },
};

export const OPENAI_CASES: readonly PublishedCase[] = [
  ...casesFrom(
    {
      url: PAGE,
      pageUpdated: '2026-06-04',
      via: 'tokenmix.ai "OpenAI API Cost 2026" (data verified 2026-06-04 against the OpenAI pricing page) and morphllm.com "OpenAI API pricing" (June 2026 table)',
    },
    [
      [
        'openai',
        'gpt-5.5',
        { input: 40_000, output: 3_000, cacheRead: 32_000 },
        GPT_5_5,
      ],
      ['openai', 'gpt-5.5', { input: 8_000, output: 1_200 }, GPT_5_5],
      [
        'openai',
        'gpt-5.5',
        { input: 400_000, output: 6_000, cacheRead: 300_000 },
        GPT_5_5_LONG,
      ],
      ['openai', 'gpt-5.5-pro', { input: 12_000, output: 6_000 }, PRO_5_X],
      [
        'openai',
        'gpt-5.4',
        { input: 25_000, output: 2_500, cacheRead: 20_000 },
        GPT_5_4,
      ],
      [
        'openai',
        'gpt-5.4',
        { input: 300_000, output: 4_000, cacheRead: 250_000 },
        GPT_5_4_LONG,
      ],
      [
        'openai',
        'gpt-5.4-mini',
        { input: 60_000, output: 5_000, cacheRead: 40_960 },
        GPT_5_4_MINI,
      ],
      ['openai', 'gpt-5.4-mini', { input: 3_000, output: 700 }, GPT_5_4_MINI],
      [
        'openai',
        'gpt-5.4-nano',
        { input: 120_000, output: 8_000, cacheRead: 100_000 },
        GPT_5_4_NANO,
      ],
      ['openai', 'gpt-5.4-nano', { input: 900, output: 150 }, GPT_5_4_NANO],
      ['openai', 'gpt-5.4-pro', { input: 20_000, output: 9_000 }, PRO_5_X],
    ],
  ),
  ...casesFrom(
    {
      url: PAGE,
      via: 'own reading of the OpenAI pricing page (models still listed, prices unchanged since launch); not re-read on a stored copy',
    },
    [
      [
        'openai',
        'gpt-5.1',
        { input: 30_000, output: 4_000, cacheRead: 24_000 },
        rates(1.25, 0.125, undefined, 10, 'gpt-5.1'),
      ],
      [
        'openai',
        'gpt-5.2',
        { input: 18_000, output: 2_200, cacheRead: 9_000 },
        rates(1.75, 0.175, undefined, 14, 'gpt-5.2'),
      ],
      [
        'openai',
        'gpt-5-pro',
        { input: 10_000, output: 5_000 },
        rates(15, undefined, undefined, 120, 'gpt-5-pro'),
      ],
      [
        'openai',
        'o3-mini',
        { input: 14_000, output: 6_000, cacheRead: 4_096 },
        rates(1.1, 0.55, undefined, 4.4, 'o3-mini'),
      ],
      [
        'openai',
        'o3-pro',
        { input: 5_000, output: 7_000 },
        rates(20, undefined, undefined, 80, 'o3-pro'),
      ],
      [
        'openai',
        'gpt-4-turbo',
        { input: 4_000, output: 900 },
        rates(10, undefined, undefined, 30, 'gpt-4-turbo'),
      ],
      [
        'openai',
        'gpt-3.5-turbo',
        { input: 2_500, output: 400 },
        rates(0.5, undefined, undefined, 1.5, 'gpt-3.5-turbo-0125'),
      ],
      [
        'openai',
        'text-embedding-ada-002',
        { input: 300_000, output: 0 },
        rates(0.1, undefined, undefined, 0, 'text-embedding-ada-002'),
      ],
    ],
  ),
];

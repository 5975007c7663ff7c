/**
 * Google: the Gemini Developer API (`gcp.gemini`) and Vertex AI
 * (`gcp.vertex_ai`), paid Standard tier, text tokens. Output includes
 * thinking tokens. Cache storage (per hour) is not a per-request price.
 */
import type { PublishedPrice } from '../published-prices.js';
import { casesFrom, rates, type PublishedCase } from './published-case.js';

const GEMINI_PAGE = 'https://ai.google.dev/gemini-api/docs/pricing';
const VERTEX_PAGE = 'https://cloud.google.com/vertex-ai/generative-ai/pricing';

/** Gemini 3 Pro / 3.1 Pro Preview: $2 / $0.20 / $12; > 200K: $4 / $0.40 / $18. */
const GEMINI_3_PRO: PublishedPrice = {
  ...rates(2, 0.2, undefined, 12, 'Gemini 3 Pro / 3.1 Pro Preview'),
  longContext: {
    aboveInputTokens: 200_000,
    inputPerMTok: 4,
    cacheReadPerMTok: 0.4,
    outputPerMTok: 18,
  },
};
const FLASH_LITE_3_1 = rates(
  0.25,
  0.025,
  undefined,
  1.5,
  'Gemini 3.1 Flash-Lite',
);
const FLASH_LITE_2_5 = rates(
  0.1,
  0.01,
  undefined,
  0.4,
  'Gemini 2.5 Flash-Lite',
);
const FLASH_2_5 = rates(0.3, 0.03, undefined, 2.5, 'Gemini 2.5 Flash');
const PRO_2_5: PublishedPrice = {
  ...rates(1.25, 0.125, undefined, 10, 'Gemini 2.5 Pro'),
  longContext: {
    aboveInputTokens: 200_000,
    inputPerMTok: 2.5,
    cacheReadPerMTok: 0.25,
    outputPerMTok: 15,
  },
};

/** Claude Sonnet 4.5 on Vertex: Anthropic's rates, > 200K input: $6 / $0.60 / $7.50 / $22.50. */
const SONNET_4_5: PublishedPrice = {
  ...rates(3, 0.3, 3.75, 15, 'Claude Sonnet 4.5 on Vertex'),
  longContext: {
    aboveInputTokens: 200_000,
    inputPerMTok: 6,
    cacheReadPerMTok: 0.6,
    cacheWritePerMTok: 7.5,
    outputPerMTok: 22.5,
  },
};

export const GOOGLE_CASES: readonly PublishedCase[] = [
  ...casesFrom(
    {
      url: GEMINI_PAGE,
      pageUpdated: '2026-01',
      via: 'aifreeapi.com "Gemini API Pricing 2026" (Jan 2026, quoting the page: 3 Pro Preview $2 / $12, > 200K $4 / $18; 2.5 Flash-Lite $0.10 / $0.40) and modelpedia.dev (official source, 3.1 Flash-Lite $0.25 / $0.025 / $1.50)',
    },
    [
      [
        'gcp.gemini',
        'gemini-3-pro-preview',
        { input: 80_000, output: 6_000, cacheRead: 60_000 },
        GEMINI_3_PRO,
      ],
      [
        'gcp.gemini',
        'gemini-3-pro-preview',
        { input: 240_000, output: 5_000 },
        GEMINI_3_PRO,
      ],
      [
        'gcp.gemini',
        'gemini-3.1-pro-preview',
        { input: 50_000, output: 8_000, cacheRead: 10_000 },
        GEMINI_3_PRO,
      ],
      [
        'gcp.gemini',
        'gemini-3.1-pro-preview',
        { input: 210_000, output: 3_000, cacheRead: 150_000 },
        GEMINI_3_PRO,
      ],
      [
        'gcp.gemini',
        'gemini-3.1-flash-lite',
        { input: 40_000, output: 3_000, cacheRead: 20_000 },
        FLASH_LITE_3_1,
      ],
      [
        'gcp.gemini',
        'gemini-2.5-flash-lite',
        { input: 70_000, output: 2_000, cacheRead: 50_000 },
        FLASH_LITE_2_5,
      ],
      [
        'gcp.gemini',
        'models/gemini-2.5-flash',
        { input: 15_000, output: 4_000 },
        FLASH_2_5,
      ],
    ],
  ),
  ...casesFrom(
    {
      url: GEMINI_PAGE,
      via: 'own reading of the page (Gemini 2.0 Flash-Lite $0.075 / $0.30; Gemini 3 Flash Preview $0.50 / $0.05 / $3); not re-read on a stored copy',
    },
    [
      [
        'gcp.gemini',
        'gemini-2.0-flash-lite',
        { input: 25_000, output: 1_500 },
        rates(0.075, undefined, undefined, 0.3, 'Gemini 2.0 Flash-Lite'),
      ],
      [
        'gcp.gemini',
        'gemini-3-flash-preview',
        { input: 30_000, output: 5_000, cacheRead: 12_000 },
        rates(0.5, 0.05, undefined, 3, 'Gemini 3 Flash Preview'),
      ],
    ],
  ),
  ...casesFrom(
    {
      url: VERTEX_PAGE,
      via: "Vertex lists the same Standard-tier token prices as the Gemini API for these models (fate-oracle.com notes citing both pages, accessed 2026-05/06) and Anthropic's prices for Claude on Vertex (global endpoint)",
    },
    [
      [
        'gcp.vertex_ai',
        'gemini-2.5-flash-lite',
        { input: 35_000, output: 2_500 },
        FLASH_LITE_2_5,
      ],
      [
        'gcp.vertex_ai',
        'gemini-2.5-pro',
        { input: 90_000, output: 4_000, cacheRead: 30_000 },
        PRO_2_5,
      ],
      [
        'gcp.vertex_ai',
        'gemini-3-pro-preview',
        { input: 20_000, output: 2_000 },
        GEMINI_3_PRO,
      ],
      [
        'gcp.vertex_ai',
        'claude-opus-4-5@20251101',
        { input: 28_000, output: 2_000, cacheRead: 20_000, cacheWrite: 4_000 },
        rates(5, 0.5, 6.25, 25, 'Claude Opus 4.5 on Vertex'),
      ],
      [
        'gcp.vertex_ai',
        'claude-sonnet-4-5@20250929',
        { input: 32_000, output: 1_600, cacheRead: 24_000, cacheWrite: 4_000 },
        SONNET_4_5,
      ],
      [
        'gcp.vertex_ai',
        'claude-haiku-4-5@20251001',
        { input: 26_000, output: 1_100, cacheRead: 18_000, cacheWrite: 4_000 },
        rates(1, 0.1, 1.25, 5, 'Claude Haiku 4.5 on Vertex'),
      ],
      [
        'gcp.vertex_ai',
        'claude-sonnet-4-5@20250929',
        { input: 250_000, output: 3_000, cacheRead: 200_000 },
        SONNET_4_5,
      ],
      [
        'gcp.vertex_ai',
        'claude-3-5-haiku@20241022',
        { input: 14_000, output: 900, cacheRead: 8_000, cacheWrite: 2_000 },
        rates(0.8, 0.08, 1, 4, 'Claude Haiku 3.5 on Vertex'),
      ],
      [
        'gcp.vertex_ai',
        'claude-opus-4-1@20250805',
        { input: 6_000, output: 900, cacheWrite: 3_000 },
        rates(15, 1.5, 18.75, 75, 'Claude Opus 4.1 on Vertex'),
      ],
      [
        'gcp.vertex_ai',
        'claude-sonnet-4-6',
        { input: 18_000, output: 1_200, cacheRead: 12_000 },
        rates(3, 0.3, 3.75, 15, 'Claude Sonnet 4.6 on Vertex'),
      ],
      [
        'gcp.vertex_ai',
        'claude-opus-4-7',
        { input: 10_000, output: 1_000, cacheRead: 6_000, cacheWrite: 2_000 },
        rates(5, 0.5, 6.25, 25, 'Claude Opus 4.7 on Vertex'),
      ],
      [
        'gcp.vertex_ai',
        'gemini-embedding-001',
        { input: 200_000, output: 0 },
        rates(0.15, undefined, undefined, 0, 'gemini-embedding-001'),
      ],
    ],
  ),
];

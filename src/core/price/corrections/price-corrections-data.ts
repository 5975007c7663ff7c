import type { DatedPrice } from '../price-schedule.js';

/** One dated price of a correction, with where it was published. */
export interface CorrectionPrice extends DatedPrice {
  /** When the price took effect (required for a correction). */
  readonly effectiveFrom: string;
  /** The provider's published pricing page (URL). */
  readonly source: string;
  /** When the source was last checked (`YYYY-MM-DD`). */
  readonly checked: string;
  /** How it was checked, and anything unverified. */
  readonly note?: string;
}

/**
 * A correction of the bundled `@pydantic/genai-prices` data: the provider's
 * published prices for some model ids, applied by default between
 * genai-prices and your overrides. Before the earliest `effectiveFrom`,
 * genai-prices prices the call.
 */
export interface PriceCorrection {
  /** GenAI provider name (`deepseek`, `aws.bedrock`, `mistral_ai`, ...). */
  readonly provider: string;
  /** Model ids as the provider's API reports them (exact, case-insensitive). */
  readonly models: readonly string[];
  /** Why genai-prices is wrong here. */
  readonly reason: string;
  /** Oldest first. */
  readonly prices: readonly CorrectionPrice[];
}

/** Names this data in `gen_ai.cost.price_version` (`+corrections.<date>`). */
export const PRICE_CORRECTIONS_VERSION = '2026-11-30';

const DEEPSEEK = 'https://api-docs.deepseek.com/quick_start/pricing';
const ANTHROPIC = 'https://docs.anthropic.com/en/docs/about-claude/pricing';
const MISTRAL = 'https://mistral.ai/pricing';
const BEDROCK = 'https://aws.amazon.com/bedrock/pricing/';

/** The bundled corrections. Each entry cites its source; see docs/pricing.md. */
export const PRICE_CORRECTIONS: readonly PriceCorrection[] = [
  {
    provider: 'deepseek',
    models: ['deepseek-chat', 'deepseek-reasoner'],
    reason:
      'genai-prices 0.1.8 still has the V3/R1 prices with the night discount DeepSeek dropped on 2025-09-05; the aliases then served V3.1, V3.2 and (from 2026-04-24 until their retirement on 2026-07-24 15:59 UTC) V4-Flash',
    prices: [
      {
        effectiveFrom: '2025-09-05T16:00:00Z',
        inputPerMTokUsd: 0.56,
        cacheReadPerMTokUsd: 0.07,
        outputPerMTokUsd: 1.68,
        source: DEEPSEEK,
        checked: '2026-11-30',
        note: 'V3.1, same price for both ids, no night discount: stored snapshot of the page ("Starting from 16:00 UTC Time on Sept 5th, 2025 ... $0.07 / $0.56 / $1.68")',
      },
      {
        effectiveFrom: '2025-09-29',
        inputPerMTokUsd: 0.28,
        cacheReadPerMTokUsd: 0.028,
        outputPerMTokUsd: 0.42,
        source: DEEPSEEK,
        checked: '2026-11-30',
        note: 'V3.2: page quoted by benchlm.ai (April 2026: $0.028 hit / $0.28 miss / $0.42 out for both ids); date from the 2025-09-29 V3.2-Exp notice ("API prices drop 50%+, effective immediately", quoted by skywork.ai); the hour of the change is not published, UTC midnight assumed',
      },
      {
        effectiveFrom: '2026-04-24',
        inputPerMTokUsd: 0.14,
        cacheReadPerMTokUsd: 0.028,
        outputPerMTokUsd: 0.28,
        source: DEEPSEEK,
        checked: '2026-11-30',
        note: 'V4 release: both aliases map to deepseek-v4-flash ($0.14 miss / $0.28 out: chat-deep.ai and tokenmix.ai quoting the page, checked 2026-04-26/30); launch cache-hit price = 10x the 2026-04-26 price below; the hour of the release is not published, UTC midnight assumed',
      },
      {
        effectiveFrom: '2026-04-26T12:15:00Z',
        inputPerMTokUsd: 0.14,
        cacheReadPerMTokUsd: 0.0028,
        outputPerMTokUsd: 0.28,
        source: DEEPSEEK,
        checked: '2026-11-30',
        note: 'cache-hit prices cut to one tenth "effective 2026-04-26 12:15 UTC" (tokenmix.ai quoting the page); the same rates as genai-prices\' deepseek-v4-flash entry. The aliases are retired after 2026-07-24 15:59 UTC (calls fail)',
      },
    ],
  },
  {
    provider: 'aws.bedrock',
    models: ['amazon.titan-embed-text-v2:0', 'amazon.titan-embed-text-v2'],
    reason:
      'genai-prices 0.1.8 matches the v1 rule (contains amazon.titan-embed-text) and charges $0.10 per million',
    prices: [
      {
        effectiveFrom: '2024-04-30',
        inputPerMTokUsd: 0.02,
        outputPerMTokUsd: 0,
        source: BEDROCK,
        checked: '2026-11-30',
        note: '$0.00002 per 1,000 input tokens; the stored snapshots of the page do not show the model table, so the number is from project research (LiteLLM amazon.titan-embed-text-v2:0 = 2e-8 per token) and not re-read on the page; date = V2 launch (AWS ML blog, 2024-04-30)',
      },
    ],
  },
  {
    provider: 'mistral_ai',
    models: ['mistral-large-latest'],
    reason:
      'mistral-large-latest points to Mistral Large 3 (mistral-large-2512) since 2025-12-02; genai-prices 0.1.8 prices it as Large 2 ($2/$6) although it prices mistral-large-2512 right',
    prices: [
      {
        effectiveFrom: '2025-12-02',
        inputPerMTokUsd: 0.5,
        cacheReadPerMTokUsd: 0.05,
        outputPerMTokUsd: 1.5,
        source: MISTRAL,
        checked: '2026-11-30',
        note: "official page not in the stored crawl; $0.50 / $1.50 and the 2025-12-02 release read on hokai.io, frankx.ai and anttisahla.com (verified 2026-02-26), all quoting la Plateforme; the cache-read rate is genai-prices' own for mistral-large-2512, not seen on a published page",
      },
    ],
  },
  {
    provider: 'mistral_ai',
    models: ['mistral-small-2506'],
    reason: 'Mistral Small 3.2 is not in genai-prices 0.1.8 (unknown_model)',
    prices: [
      {
        effectiveFrom: '2025-06-20',
        inputPerMTokUsd: 0.1,
        outputPerMTokUsd: 0.3,
        source: MISTRAL,
        checked: '2026-11-23',
        note: 'snapshot of margindash.com ("Mistral Small 3.2 $0.10 / $0.30"); date = Small 3.2 release (own knowledge)',
      },
    ],
  },
  {
    provider: 'anthropic',
    models: [
      'claude-sonnet-4-20250514',
      'claude-sonnet-4-0',
      'claude-sonnet-4',
    ],
    reason:
      'genai-prices 0.1.8 has no long-context tier for Sonnet 4 (it does for Sonnet 4.5)',
    prices: [
      {
        effectiveFrom: '2025-05-22',
        inputPerMTokUsd: 3,
        cacheWritePerMTokUsd: 3.75,
        cacheReadPerMTokUsd: 0.3,
        outputPerMTokUsd: 15,
        tiers: [
          {
            aboveInputTokens: 200_000,
            inputPerMTokUsd: 6,
            cacheWritePerMTokUsd: 7.5,
            cacheReadPerMTokUsd: 0.6,
            outputPerMTokUsd: 22.5,
          },
        ],
        source: ANTHROPIC,
        checked: '2026-11-30',
        note: 'stored snapshot of the page: Sonnet 4 $3 / $3.75 (5m write) / $0.30 (hit) / $15, and "> 200K input tokens: Input $6, Output $22.50"; the long-context cache rates apply the page\'s multipliers (1.25x, 0.1x) to $6, as the page says they stack (quoted by eonsr.com), not read as numbers',
      },
    ],
  },
];

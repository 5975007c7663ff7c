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
const CLAUDE_PRICING =
  'https://platform.claude.com/docs/en/about-claude/pricing';
const MISTRAL = 'https://mistral.ai/pricing';
const BEDROCK = 'https://aws.amazon.com/bedrock/pricing/';
const GROK_4_20 = 'https://docs.x.ai/developers/models/grok-4.20-0309';

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
        note: "$0.00002 per 1,000 input tokens; the stored snapshots of the page do not show the model table and no AWS-authored copy of the row was found (re-checked 2026-11-30), so the number is from third parties: OpenRouter's amazon/titan-embed-text-v2 page ($0.02/M tokens, served by Amazon Bedrock; OpenRouter states it passes provider prices through without markup, and lists v1 at Bedrock's $0.10/M) and LiteLLM (2e-8 per token); date = V2 launch (AWS ML blog, 2024-04-30)",
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
        note: "official page not in the stored crawl (re-checked 2026-11-30); $0.50 / $1.50 and the 2025-12-02 release read on hokai.io, frankx.ai and anttisahla.com (verified 2026-02-26), all quoting la Plateforme, and the same $0.50 / $1.50 for Mistral Large 3 on Bedrock in AWS's own transcription of the Bedrock page (aws/agent-toolkit-for-aws, 2026-09-03); the cache-read rate ($0.05, 0.1x) is genai-prices' own for mistral-large-2512, not seen on a published page",
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
        note: 'stored snapshot of the page: Sonnet 4 $3 / $3.75 (5m write) / $0.30 (hit) / $15, and "> 200K input tokens: Input $6, Output $22.50"; the long-context cache rates apply the page\'s multipliers (1.25x, 0.1x) to $6, as the page says they stack (quoted by eonsr.com), not read as numbers for Sonnet 4 (re-checked 2026-11-30: no copy of the page lists them); the same stacking is what AWS lists for the sibling Sonnet 4.5 long-context row on Bedrock (5m write $7.50, cache read $0.60, aws/agent-toolkit-for-aws transcription of the Bedrock page, 2026-09-03)',
      },
    ],
  },
  {
    provider: 'anthropic',
    models: ['claude-sonnet-5-5'],
    reason:
      'genai-prices 0.1.8 prices claude-sonnet-5-5 by its claude-sonnet-5 entry: cache hits at $0.20, the rate before the 2026-10-07 cut',
    prices: [
      {
        effectiveFrom: '2026-10-07',
        inputPerMTokUsd: 2,
        cacheWritePerMTokUsd: 2.5,
        cacheReadPerMTokUsd: 0.1,
        outputPerMTokUsd: 10,
        source: CLAUDE_PRICING,
        checked: '2026-11-30',
        note: 'stored copy of the Sonnet 5.5 model page (platform.claude.com/docs/.../models/sonnet-5-5/overview: $2 in, $2.50 5m write, $0.20 cache read, $10 out, no long-context premium) for the launch card; the cut of cache hits to $0.10 (0.05x) on 2026-10-07 read in two release notes that re-checked the live pricing page (kurofune/claudit v1.9.2, 2026-10-24; TheKrush/PromptFuel v1.0.23, 2026-10-16), not on a stored copy of the page itself; UTC midnight assumed. Before 2026-10-07 genai-prices prices it right ($2 / $0.20 / $10)',
      },
    ],
  },
  {
    provider: 'anthropic',
    models: ['claude-haiku-5-5'],
    reason:
      'Claude Haiku 5.5 is not in genai-prices 0.1.8 (unknown_model); it has a tier above 100,000 prompt tokens',
    prices: [
      {
        effectiveFrom: '2026-10-07',
        inputPerMTokUsd: 0.1,
        cacheWritePerMTokUsd: 0.125,
        cacheReadPerMTokUsd: 0.01,
        outputPerMTokUsd: 0.5,
        tiers: [
          {
            aboveInputTokens: 100_000,
            inputPerMTokUsd: 0.5,
            cacheWritePerMTokUsd: 0.625,
            cacheReadPerMTokUsd: 0.05,
            outputPerMTokUsd: 2.5,
          },
        ],
        source: CLAUDE_PRICING,
        checked: '2026-11-30',
        note: 'stored copy of the Haiku 5.5 model page (platform.claude.com/docs/en/models/haiku-5-5/overview: "Released October 7, 2026"; input $0.10 / $0.50, output $0.50 / $2.50, 5m write $0.125 / $0.625 "for prompts up to / over 100,000 tokens"); the cache-hit rates $0.01 / $0.05 from the claudit v1.9.2 release note (re-checked on the live pricing page 2026-10-24: the prompt counts input + cache reads + cache writes, and every token of a long request, output included, is billed at the higher rates) and apidog.com (2026-10-08); UTC midnight assumed',
      },
    ],
  },
  {
    provider: 'anthropic',
    models: ['claude-mythos-5'],
    reason:
      'Claude Mythos 5 (limited availability) is not in genai-prices 0.1.8 (unknown_model)',
    prices: [
      {
        effectiveFrom: '2026-06-09',
        inputPerMTokUsd: 10,
        cacheWritePerMTokUsd: 12.5,
        cacheReadPerMTokUsd: 1,
        outputPerMTokUsd: 50,
        source: CLAUDE_PRICING,
        checked: '2026-11-30',
        note: 'stored copy of the pricing page (model pricing table: "Claude Mythos 5 (limited availability) | $10 | $12.50 | $20 | $1 | $50"); date = release with Fable 5 ("Released June 9, 2026" on the Fable 5 model page, which says Mythos 5 shares its pricing)',
      },
    ],
  },
  {
    provider: 'anthropic',
    models: ['claude-mythos-5-1'],
    reason:
      'Claude Mythos 5.1 (limited availability) is not in genai-prices 0.1.8 (unknown_model)',
    prices: [
      {
        effectiveFrom: '2026-09-01',
        inputPerMTokUsd: 10,
        cacheWritePerMTokUsd: 12.5,
        cacheReadPerMTokUsd: 0.25,
        outputPerMTokUsd: 50,
        source: CLAUDE_PRICING,
        checked: '2026-11-30',
        note: 'stored copy of the pricing page (model pricing table: "Claude Mythos 5.1 (limited availability) | $10 | $12.50 | $20 | $0.25 | $50"); date = Fable 5.1 release (2026-09-01, docs.apiyi.com), the day the claudit v1.8.1 refresh of the live page found both 5.1 models; not read on an Anthropic page',
      },
    ],
  },
  {
    provider: 'x_ai',
    models: [
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
    ],
    reason:
      'genai-prices 0.1.8 knows only the grok-4.20 alias; the model name xAI reports (grok-4.20-0309-reasoning) and its other aliases are unknown_model',
    prices: [
      {
        effectiveFrom: '2026-11-30',
        inputPerMTokUsd: 1.25,
        cacheReadPerMTokUsd: 0.2,
        outputPerMTokUsd: 2.5,
        tiers: [
          {
            // "≥ 200k prompt tokens": a tier starts above its threshold.
            aboveInputTokens: 199_999,
            inputPerMTokUsd: 2.5,
            cacheReadPerMTokUsd: 0.4,
            outputPerMTokUsd: 5,
          },
        ],
        source: GROK_4_20,
        checked: '2026-11-30',
        note: 'stored copy of the xAI model page (model name grok-4.20-0309-reasoning and these aliases; "< 200k prompt tokens" $1.25 in / $0.20 cached / $2.50 out, "≥ 200k" $2.50 / $0.40 / $5.00, "billed at the higher rate for all tokens in the request"), the same rates as genai-prices\' grok-4.20 entry. The date this schedule took effect is not published: launch (2026-03-10) was $2 / $6 flat (third-party pages quoting the launch table) and an older copy of the page shows $1.25 / $2.50 flat, so the correction starts on the day it was checked and earlier calls stay unpriced rather than priced at a guessed rate',
      },
    ],
  },
  {
    provider: 'aws.bedrock',
    models: ['global.anthropic.claude-sonnet-4-5-20250929-v1:0'],
    reason:
      'genai-prices 0.1.8 has no long-context tier for Claude Sonnet 4.5 on Bedrock (it has one for the Anthropic API)',
    prices: [
      {
        effectiveFrom: '2025-09-29',
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
        source: BEDROCK,
        checked: '2026-11-30',
        note: 'rows of the page transcribed by AWS in aws/agent-toolkit-for-aws (bedrock-pricing-cache.md, "Last updated 2026-09-03", US East N. Virginia standard on-demand = global list price): "Claude Sonnet 4.5 — Long Context | 6.00 | 22.50 | 200K+", 5m cache write 7.50, cache read 0.60; base rows 3 / 3.75 / 0.30 / 15; not read on a stored copy of the page itself. Date = Sonnet 4.5 release on Bedrock; AWS notes the 1M context of Sonnet 4.5 on Bedrock was deprecated on 2026-04-30, so the tier matters for calls before then',
      },
    ],
  },
  {
    provider: 'aws.bedrock',
    models: [
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'jp.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'apac.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'au.anthropic.claude-sonnet-4-5-20250929-v1:0',
    ],
    reason:
      'genai-prices 0.1.8 has no long-context tier for Claude Sonnet 4.5 on Bedrock geo profiles',
    prices: [
      {
        effectiveFrom: '2025-09-29',
        inputPerMTokUsd: 3.3,
        cacheWritePerMTokUsd: 4.125,
        cacheReadPerMTokUsd: 0.33,
        outputPerMTokUsd: 16.5,
        tiers: [
          {
            aboveInputTokens: 200_000,
            inputPerMTokUsd: 6.6,
            cacheWritePerMTokUsd: 8.25,
            cacheReadPerMTokUsd: 0.66,
            outputPerMTokUsd: 24.75,
          },
        ],
        source: BEDROCK,
        checked: '2026-11-30',
        note: 'the global rows above plus 10 %: AWS docs ("Global cross-Region inference for Claude Sonnet 4.5 offers approximately 10% savings ... compared to geographic cross-Region inference") and the AWS-maintained table in aws/agent-toolkit-for-aws (bedrock_pricing.py: the geo premium is uniform across geo prefixes, e.g. Sonnet 4.6 geo $3.30 / $16.50); the long-context geo rates are this +10 % applied to the long-context rows, not read as numbers; base geo rates equal genai-prices\' own regional entry',
      },
    ],
  },
];

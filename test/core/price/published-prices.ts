/**
 * Providers' published list prices, in USD per million tokens (MTok).
 *
 * The expected values in `price-table.test.ts` are computed from these
 * constants and nothing else: never from `@pydantic/genai-prices` output and
 * never from our own code. When a published price and the bundled table
 * disagree, the price here stays as published and the case is either left out
 * or asserted through an override (see the test file and the report).
 *
 * How each price was checked (this sandbox has no web access, only the npm
 * registry and a store of crawled pages):
 * - "snapshot": read on a stored crawl of the named page (or of a page quoting
 *   it, named too), searched on 2026-11-23;
 * - "own knowledge": the author's knowledge of the page, not re-read here.
 */

export interface TokenRates {
  readonly inputPerMTok: number;
  /** Embeddings bill input only: 0. Output includes reasoning/thinking. */
  readonly outputPerMTok: number;
  readonly cacheReadPerMTok?: number;
  /** 5-minute (default) cache write where the provider has several TTLs. */
  readonly cacheWritePerMTok?: number;
}

export interface PublishedPrice extends TokenRates {
  /** Where the price is published and how it was checked. */
  readonly source: string;
  /**
   * A long-context tier: when the request's TOTAL input tokens (cache reads
   * and writes included) exceed `aboveInputTokens`, every token of the
   * request, output included, is billed at these rates.
   */
  readonly longContext?: TokenRates & { readonly aboveInputTokens: number };
}

const OPENAI =
  'https://openai.com/api/pricing (platform.openai.com/docs/pricing)';
const ANTHROPIC =
  'https://www.anthropic.com/pricing and https://docs.claude.com/en/docs/about-claude/pricing';
const GEMINI_API = 'https://ai.google.dev/gemini-api/docs/pricing';
const VERTEX = 'https://cloud.google.com/vertex-ai/generative-ai/pricing';
const BEDROCK = 'https://aws.amazon.com/bedrock/pricing/';
const AZURE =
  'https://azure.microsoft.com/en-us/pricing/details/cognitive-services/openai-service/';
const MISTRAL = 'https://mistral.ai/pricing';
const DEEPSEEK = 'https://api-docs.deepseek.com/quick_start/pricing';

// ---------------------------------------------------------------- OpenAI ----

/** gpt-4o (= gpt-4o-2024-08-06 / -2024-11-20): $2.50 in, $1.25 cached, $10 out. */
export const GPT_4O: PublishedPrice = {
  inputPerMTok: 2.5,
  cacheReadPerMTok: 1.25,
  outputPerMTok: 10,
  source: `${OPENAI}; snapshot (aimodelcalc.pages.dev quoting the page, May 2026) + own knowledge for cached`,
};

/** gpt-4o-2024-05-13, the first snapshot: $5 / $15, no cached-input price. */
export const GPT_4O_2024_05_13: PublishedPrice = {
  inputPerMTok: 5,
  outputPerMTok: 15,
  source: `${OPENAI}; own knowledge`,
};

/** gpt-4o-mini (= gpt-4o-mini-2024-07-18): $0.15 in, $0.075 cached, $0.60 out. */
export const GPT_4O_MINI: PublishedPrice = {
  inputPerMTok: 0.15,
  cacheReadPerMTok: 0.075,
  outputPerMTok: 0.6,
  source: `${OPENAI}; snapshot (ai.cloudprice.net "openai_pricing", 2026-06-20)`,
};

/** o1: $15 in, $7.50 cached, $60 out. */
export const O1: PublishedPrice = {
  inputPerMTok: 15,
  cacheReadPerMTok: 7.5,
  outputPerMTok: 60,
  source: `${OPENAI}; own knowledge`,
};

/** o3 from the 2025-06-10 price cut: $2 in, $0.50 cached, $8 out. */
export const O3: PublishedPrice = {
  inputPerMTok: 2,
  cacheReadPerMTok: 0.5,
  outputPerMTok: 8,
  source: `${OPENAI}, price cut of 2025-06-10; own knowledge`,
};

/**
 * o3 at launch (2025-04-16 until the 2025-06-10 cut): $10 in, $2.50 cached,
 * $40 out. Only the uncached case is asserted: see the report on the cached
 * rate.
 */
export const O3_BEFORE_2025_06_10: PublishedPrice = {
  inputPerMTok: 10,
  cacheReadPerMTok: 2.5,
  outputPerMTok: 40,
  source: `${OPENAI}, launch price 2025-04-16; own knowledge`,
};

/** o4-mini: $1.10 in, $0.275 cached, $4.40 out. */
export const O4_MINI: PublishedPrice = {
  inputPerMTok: 1.1,
  cacheReadPerMTok: 0.275,
  outputPerMTok: 4.4,
  source: `${OPENAI}; own knowledge`,
};

/** gpt-4.1: $2 in, $0.50 cached, $8 out. */
export const GPT_4_1: PublishedPrice = {
  inputPerMTok: 2,
  cacheReadPerMTok: 0.5,
  outputPerMTok: 8,
  source: `${OPENAI}; snapshot (tokenmath.io, "OpenAI model pricing, checked Jun 21, 2026") + own knowledge for cached`,
};

/** gpt-4.1-mini: $0.40 in, $0.10 cached, $1.60 out. */
export const GPT_4_1_MINI: PublishedPrice = {
  inputPerMTok: 0.4,
  cacheReadPerMTok: 0.1,
  outputPerMTok: 1.6,
  source: `${OPENAI}; snapshot (tokenmath.io, checked Jun 21, 2026) + own knowledge for cached`,
};

/** gpt-4.1-nano: $0.10 in, $0.025 cached, $0.40 out. */
export const GPT_4_1_NANO: PublishedPrice = {
  inputPerMTok: 0.1,
  cacheReadPerMTok: 0.025,
  outputPerMTok: 0.4,
  source: `${OPENAI}; own knowledge`,
};

/** gpt-5: $1.25 in, $0.125 cached, $10 out. */
export const GPT_5: PublishedPrice = {
  inputPerMTok: 1.25,
  cacheReadPerMTok: 0.125,
  outputPerMTok: 10,
  source: `${OPENAI}, launch 2025-08-07; own knowledge`,
};

/** gpt-5-mini: $0.25 in, $0.025 cached, $2 out. */
export const GPT_5_MINI: PublishedPrice = {
  inputPerMTok: 0.25,
  cacheReadPerMTok: 0.025,
  outputPerMTok: 2,
  source: `${OPENAI}, launch 2025-08-07; own knowledge`,
};

/** gpt-5-nano: $0.05 in, $0.005 cached, $0.40 out. */
export const GPT_5_NANO: PublishedPrice = {
  inputPerMTok: 0.05,
  cacheReadPerMTok: 0.005,
  outputPerMTok: 0.4,
  source: `${OPENAI}, launch 2025-08-07; own knowledge`,
};

/** text-embedding-3-small: $0.02 per MTok of input. */
export const TEXT_EMBEDDING_3_SMALL: PublishedPrice = {
  inputPerMTok: 0.02,
  outputPerMTok: 0,
  source: `${OPENAI}; snapshot (tokenmath.io, checked Jun 21, 2026)`,
};

/** text-embedding-3-large: $0.13 per MTok of input. */
export const TEXT_EMBEDDING_3_LARGE: PublishedPrice = {
  inputPerMTok: 0.13,
  outputPerMTok: 0,
  source: `${OPENAI}; own knowledge`,
};

// ------------------------------------------------------- Azure OpenAI ----

/**
 * Azure OpenAI gpt-4o-mini (0718), **Global** standard deployment: $0.15 in,
 * $0.075 cached, $0.60 out. Regional / Data Zone deployments cost more
 * ($0.165 / $0.66) and the deployment type is not visible in the model id; we
 * assert the Global price (pricing.md §5 case az-02).
 */
export const AZURE_GPT_4O_MINI_GLOBAL: PublishedPrice = {
  inputPerMTok: 0.15,
  cacheReadPerMTok: 0.075,
  outputPerMTok: 0.6,
  source: `${AZURE} (Global deployment); snapshot (redresscompliance.com table quoting it) + own knowledge`,
};

/** Azure OpenAI gpt-4o (2024-08-06 / 2024-11-20), Global: $2.50 / $1.25 / $10. */
export const AZURE_GPT_4O_GLOBAL: PublishedPrice = {
  inputPerMTok: 2.5,
  cacheReadPerMTok: 1.25,
  outputPerMTok: 10,
  source: `${AZURE} (Global deployment); snapshot (redresscompliance.com table quoting it)`,
};

// ------------------------------------------------------------ Anthropic ----

/**
 * Claude Sonnet 4.5: $3 in, $3.75 5-min cache write, $0.30 cache hit, $15 out.
 * Long context: a request with more than 200K input tokens (cache reads and
 * writes count) is billed entirely at $6 in / $22.50 out; the prompt-caching
 * multipliers apply on top ($7.50 write = 1.25x, $0.60 hit = 0.1x).
 */
export const CLAUDE_SONNET_4_5: PublishedPrice = {
  inputPerMTok: 3,
  cacheWritePerMTok: 3.75,
  cacheReadPerMTok: 0.3,
  outputPerMTok: 15,
  longContext: {
    aboveInputTokens: 200_000,
    inputPerMTok: 6,
    cacheWritePerMTok: 7.5,
    cacheReadPerMTok: 0.6,
    outputPerMTok: 22.5,
  },
  source: `${ANTHROPIC}; snapshot (docs.anthropic.com pricing: model table + "> 200K input tokens: $6 / $22.50"); long-context cache rates = published multipliers, own knowledge`,
};

/** Claude Sonnet 4 below 200K: $3 / $3.75 / $0.30 / $15 (tier: CLAUDE_SONNET_4_LONG_CONTEXT). */
export const CLAUDE_SONNET_4: PublishedPrice = {
  inputPerMTok: 3,
  cacheWritePerMTok: 3.75,
  cacheReadPerMTok: 0.3,
  outputPerMTok: 15,
  source: `${ANTHROPIC}; snapshot (docs.anthropic.com pricing model table)`,
};

/**
 * Claude Sonnet 4 on the Anthropic API with its long-context tier: above
 * 200K input tokens, $6 in / $22.50 out for the whole request (read on a
 * stored docs.anthropic.com pricing snapshot, "> 200K input tokens"); cache
 * write $7.50 and read $0.60 are the page's 1.25x / 0.1x multipliers on $6.
 * The bundled genai-prices has no tier here: priced by the corrections.
 */
export const CLAUDE_SONNET_4_LONG_CONTEXT: PublishedPrice = {
  ...CLAUDE_SONNET_4,
  longContext: {
    aboveInputTokens: 200_000,
    inputPerMTok: 6,
    cacheWritePerMTok: 7.5,
    cacheReadPerMTok: 0.6,
    outputPerMTok: 22.5,
  },
  source: `${ANTHROPIC}; snapshot (docs.anthropic.com pricing, long context table) + multipliers for the cache rates`,
};

/** Claude Haiku 4.5: $1 in, $1.25 cache write, $0.10 cache hit, $5 out. */
export const CLAUDE_HAIKU_4_5: PublishedPrice = {
  inputPerMTok: 1,
  cacheWritePerMTok: 1.25,
  cacheReadPerMTok: 0.1,
  outputPerMTok: 5,
  source: `${ANTHROPIC}; snapshot (platform.claude.com/docs/zh-CN/about-claude/pricing model table)`,
};

/** Claude Haiku 3.5: $0.80 in, $1 cache write, $0.08 cache hit, $4 out. */
export const CLAUDE_HAIKU_3_5: PublishedPrice = {
  inputPerMTok: 0.8,
  cacheWritePerMTok: 1,
  cacheReadPerMTok: 0.08,
  outputPerMTok: 4,
  source: `${ANTHROPIC}; snapshot (docs.anthropic.com pricing model table)`,
};

/** Claude Opus 4.1: $15 in, $18.75 cache write, $1.50 cache hit, $75 out. */
export const CLAUDE_OPUS_4_1: PublishedPrice = {
  inputPerMTok: 15,
  cacheWritePerMTok: 18.75,
  cacheReadPerMTok: 1.5,
  outputPerMTok: 75,
  source: `${ANTHROPIC}; snapshot (docs.anthropic.com pricing model table)`,
};

/** Claude Opus 4.5 (released 2025-11-24): $5 in, $6.25 write, $0.50 hit, $25 out. */
export const CLAUDE_OPUS_4_5: PublishedPrice = {
  inputPerMTok: 5,
  cacheWritePerMTok: 6.25,
  cacheReadPerMTok: 0.5,
  outputPerMTok: 25,
  source: `${ANTHROPIC}; snapshot (platform.claude.com/docs/zh-CN/about-claude/pricing model table)`,
};

// ------------------------------------------------------ Gemini API ----

/**
 * Gemini 2.5 Pro: $1.25 in / $10 out (thinking included) for prompts
 * ≤ 200K tokens; $2.50 / $15 for prompts > 200K. Context-cache reads $0.125
 * (≤ 200K) / $0.25 (> 200K); cache storage is billed per hour and is not a
 * per-request token price, so it is not modelled.
 */
export const GEMINI_2_5_PRO: PublishedPrice = {
  inputPerMTok: 1.25,
  cacheReadPerMTok: 0.125,
  outputPerMTok: 10,
  longContext: {
    aboveInputTokens: 200_000,
    inputPerMTok: 2.5,
    cacheReadPerMTok: 0.25,
    outputPerMTok: 15,
  },
  source: `${GEMINI_API}; snapshot (deploybase.ai quoting it, March 2026) for in/out tiers; cache rates own knowledge (the 90 % cache discount, not the old $0.31)`,
};

/** Gemini 2.5 Flash: $0.30 in (text/image/video), $0.03 cached, $2.50 out (thinking included). */
export const GEMINI_2_5_FLASH: PublishedPrice = {
  inputPerMTok: 0.3,
  cacheReadPerMTok: 0.03,
  outputPerMTok: 2.5,
  source: `${GEMINI_API}; snapshot (deploybase.ai quoting it, March 2026) for in/out; cache rate own knowledge`,
};

/** Gemini 2.5 Flash-Lite: $0.10 in (text), $0.01 cached, $0.40 out. */
export const GEMINI_2_5_FLASH_LITE: PublishedPrice = {
  inputPerMTok: 0.1,
  cacheReadPerMTok: 0.01,
  outputPerMTok: 0.4,
  source: `${GEMINI_API}; snapshot (hivebook.wiki quoting it: "Flash-Lite at $0.10/MTok input") + own knowledge`,
};

/** Gemini 2.0 Flash (Gemini API): $0.10 in (text), $0.025 cached, $0.40 out. */
export const GEMINI_2_0_FLASH: PublishedPrice = {
  inputPerMTok: 0.1,
  cacheReadPerMTok: 0.025,
  outputPerMTok: 0.4,
  source: `${GEMINI_API}; snapshot (modelpedia.dev: standard $0.1 / cached $0.025 / $0.4)`,
};

/** gemini-embedding-001 (Gemini API): $0.15 per MTok of input. */
export const GEMINI_EMBEDDING_001: PublishedPrice = {
  inputPerMTok: 0.15,
  outputPerMTok: 0,
  source: `${GEMINI_API}; own knowledge (GA July 2025 at $0.15/MTok)`,
};

// ------------------------------------------------------------- Vertex ----

/** Claude Sonnet 4 on Vertex AI (global endpoint): same as Anthropic's list price. */
export const VERTEX_CLAUDE_SONNET_4: PublishedPrice = {
  ...CLAUDE_SONNET_4,
  source: `${VERTEX} (Anthropic partner models); own knowledge: same as ${ANTHROPIC}`,
};

/** Gemini 2.5 Flash on Vertex AI: $0.30 in / $2.50 out, as on the Gemini API. */
export const VERTEX_GEMINI_2_5_FLASH: PublishedPrice = {
  ...GEMINI_2_5_FLASH,
  source: `${VERTEX}; own knowledge: same in/out as ${GEMINI_API}`,
};

/** Gemini 2.5 Pro on Vertex AI: $1.25/$10 ≤ 200K, $2.50/$15 > 200K (no cache asserted). */
export const VERTEX_GEMINI_2_5_PRO: PublishedPrice = {
  ...GEMINI_2_5_PRO,
  source: `${VERTEX}; own knowledge: same tiers as ${GEMINI_API}`,
};

// ------------------------------------------------------------ Bedrock ----

/**
 * Bedrock, Claude Sonnet 4.5 through the **global** cross-region profile
 * (`global.anthropic.…`): Anthropic's list price, $3 / $3.75 / $0.30 / $15.
 */
export const BEDROCK_SONNET_4_5_GLOBAL: PublishedPrice = {
  inputPerMTok: 3,
  cacheWritePerMTok: 3.75,
  cacheReadPerMTok: 0.3,
  outputPerMTok: 15,
  source: `${BEDROCK} (Global cross-region inference); own knowledge, consistent with snapshot clauder-navi.com/en/bedrock-claude-cost`,
};

/**
 * Bedrock, Claude Sonnet 4.5 through a **geographic** profile (`us.`, `eu.`,
 * `apac.`, …) or in-region: 10 % above global for Claude 4.5 and later, i.e.
 * $3.30 / $4.125 / $0.33 / $16.50. (Verified premise: "Starting with Claude
 * Sonnet 4.5 / Haiku 4.5 / Opus 4.5 … regional priced 10% higher than global",
 * also on input, output and cache.)
 */
export const BEDROCK_SONNET_4_5_GEO: PublishedPrice = {
  inputPerMTok: 3.3,
  cacheWritePerMTok: 4.125,
  cacheReadPerMTok: 0.33,
  outputPerMTok: 16.5,
  source: `${BEDROCK} (Geo / in-region = global + 10 %); snapshot clauder-navi.com/en/bedrock-claude-cost for the 10 % rule, numbers own knowledge`,
};

/** Bedrock Claude Haiku 4.5, global profile: $1 / $1.25 / $0.10 / $5. */
export const BEDROCK_HAIKU_4_5_GLOBAL: PublishedPrice = {
  inputPerMTok: 1,
  cacheWritePerMTok: 1.25,
  cacheReadPerMTok: 0.1,
  outputPerMTok: 5,
  source: `${BEDROCK} (Global); own knowledge, consistent with snapshot clauder-navi.com ("Haiku 4.5 at $1 input / $5 output")`,
};

/** Bedrock Claude Haiku 4.5, geographic profile: +10 % = $1.10 / $1.375 / $0.11 / $5.50. */
export const BEDROCK_HAIKU_4_5_GEO: PublishedPrice = {
  inputPerMTok: 1.1,
  cacheWritePerMTok: 1.375,
  cacheReadPerMTok: 0.11,
  outputPerMTok: 5.5,
  source: `${BEDROCK} (Geo / in-region = global + 10 %); own knowledge`,
};

/** Bedrock Claude Sonnet 4 (pre-4.5: no geo premium): $3 / $3.75 / $0.30 / $15. */
export const BEDROCK_SONNET_4: PublishedPrice = {
  inputPerMTok: 3,
  cacheWritePerMTok: 3.75,
  cacheReadPerMTok: 0.3,
  outputPerMTok: 15,
  source: `${BEDROCK}; own knowledge (the +10 % applies from Claude 4.5 on)`,
};

/** Bedrock Claude 3.5 Haiku: $0.80 in, $1 cache write, $0.08 cache read, $4 out. */
export const BEDROCK_HAIKU_3_5: PublishedPrice = {
  inputPerMTok: 0.8,
  cacheWritePerMTok: 1,
  cacheReadPerMTok: 0.08,
  outputPerMTok: 4,
  source: `${BEDROCK}; snapshot (tokenmix.ai: "Claude 3.5 Haiku (input/1M) $0.80", same as direct) + own knowledge`,
};

/** Bedrock Claude 3 Haiku: $0.25 in / $1.25 out (no Bedrock cache price asserted). */
export const BEDROCK_HAIKU_3: PublishedPrice = {
  inputPerMTok: 0.25,
  outputPerMTok: 1.25,
  source: `${BEDROCK}; own knowledge`,
};

/** Amazon Titan Text Embeddings (G1, `amazon.titan-embed-text-v1`): $0.0001/1K = $0.10/MTok. */
export const TITAN_EMBED_TEXT_V1: PublishedPrice = {
  inputPerMTok: 0.1,
  outputPerMTok: 0,
  source: `${BEDROCK}; own knowledge`,
};

/**
 * Amazon Titan Text Embeddings V2 (`amazon.titan-embed-text-v2:0`):
 * $0.00002/1K = $0.02/MTok. The bundled table prices it as v1 ($0.10):
 * priced by the corrections. Not re-read on a stored page (see the report).
 */
export const TITAN_EMBED_TEXT_V2: PublishedPrice = {
  inputPerMTok: 0.02,
  outputPerMTok: 0,
  source: `${BEDROCK}; own knowledge (also pricing.md §6)`,
};

// ------------------------------------------------------------ Mistral ----

/** Codestral 25.08 (`codestral-2508`): $0.30 in / $0.90 out. */
export const CODESTRAL_2508: PublishedPrice = {
  inputPerMTok: 0.3,
  outputPerMTok: 0.9,
  source: `${MISTRAL}; snapshot (tokenmix.ai, April 2026: "Codestral $0.30 / $0.90")`,
};

/** Mistral Medium 3 (`mistral-medium-2505`): $0.40 in / $2 out. */
export const MISTRAL_MEDIUM_2505: PublishedPrice = {
  inputPerMTok: 0.4,
  outputPerMTok: 2,
  source: `${MISTRAL}; snapshot (margindash.com "Mistral Medium 3 $0.40 / $2.00") + own knowledge (launch post 2025-05-07)`,
};

/** Mistral Large 2.1 (`mistral-large-2411`): $2 in / $6 out. */
export const MISTRAL_LARGE_2411: PublishedPrice = {
  inputPerMTok: 2,
  outputPerMTok: 6,
  source: `${MISTRAL}; snapshot (margindash.com "Mistral Large 2 $2.00 / $6.00")`,
};

/** Ministral 8B 24.10 (`ministral-8b-2410`): $0.10 in / $0.10 out. */
export const MINISTRAL_8B_2410: PublishedPrice = {
  inputPerMTok: 0.1,
  outputPerMTok: 0.1,
  source: `${MISTRAL}; snapshot (tokenmix.ai "Ministral 8B $0.10 / $0.10") + own knowledge`,
};

/** Mistral NeMo (`open-mistral-nemo`): $0.15 / $0.15 since the 2024 price cut. */
export const MISTRAL_NEMO: PublishedPrice = {
  inputPerMTok: 0.15,
  outputPerMTok: 0.15,
  source: `${MISTRAL}; own knowledge (cut from $0.30 in Sept 2024)`,
};

/** Mistral Small 3.2 (`mistral-small-2506`): $0.10 in / $0.30 out. Not in genai-prices: priced by the corrections. */
export const MISTRAL_SMALL_2506: PublishedPrice = {
  inputPerMTok: 0.1,
  outputPerMTok: 0.3,
  source: `${MISTRAL}; snapshot (margindash.com "Mistral Small 3.2 $0.10 / $0.30")`,
};

/**
 * Mistral Large 3 (`mistral-large-2512`, and `mistral-large-latest` since its
 * 2025-12-02 release): $0.50 in / $1.50 out (hokai.io, frankx.ai and
 * anttisahla.com quoting la Plateforme; the official page is not stored).
 */
export const MISTRAL_LARGE_3: PublishedPrice = {
  inputPerMTok: 0.5,
  outputPerMTok: 1.5,
  source: `${MISTRAL}; snapshot (hokai.io / frankx.ai "$0.50 / $1.50", Large 3 released 2025-12-02)`,
};

/** Mistral Embed (`mistral-embed`): $0.10 per MTok of input. */
export const MISTRAL_EMBED: PublishedPrice = {
  inputPerMTok: 0.1,
  outputPerMTok: 0,
  source: `${MISTRAL}; own knowledge`,
};

// ----------------------------------------------------------- DeepSeek ----

/**
 * deepseek-chat (V3), STANDARD hours UTC 00:30–16:30, in effect until
 * 2025-09-05 16:00 UTC: $0.27 cache miss, $0.07 cache hit, $1.10 out.
 */
export const DEEPSEEK_CHAT_2025_STANDARD: PublishedPrice = {
  inputPerMTok: 0.27,
  cacheReadPerMTok: 0.07,
  outputPerMTok: 1.1,
  source: `${DEEPSEEK}; snapshot of the page's "remain in effect until 16:00 UTC Sept 5th, 2025" table`,
};

/** deepseek-chat, DISCOUNT hours UTC 16:30–00:30, until 2025-09-05: $0.135 / $0.035 / $0.55. */
export const DEEPSEEK_CHAT_2025_DISCOUNT: PublishedPrice = {
  inputPerMTok: 0.135,
  cacheReadPerMTok: 0.035,
  outputPerMTok: 0.55,
  source: `${DEEPSEEK}; snapshot (same table, discount rows)`,
};

/** deepseek-reasoner (R1), STANDARD hours, until 2025-09-05: $0.55 / $0.14 / $2.19. */
export const DEEPSEEK_REASONER_2025_STANDARD: PublishedPrice = {
  inputPerMTok: 0.55,
  cacheReadPerMTok: 0.14,
  outputPerMTok: 2.19,
  source: `${DEEPSEEK}; snapshot (same table)`,
};

/** deepseek-reasoner, DISCOUNT hours, until 2025-09-05: $0.135 / $0.035 / $0.55. */
export const DEEPSEEK_REASONER_2025_DISCOUNT: PublishedPrice = {
  inputPerMTok: 0.135,
  cacheReadPerMTok: 0.035,
  outputPerMTok: 0.55,
  source: `${DEEPSEEK}; snapshot (same table, discount rows)`,
};

/**
 * deepseek-chat and deepseek-reasoner as DeepSeek-V3.2 (from the 2025-09-29
 * V3.2-Exp release until V4 took over the aliases on 2026-04-24): $0.28 cache
 * miss, $0.028 cache hit, $0.42 out, no time-of-day discount. The bundled
 * table still has the V3/R1 prices above: priced by the corrections.
 */
export const DEEPSEEK_V3_2: PublishedPrice = {
  inputPerMTok: 0.28,
  cacheReadPerMTok: 0.028,
  outputPerMTok: 0.42,
  source: `${DEEPSEEK}; snapshot (benchlm.ai quoting the official page, April 2026) + own knowledge (2025-09-29 announcement)`,
};

/**
 * deepseek-chat and deepseek-reasoner as DeepSeek-V3.1, from 2025-09-05 16:00
 * UTC (night discount cancelled) to the 2025-09-29 V3.2 cut: $0.56 miss,
 * $0.07 hit, $1.68 out (stored snapshot of the page: "Starting from 16:00 UTC
 * Time on Sept 5th, 2025, we will apply the following price list").
 */
export const DEEPSEEK_V3_1: PublishedPrice = {
  inputPerMTok: 0.56,
  cacheReadPerMTok: 0.07,
  outputPerMTok: 1.68,
  source: `${DEEPSEEK}; snapshot of the page (Sept 2025 version)`,
};

/**
 * deepseek-chat / deepseek-reasoner as V4-Flash after the 2026-04-26 12:15
 * UTC cache-hit cut: $0.14 miss, $0.0028 hit, $0.28 out (chat-deep.ai and
 * tokenmix.ai quoting the page, checked 2026-04-26 / 2026-04-30).
 */
export const DEEPSEEK_V4_FLASH: PublishedPrice = {
  inputPerMTok: 0.14,
  cacheReadPerMTok: 0.0028,
  outputPerMTok: 0.28,
  source: `${DEEPSEEK}; snapshot (tokenmix.ai / chat-deep.ai quoting the page, April 2026)`,
};

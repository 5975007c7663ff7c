/**
 * Published list prices, typed in by hand from the providers' pricing pages,
 * in USD per 1M tokens. Expected costs in the integration tests are computed
 * from these constants only — never from `@pydantic/genai-prices` or from the
 * code under test — so a wrong price table or a wrong token split shows up as
 * a failing total.
 */

export interface TokenRates {
  /** Uncached input, USD per 1M tokens. */
  readonly input: number;
  /** Cached input read, USD per 1M tokens. */
  readonly cacheRead?: number;
  /** Cache write (5-minute TTL), USD per 1M tokens. */
  readonly cacheWrite?: number;
  /** Output, reasoning included, USD per 1M tokens. */
  readonly output?: number;
}

/**
 * OpenAI pricing page, https://openai.com/api/pricing/ and
 * https://platform.openai.com/docs/pricing (Standard tier): gpt-4o-mini
 * $0.15 input / $0.075 cached input / $0.60 output per 1M tokens. OpenAI does
 * not bill cache writes separately.
 */
export const GPT_4O_MINI: TokenRates = {
  input: 0.15,
  cacheRead: 0.075,
  output: 0.6,
};

/**
 * OpenAI pricing page, https://platform.openai.com/docs/pricing (Embeddings):
 * text-embedding-3-small $0.02 per 1M tokens.
 */
export const TEXT_EMBEDDING_3_SMALL: TokenRates = { input: 0.02 };

/**
 * Anthropic pricing, https://docs.anthropic.com/en/docs/about-claude/pricing
 * (model pricing table): Claude Haiku 3.5 $0.80 base input / $1.00 5-minute
 * cache write / $0.08 cache hit / $4 output per 1M tokens.
 */
export const CLAUDE_3_5_HAIKU: TokenRates = {
  input: 0.8,
  cacheRead: 0.08,
  cacheWrite: 1.0,
  output: 4,
};

/**
 * Anthropic pricing, https://docs.anthropic.com/en/docs/about-claude/pricing
 * (model pricing table): Claude Sonnet 4.5, prompts up to 200K tokens, $3 base
 * input / $3.75 5-minute cache write / $0.30 cache hit / $15 output per 1M
 * tokens. (Prompts above 200K input tokens bill at a higher tier; the tests
 * stay far below it.)
 */
export const CLAUDE_SONNET_4_5: TokenRates = {
  input: 3,
  cacheRead: 0.3,
  cacheWrite: 3.75,
  output: 15,
};

/**
 * Token counts of one call with unambiguous semantics: `uncachedInput` is the
 * input billed at the base rate, and the three others are billed at their own
 * rates. Output includes reasoning (reasoning is never billed on top).
 */
export interface BilledTokens {
  readonly uncachedInput: number;
  readonly cacheRead?: number;
  readonly cacheWrite?: number;
  readonly output?: number;
}

export interface ExpectedCost {
  readonly input: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
  readonly output: number;
  readonly total: number;
}

const PER_MILLION = 1_000_000;

/** The cost of one call, broken down like the `gen_ai.usage.cost.*` attributes. */
export function expectedCost(
  rates: TokenRates,
  tokens: BilledTokens,
): ExpectedCost {
  const rate = (value: number | undefined, name: string): number => {
    if (value === undefined)
      throw new Error(`no ${name} rate for these tokens`);
    return value;
  };
  const input = (tokens.uncachedInput * rates.input) / PER_MILLION;
  const cacheRead = tokens.cacheRead
    ? (tokens.cacheRead * rate(rates.cacheRead, 'cache read')) / PER_MILLION
    : 0;
  const cacheWrite = tokens.cacheWrite
    ? (tokens.cacheWrite * rate(rates.cacheWrite, 'cache write')) / PER_MILLION
    : 0;
  const output = tokens.output
    ? (tokens.output * rate(rates.output, 'output')) / PER_MILLION
    : 0;
  return {
    input,
    cacheRead,
    cacheWrite,
    output,
    total: input + cacheRead + cacheWrite + output,
  };
}

/** Sum of the totals of several calls. */
export function sumCosts(...costs: readonly ExpectedCost[]): number {
  return costs.reduce((sum, cost) => sum + cost.total, 0);
}

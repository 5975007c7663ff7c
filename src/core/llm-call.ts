/**
 * Token counts with fixed semantics, whatever the emitter wrote:
 * - `inputTokens` is the whole prompt, cache reads and cache writes included;
 * - `outputTokens` is the whole completion, reasoning included.
 * The detail counts are subsets of those totals, never additions to them.
 */
export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  readonly reasoningTokens: number;
  readonly inputAudioTokens?: number;
  readonly outputAudioTokens?: number;
}

/** A kind of token count a reader looks for. */
export type UsageKind =
  | 'input'
  | 'output'
  | 'cache_read'
  | 'cache_write'
  | 'reasoning'
  | 'input_audio'
  | 'output_audio';

/** The emitter family whose attributes a call was read from. */
export type Emitter =
  'gen_ai' | 'ai_sdk' | 'openinference' | 'traceloop' | 'langfuse' | 'manual';

/**
 * Something a reader noticed (and corrected where it can), written to the
 * span as a flag. `invalid_usage`: a token count was present but invalid;
 * the call is then priced only from a cost reported upstream, else unpriced.
 * `output_excluded_reasoning`: the emitter is known to write output without
 * its reasoning tokens; they were added to output.
 */
export type UsageIssue =
  | 'input_excluded_cache'
  | 'cache_exceeds_input'
  | 'reasoning_exceeds_output'
  | 'output_excluded_reasoning'
  | 'invalid_usage';

/** One LLM call, normalized from any emitter. Pure data. */
export interface LlmCall {
  readonly emitter: Emitter;
  /** GenAI provider name (`openai`, `anthropic`, `aws.bedrock`, ...). */
  readonly provider: string | undefined;
  /** The billed model: response model first, request model as fallback. */
  readonly model: string | undefined;
  /** `chat`, `embeddings`, `text_completion`, ... */
  readonly operation: string;
  /**
   * Undefined when the span carries no token counts, or when any count it
   * carries is invalid (then `invalidUsage` says which).
   */
  readonly usage: TokenUsage | undefined;
  /**
   * Kinds of count that were present but not valid token counts (see
   * `parseTokenCount`). Such a call is never priced from its tokens: a
   * cost reported upstream still counts, else it is unpriced (`invalid_usage`).
   * Absent or empty: every count present was valid.
   */
  readonly invalidUsage?: readonly UsageKind[] | undefined;
  /** A cost the provider or a gateway already reported, in USD. */
  readonly reportedCostUsd: number | undefined;
  readonly responseId: string | undefined;
  /** Start of the call, ms since the epoch (for date-effective prices). */
  readonly startTimeMillis: number;
  readonly issues: readonly UsageIssue[];
}

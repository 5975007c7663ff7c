import type { TokenUsage, UsageIssue } from '../llm-call.js';

/** Raw counts as a reader found them, before the semantics are fixed. */
export interface RawUsage {
  input: number | undefined;
  output: number | undefined;
  cacheRead: number | undefined;
  cacheWrite: number | undefined;
  reasoning: number | undefined;
  inputAudio?: number | undefined;
  outputAudio?: number | undefined;
  /**
   * `true` when the emitter is known to report input WITHOUT cache tokens
   * (AI SDK v4/v5 with Anthropic, Traceloop's Anthropic instrumentation),
   * `false` when known to include them, `undefined` when unknown.
   */
  inputExcludesCache: boolean | undefined;
}

export interface BuiltUsage {
  usage: TokenUsage | undefined;
  issues: UsageIssue[];
}

/**
 * The one place where token semantics are fixed: input includes cache read
 * and write, output includes reasoning. Inconsistent counts are corrected in
 * the direction that never under-charges and flagged.
 */
export function buildUsage(raw: RawUsage): BuiltUsage {
  const issues: UsageIssue[] = [];
  if (raw.input === undefined && raw.output === undefined) {
    return { usage: undefined, issues };
  }
  const cacheRead = raw.cacheRead ?? 0;
  const cacheWrite = raw.cacheWrite ?? 0;
  const cached = cacheRead + cacheWrite;
  let input = raw.input ?? 0;
  if (cached > 0) {
    if (raw.inputExcludesCache === true) {
      input += cached;
      issues.push('input_excluded_cache');
    } else if (input < cached) {
      // Input smaller than its own cache parts: the emitter reported the
      // uncached part only (the Anthropic convention). Add the cache back.
      input += cached;
      issues.push(
        raw.inputExcludesCache === false
          ? 'cache_exceeds_input'
          : 'input_excluded_cache',
      );
    }
  }
  let output = raw.output ?? 0;
  const reasoning = raw.reasoning ?? 0;
  if (reasoning > output) {
    // Reasoning is a subset of output; a larger value means the emitter
    // reported output without it. Add it rather than under-charge.
    output += reasoning;
    issues.push('reasoning_exceeds_output');
  }
  const usage: TokenUsage = {
    inputTokens: input,
    outputTokens: output,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    reasoningTokens: reasoning,
    ...(raw.inputAudio !== undefined
      ? { inputAudioTokens: raw.inputAudio }
      : {}),
    ...(raw.outputAudio !== undefined
      ? { outputAudioTokens: raw.outputAudio }
      : {}),
  };
  return { usage, issues };
}

import type { TokenUsage, UsageIssue, UsageKind } from '../llm-call.js';
import {
  INVALID_COUNT,
  isTokenCount,
  type CountReading,
} from './token-count.js';

/** Raw counts as a reader found them, before the semantics are fixed. */
export interface RawUsage {
  input: CountReading;
  output: CountReading;
  cacheRead: CountReading;
  cacheWrite: CountReading;
  reasoning: CountReading;
  inputAudio?: CountReading;
  outputAudio?: CountReading;
  /**
   * `true` when the emitter is known to report input WITHOUT cache tokens
   * (AI SDK v4/v5 with Anthropic, Traceloop's Anthropic instrumentation),
   * `false` when known to include them, `undefined` when unknown.
   */
  inputExcludesCache: boolean | undefined;
  /**
   * `true` when the emitter is known to report output WITHOUT its reasoning
   * tokens (Traceloop's Google Gen AI instrumentation: Gemini's
   * `candidatesTokenCount` and `thoughtsTokenCount`); else the counts decide.
   */
  outputExcludesReasoning?: boolean;
}

export interface BuiltUsage {
  usage: TokenUsage | undefined;
  /** Shared and frozen when empty: never modify. */
  issues: readonly UsageIssue[];
  /** Kinds present but invalid; when non-empty, `usage` is undefined. */
  invalid: readonly UsageKind[];
}

/** The answers most calls get, shared: no issue, no invalid count. */
const NO_ISSUES: readonly UsageIssue[] = Object.freeze([]);
const NO_INVALID: readonly UsageKind[] = Object.freeze([]);

/**
 * The one place where token semantics are fixed: input includes cache read
 * and write, output includes reasoning. Inconsistent counts are corrected in
 * the direction that never under-charges and flagged. Any count present but
 * invalid (see `parseTokenCount`) leaves the call without usage: it is never
 * priced on the remaining counts. A total that the corrections push past
 * `MAX_TOKEN_COUNT` is invalid too. Allocates no array unless there is an
 * issue or an invalid count to list.
 */
export function buildUsage(raw: RawUsage): BuiltUsage {
  // Field by field, in the order `invalid` lists the kinds.
  let invalid: UsageKind[] | undefined;
  if (raw.input === INVALID_COUNT) (invalid ??= []).push('input');
  if (raw.output === INVALID_COUNT) (invalid ??= []).push('output');
  if (raw.cacheRead === INVALID_COUNT) (invalid ??= []).push('cache_read');
  if (raw.cacheWrite === INVALID_COUNT) (invalid ??= []).push('cache_write');
  if (raw.reasoning === INVALID_COUNT) (invalid ??= []).push('reasoning');
  if (raw.inputAudio === INVALID_COUNT) (invalid ??= []).push('input_audio');
  if (raw.outputAudio === INVALID_COUNT) {
    (invalid ??= []).push('output_audio');
  }
  if (invalid !== undefined) {
    return { usage: undefined, issues: ['invalid_usage'], invalid };
  }
  const counts = raw as RawCounts;
  if (counts.input === undefined && counts.output === undefined) {
    return { usage: undefined, issues: NO_ISSUES, invalid: NO_INVALID };
  }
  const built = fixSemantics(counts);
  const usage = built.usage as TokenUsage;
  if (!isTokenCount(usage.inputTokens)) (invalid ??= []).push('input');
  if (!isTokenCount(usage.outputTokens)) (invalid ??= []).push('output');
  if (invalid !== undefined) {
    return { usage: undefined, issues: ['invalid_usage'], invalid };
  }
  return built;
}

/** `RawUsage` once no reading is invalid. */
type RawCounts = {
  readonly [K in keyof RawUsage]: Exclude<RawUsage[K], typeof INVALID_COUNT>;
};

function fixSemantics(raw: RawCounts): BuiltUsage {
  let issues: UsageIssue[] | undefined;
  const cacheRead = raw.cacheRead ?? 0;
  const cacheWrite = raw.cacheWrite ?? 0;
  const cached = cacheRead + cacheWrite;
  let input = raw.input ?? 0;
  if (cached > 0) {
    if (raw.inputExcludesCache === true) {
      input += cached;
      issues = ['input_excluded_cache'];
    } else if (input < cached) {
      // Input smaller than its own cache parts: the emitter reported the
      // uncached part only (the Anthropic convention). Add the cache back.
      input += cached;
      issues = [
        raw.inputExcludesCache === false
          ? 'cache_exceeds_input'
          : 'input_excluded_cache',
      ];
    }
  }
  let output = raw.output ?? 0;
  const reasoning = raw.reasoning ?? 0;
  if (raw.outputExcludesReasoning === true) {
    if (reasoning > 0) {
      output += reasoning;
      (issues ??= []).push('output_excluded_reasoning');
    }
  } else if (reasoning > output) {
    // Reasoning is a subset of output; a larger value means the emitter
    // reported output without it. Add it rather than under-charge.
    output += reasoning;
    (issues ??= []).push('reasoning_exceeds_output');
  }
  const usage: Mutable<TokenUsage> = {
    inputTokens: input,
    outputTokens: output,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    reasoningTokens: reasoning,
  };
  // Assigned, not spread: a spread in a literal is V8's slow path.
  if (raw.inputAudio !== undefined) usage.inputAudioTokens = raw.inputAudio;
  if (raw.outputAudio !== undefined) usage.outputAudioTokens = raw.outputAudio;
  return { usage, issues: issues ?? NO_ISSUES, invalid: NO_INVALID };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

import type { TokenUsage } from '../llm-call.js';
import type { CoveredUsage } from './coverage-tracker.js';

/** Rounding between two emitters' counts of the same tokens. */
function slack(tokens: number): number {
  return Math.max(16, 0.02 * tokens);
}

/**
 * Whether a span's usage clearly covers more than the calls recorded below
 * it: an agent or chain total over calls not all instrumented. Clearly:
 * BOTH its input and its output exceed the descendants' sums by more than
 * rounding (16 tokens or 2 %, whichever is more). One side only is not
 * enough: emitters disagree on whether input counts the cache or output
 * the reasoning, and that moves one side only.
 */
export function exceedsCovered(
  usage: TokenUsage,
  below: CoveredUsage,
): boolean {
  return (
    usage.inputTokens - below.inputTokens > slack(usage.inputTokens) &&
    usage.outputTokens - below.outputTokens > slack(usage.outputTokens)
  );
}

/**
 * The tokens of a span beyond the calls recorded below it (each count
 * clamped at 0, the details within their totals): what is priced on a span
 * that `exceedsCovered`, so its descendants are not counted twice.
 */
export function remainderUsage(
  usage: TokenUsage,
  below: CoveredUsage,
): TokenUsage {
  const inputTokens = Math.max(0, usage.inputTokens - below.inputTokens);
  const outputTokens = Math.max(0, usage.outputTokens - below.outputTokens);
  const cacheReadTokens = Math.min(
    inputTokens,
    Math.max(0, usage.cacheReadTokens - below.cacheReadTokens),
  );
  const cacheWriteTokens = Math.min(
    inputTokens - cacheReadTokens,
    Math.max(0, usage.cacheWriteTokens - below.cacheWriteTokens),
  );
  const reasoningTokens = Math.min(
    outputTokens,
    Math.max(0, usage.reasoningTokens - below.reasoningTokens),
  );
  return {
    inputTokens,
    outputTokens,
    cacheReadTokens,
    cacheWriteTokens,
    reasoningTokens,
  };
}

/**
 * What a span passes up as covered: the larger of its own usage and the sum
 * below it, per count (a covered span's own record and its descendants' are
 * the same calls; an agent total includes its descendants).
 */
export function coveredContribution(
  usage: TokenUsage | undefined,
  below: CoveredUsage | undefined,
): CoveredUsage | undefined {
  if (usage === undefined) return below;
  if (below === undefined) return usage;
  return {
    inputTokens: Math.max(usage.inputTokens, below.inputTokens),
    outputTokens: Math.max(usage.outputTokens, below.outputTokens),
    cacheReadTokens: Math.max(usage.cacheReadTokens, below.cacheReadTokens),
    cacheWriteTokens: Math.max(usage.cacheWriteTokens, below.cacheWriteTokens),
    reasoningTokens: Math.max(usage.reasoningTokens, below.reasoningTokens),
  };
}

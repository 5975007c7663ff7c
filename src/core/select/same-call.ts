import type { LlmCall, TokenUsage } from '../llm-call.js';
import { cleanModelId } from '../price/clean-model-id.js';

/**
 * Whether two LLM spans written by different instrumentation layers can be
 * the same provider call: same provider and model (a dated snapshot and its
 * alias are the same model), compatible token counts. What is unknown on
 * either side (no provider, no model, no usage) does not disagree.
 */
export function sameCall(a: LlmCall, b: LlmCall): boolean {
  return (
    (a.provider === undefined ||
      b.provider === undefined ||
      a.provider === b.provider) &&
    sameModel(a.model, b.model) &&
    compatibleUsage(a.usage, b.usage)
  );
}

/** Dated snapshot and version suffixes that name the same model. */
const SNAPSHOT_SUFFIX =
  /(?:-\d{4}-\d{2}-\d{2}|-\d{8}|@\d{8}|-latest|-v\d+(?::\d+)?)+$/;

/**
 * Bedrock's cross-region and vendor prefixes (`us.anthropic.`, `amazon.`):
 * one instrumentation reports the Bedrock model id, another the vendor's.
 */
const BEDROCK_VENDOR_PREFIX =
  /^(?:(?:us|eu|apac|au|ca|jp|us-gov|global)\.)?(?:anthropic|amazon|meta|mistral|cohere|ai21|deepseek|openai|qwen|writer|twelvelabs|stability)\./;

/**
 * The model id without gateway prefix, Bedrock vendor prefix, snapshot date
 * or version suffix: `gpt-4o-mini-2024-07-18` and `gpt-4o-mini`, or
 * `anthropic.claude-3-5-haiku-20241022-v1:0` and `claude-3-5-haiku-20241022`,
 * are one model.
 */
export function modelFamilyId(model: string): string {
  return cleanModelId(model)
    .toLowerCase()
    .replace(BEDROCK_VENDOR_PREFIX, '')
    .replace(SNAPSHOT_SUFFIX, '');
}

export function sameModel(
  a: string | undefined,
  b: string | undefined,
): boolean {
  if (a === undefined || b === undefined || a === b) return true;
  return modelFamilyId(a) === modelFamilyId(b);
}

/** Two counts of the same thing by two emitters: rounding apart at most. */
function near(a: number, b: number): boolean {
  return Math.abs(a - b) <= Math.max(2, 0.02 * Math.max(a, b));
}

function cache(usage: TokenUsage): number {
  return usage.cacheReadTokens + usage.cacheWriteTokens;
}

/**
 * Input and output agree within rounding. An emitter that reports input
 * without its cache tokens (or output without reasoning) and says nothing
 * about them still agrees with one that reports the detail: the difference
 * is then the other side's detail count.
 */
export function compatibleUsage(
  a: TokenUsage | undefined,
  b: TokenUsage | undefined,
): boolean {
  if (a === undefined || b === undefined) return true;
  const inputOk =
    near(a.inputTokens, b.inputTokens) ||
    near(Math.abs(a.inputTokens - b.inputTokens), Math.max(cache(a), cache(b)));
  const outputOk =
    near(a.outputTokens, b.outputTokens) ||
    near(
      Math.abs(a.outputTokens - b.outputTokens),
      Math.max(a.reasoningTokens, b.reasoningTokens),
    );
  return inputOk && outputOk;
}

/**
 * How far apart two compatible records' token counts are (0: the same
 * counts, or apart by exactly the other side's cache or reasoning detail).
 * Among concurrent candidates, the closest counts are the same call: two
 * users' calls of one prompt differ by a few tokens, two records of one
 * call do not.
 */
export function usageDistance(
  a: TokenUsage | undefined,
  b: TokenUsage | undefined,
): number {
  if (a === undefined || b === undefined) return 0;
  const cache = Math.max(
    a.cacheReadTokens + a.cacheWriteTokens,
    b.cacheReadTokens + b.cacheWriteTokens,
  );
  const reasoning = Math.max(a.reasoningTokens, b.reasoningTokens);
  const input = Math.abs(a.inputTokens - b.inputTokens);
  const output = Math.abs(a.outputTokens - b.outputTokens);
  return (
    Math.min(input, Math.abs(input - cache)) +
    Math.min(output, Math.abs(output - reasoning))
  );
}

/**
 * How much a call tells about its cost: a cost reported upstream counts
 * most, then each detail count it carries (cache read, cache write,
 * reasoning, audio); a call without usage tells least.
 */
export function informationScore(call: LlmCall): number {
  const usage = call.usage;
  let score = call.reportedCostUsd === undefined ? 0 : 10;
  if (usage === undefined) return score - 1;
  if (usage.cacheReadTokens > 0) score += 1;
  if (usage.cacheWriteTokens > 0) score += 1;
  if (usage.reasoningTokens > 0) score += 1;
  if ((usage.inputAudioTokens ?? 0) > 0) score += 1;
  if ((usage.outputAudioTokens ?? 0) > 0) score += 1;
  return score;
}

/**
 * The better-informed of two records of one call: the higher
 * `informationScore`; on a tie the one counting more tokens (never
 * under-charge); on a full tie `a`.
 */
export function betterInformed(a: LlmCall, b: LlmCall): LlmCall {
  const scoreA = informationScore(a);
  const scoreB = informationScore(b);
  if (scoreA !== scoreB) return scoreA > scoreB ? a : b;
  return totalTokens(b) > totalTokens(a) ? b : a;
}

function totalTokens(call: LlmCall): number {
  const usage = call.usage;
  return usage === undefined ? 0 : usage.inputTokens + usage.outputTokens;
}

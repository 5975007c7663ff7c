import type { TokenUsage } from '../llm-call.js';
import { GenerationalMap } from './generational-map.js';

/** Token counts of the LLM calls recorded below a span, summed. */
export interface CoveredUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
}

/**
 * Exactly-once bookkeeping. Children end before their parents, so when an LLM
 * call span is evaluated its parent is marked "covered" with the call's
 * usage; when the parent ends the mark moves on to the grandparent, and so
 * on up the trace, summing the calls below each span. An inference span
 * that ends covered already has its call recorded below it (two
 * instrumentations nested on one call, a Langfuse generation around an SDK
 * call) and is skipped, unless its usage clearly exceeds the sum
 * (`exceedsCovered`).
 *
 * Memory: one entry per in-flight ancestor of an evaluated span, removed
 * when that ancestor ends. Ancestors that never end here (remote parents)
 * are dropped a generation at a time, so at most `maxEntries` are held.
 */
export class CoverageTracker {
  private readonly _covered: GenerationalMap<CoveredUsage>;

  constructor(maxEntries = 100_000) {
    this._covered = new GenerationalMap(maxEntries);
  }

  /** Number of spans currently marked. */
  get size(): number {
    return this._covered.size;
  }

  /** Whether a descendant of `spanId` was an LLM call (the mark is kept). */
  has(spanId: string): boolean {
    return this._covered.size !== 0 && this._covered.get(spanId) !== undefined;
  }

  /** Removes and returns the usage recorded below `spanId`, if any. */
  take(spanId: string): CoveredUsage | undefined {
    if (this._covered.size === 0) return undefined;
    const mark = this._covered.get(spanId);
    if (mark !== undefined) this._covered.delete(spanId);
    return mark;
  }

  /** Adds `usage` (a call, or the sum below a span) to the parent's mark. */
  mark(
    parentSpanId: string | undefined,
    usage: CoveredUsage | undefined,
  ): void {
    if (parentSpanId === undefined || parentSpanId === '') return;
    const mark = this._covered.get(parentSpanId);
    if (mark === undefined) {
      this._covered.set(parentSpanId, coveredCopy(usage));
    } else if (usage !== undefined) {
      mark.inputTokens += usage.inputTokens;
      mark.outputTokens += usage.outputTokens;
      mark.cacheReadTokens += usage.cacheReadTokens;
      mark.cacheWriteTokens += usage.cacheWriteTokens;
      mark.reasoningTokens += usage.reasoningTokens;
    }
  }

  clear(): void {
    this._covered.clear();
  }
}

function coveredCopy(
  usage: CoveredUsage | TokenUsage | undefined,
): CoveredUsage {
  return {
    inputTokens: usage?.inputTokens ?? 0,
    outputTokens: usage?.outputTokens ?? 0,
    cacheReadTokens: usage?.cacheReadTokens ?? 0,
    cacheWriteTokens: usage?.cacheWriteTokens ?? 0,
    reasoningTokens: usage?.reasoningTokens ?? 0,
  };
}

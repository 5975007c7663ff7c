import { GenerationalMap } from './generational-map.js';

/**
 * Exactly-once bookkeeping. Children end before their parents, so when an LLM
 * call span is evaluated its parent is marked "covered"; when the parent ends
 * the mark moves on to the grandparent, and so on up the trace. An inference
 * span that ends covered already has its call priced below it (two
 * instrumentations nested on one call, a Langfuse generation around an SDK
 * call) and is skipped.
 *
 * Memory: one entry per in-flight ancestor of a priced span, removed when that
 * ancestor ends. Ancestors that never end here (remote parents) are dropped
 * a generation at a time, so at most `maxEntries` are held.
 */
export class CoverageTracker {
  private readonly _covered: GenerationalMap<true>;

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

  /**
   * Called for every span that ends. Returns whether a descendant was an LLM
   * call, and passes that mark on to the span's own parent.
   */
  take(spanId: string, parentSpanId: string | undefined): boolean {
    if (this._covered.size === 0 || !this._covered.delete(spanId)) return false;
    this.mark(parentSpanId);
    return true;
  }

  /** Marks the parent of an evaluated LLM call span. */
  mark(parentSpanId: string | undefined): void {
    if (parentSpanId === undefined || parentSpanId === '') return;
    this._covered.set(parentSpanId, true);
  }

  clear(): void {
    this._covered.clear();
  }
}

/**
 * Catches one provider response reported by two instrumentations as sibling
 * spans (neither is the other's ancestor, so coverage cannot see it). A
 * response id seen in the same trace from a different instrumentation scope
 * is a duplicate. Bounded: oldest entries are evicted first.
 */
export class DuplicateCalls {
  private readonly _seen = new Map<string, string>();
  private readonly _maxEntries: number;

  constructor(maxEntries = 10_000) {
    this._maxEntries = maxEntries;
  }

  get size(): number {
    return this._seen.size;
  }

  /** Records the call; returns true when another scope already reported it. */
  isDuplicate(traceId: string, responseId: string, scopeName: string): boolean {
    const key = `${traceId}\u0000${responseId}`;
    const seenScope = this._seen.get(key);
    if (seenScope !== undefined) return seenScope !== scopeName;
    if (this._seen.size >= this._maxEntries) {
      const oldest = this._seen.keys().next().value;
      if (oldest !== undefined) this._seen.delete(oldest);
    }
    this._seen.set(key, scopeName);
    return false;
  }

  clear(): void {
    this._seen.clear();
  }
}

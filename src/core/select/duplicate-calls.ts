import { GenerationalMap } from './generational-map.js';

/**
 * Catches one provider response reported by two instrumentations as sibling
 * spans (neither is the other's ancestor, so coverage cannot see it). A
 * response id seen in the same trace from a different instrumentation scope
 * is a duplicate. Bounded: the oldest generation of ids is dropped first.
 */
export class DuplicateCalls {
  private readonly _seen: GenerationalMap<string>;

  constructor(maxEntries = 10_000) {
    this._seen = new GenerationalMap(maxEntries);
  }

  get size(): number {
    return this._seen.size;
  }

  /** Records the call; returns true when another scope already reported it. */
  isDuplicate(traceId: string, responseId: string, scopeName: string): boolean {
    const key = `${traceId}\u0000${responseId}`;
    const seenScope = this._seen.get(key);
    if (seenScope !== undefined) return seenScope !== scopeName;
    this._seen.set(key, scopeName);
    return false;
  }

  clear(): void {
    this._seen.clear();
  }
}

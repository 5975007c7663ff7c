import { GenerationalMap } from './generational-map.js';

/** Longest response id or scope name remembered (provider ids are < 100). */
const MAX_REMEMBERED_CHARS = 256;

/**
 * Catches one provider response reported by two instrumentations as sibling
 * spans (neither is the other's ancestor, so coverage cannot see it). A
 * response id seen in the same trace from a different instrumentation scope
 * is a duplicate. Bounded: the oldest generation of ids is dropped first.
 */
export class DuplicateCalls {
  private readonly _seen: GenerationalMap<{
    readonly traceId: string;
    readonly scopeName: string;
  }>;

  constructor(maxEntries = 10_000) {
    this._seen = new GenerationalMap(maxEntries);
  }

  get size(): number {
    return this._seen.size;
  }

  /**
   * Records the call; returns true when another scope already reported it
   * in the same trace. Keyed by the response id alone (provider response ids
   * are unique), so the lookup hashes a string the span already holds.
   * An id or scope name longer than any provider's or instrumentation's is
   * not remembered (never a duplicate), so an entry keeps at most a few
   * hundred bytes whatever a span carries.
   */
  isDuplicate(traceId: string, responseId: string, scopeName: string): boolean {
    if (
      responseId.length > MAX_REMEMBERED_CHARS ||
      scopeName.length > MAX_REMEMBERED_CHARS
    ) {
      return false;
    }
    const seen = this._seen.get(responseId);
    if (seen !== undefined && seen.traceId === traceId) {
      return seen.scopeName !== scopeName;
    }
    this._seen.set(responseId, { traceId, scopeName });
    return false;
  }

  clear(): void {
    this._seen.clear();
  }
}

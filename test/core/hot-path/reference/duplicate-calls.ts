/**
 * Reference copy of src/core/select/duplicate-calls.ts at 19154aa, before
 * the first scope's calls were written to the table in batches
 * (duplicate-calls-batched.property.test.ts). Do not optimize.
 */
import { StringGenerations } from '../../../../src/core/select/string-generations.js';

/** Longest response id or scope name remembered (provider ids are < 100). */
const MAX_REMEMBERED_CHARS = 256;

/**
 * Catches one provider response reported by two instrumentations as sibling
 * spans (neither is the other's ancestor, so coverage cannot see it). A
 * response id seen in the same trace from a different instrumentation scope
 * is a duplicate. Bounded: the oldest generation of ids is dropped first
 * (`StringGenerations`: one compact read per call, where a `Map` of
 * thousands of ids cost a few cache misses per LLM span).
 */
export class DuplicateCalls {
  /**
   * Response id -> what reported it: the trace id alone when the scope is
   * `_firstScope` (the first scope this detector met, almost always the
   * only one), else both. No object per call in the common case: entries
   * live for thousands of calls, so each object would be promoted and
   * collected by the old generation.
   */
  private readonly _seen: StringGenerations<string | SeenCall>;
  private _firstScope: string | undefined;
  /** A second scope was met: look-ups are needed from now on. */
  private _manyScopes = false;

  constructor(maxEntries = 10_000) {
    this._seen = new StringGenerations(maxEntries);
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
    this._firstScope ??= scopeName;
    if (!this._manyScopes && scopeName !== this._firstScope) {
      this._manyScopes = true;
    }
    // One scope so far: every id remembered is its own, so no call can be
    // another scope's twin yet; only remember this one (no look-up).
    const seen = this._manyScopes ? this._seen.get(responseId) : undefined;
    if (seen !== undefined) {
      const seenTrace = typeof seen === 'string' ? seen : seen.traceId;
      if (seenTrace === traceId) {
        const seenScope =
          typeof seen === 'string' ? this._firstScope : seen.scopeName;
        return seenScope !== scopeName;
      }
    }
    this._seen.set(
      responseId,
      scopeName === this._firstScope ? traceId : { traceId, scopeName },
    );
    return false;
  }

  clear(): void {
    this._seen.clear();
    this._firstScope = undefined;
    this._manyScopes = false;
  }
}

interface SeenCall {
  readonly traceId: string;
  readonly scopeName: string;
}

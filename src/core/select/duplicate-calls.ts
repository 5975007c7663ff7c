import { StringGenerations } from './string-generations.js';

/** Longest response id or scope name remembered (provider ids are < 100). */
const MAX_REMEMBERED_CHARS = 256;

/**
 * Calls of the first scope buffered before they are written to the table
 * (`_pending*`): at most this many response ids and trace ids.
 */
const MAX_PENDING = 128;

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
  /**
   * While one scope has reported calls nothing is looked up, so its calls
   * are written to the table in batches, in the order they came (the
   * table ends up as if each was written at once): one pass of a batch
   * finds the table's memory in the CPU caches, where a write per span
   * missed them (the SDK allocates kilobytes per span in between). Written
   * out before anything reads the table (`size`, a second scope).
   */
  private readonly _pendingIds: (string | undefined)[] = [];
  private readonly _pendingTraces: (string | undefined)[] = [];
  private _pending = 0;

  constructor(maxEntries = 10_000) {
    this._seen = new StringGenerations(maxEntries);
  }

  get size(): number {
    this._writePending();
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
    if (!this._manyScopes) {
      const at = this._pending;
      this._pendingIds[at] = responseId;
      this._pendingTraces[at] = traceId;
      this._pending = at + 1;
      if (at + 1 === MAX_PENDING) this._writePending();
      return false;
    }
    this._writePending();
    const seen = this._seen.get(responseId);
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
    this._dropPending();
    this._seen.clear();
    this._firstScope = undefined;
    this._manyScopes = false;
  }

  /** Writes the buffered calls of the first scope, in order. */
  private _writePending(): void {
    const count = this._pending;
    if (count === 0) return;
    const ids = this._pendingIds;
    const traces = this._pendingTraces;
    for (let i = 0; i < count; i++) {
      this._seen.set(ids[i] as string, traces[i] as string);
      ids[i] = undefined;
      traces[i] = undefined;
    }
    this._pending = 0;
  }

  private _dropPending(): void {
    for (let i = 0; i < this._pending; i++) {
      this._pendingIds[i] = undefined;
      this._pendingTraces[i] = undefined;
    }
    this._pending = 0;
  }
}

interface SeenCall {
  readonly traceId: string;
  readonly scopeName: string;
}

import type { LlmCall } from '../llm-call.js';
import { emitterLayer, type EmitterLayer } from './emitter-layer.js';
import { modelFamilyId, sameCall } from './same-call.js';
import { BatchPartners } from './stacked-window-pairs.js';
import { pairCall, type StackedPreference } from './stacked-preference.js';
import {
  CLOCK_SLACK_MILLIS,
  pairingGap,
  plausibleCallTimes,
  ranAsOneCall,
  START_SLACK_MILLIS,
} from './stacked-window-rules.js';

/** One ended LLM span that would be priced, with what matching needs. */
export interface EndedCall {
  readonly scopeName: string;
  readonly startMillis: number;
  readonly endMillis: number;
  readonly call: LlmCall;
  /** Its call has a price (a pair prefers the record that prices). */
  readonly priced: boolean;
}

/** For each `EndedCall` of a batch: price it, or skip it as a duplicate. */
export type BatchVerdict = 'price' | 'duplicate';

interface Remembered {
  readonly scopeName: string;
  readonly layer: EmitterLayer;
  readonly startMillis: number;
  readonly endMillis: number;
  readonly call: LlmCall;
  readonly seenMillis: number;
  readonly bucket: string;
  readonly priced: boolean;
  /** Taken by a partner or dropped (still in the arrival queue). */
  gone: boolean;
}

/**
 * The calls of one model family and start second, in arrival order, with
 * their start and end times beside them: a look-up reads the times in a
 * row and an entry only when its times could be the call's (entries are
 * scattered in the heap; a bucket of a busy second holds thousands).
 */
interface Bucket {
  readonly entries: Remembered[];
  readonly starts: number[];
  readonly ends: number[];
}

export interface StackedWindowOptions {
  /** How long a priced, unpaired call waits for a partner (arrival time). */
  readonly windowMillis: number;
  /** Unpaired priced calls remembered at most (oldest dropped). */
  readonly maxEntries: number;
  readonly preference?: StackedPreference | undefined;
  /** Two scopes recorded one call (for the one-time warning). */
  readonly onStacked?: ((scopes: readonly string[]) => void) | undefined;
}

/**
 * Exactly once across stacked instrumentation layers for spans that arrive
 * ended, in batches (the gateway's requests), where nothing can be taken
 * back once forwarded:
 * - within a batch, spans of two layered scopes that are one call
 *   (`sameCall`, `ranAsOneCall`) are paired one-to-one and the
 *   better-informed record is priced (the preferred layer's with
 *   `emitters: 'framework' | 'client'`; a record that prices beats one that
 *   does not); the other is a duplicate;
 * - across batches, the first priced wins: a span left unpaired is
 *   remembered for `windowMillis`, and a later span of another scope that
 *   is the same call takes the entry (one-to-one) and is a duplicate,
 *   unless the earlier one was counted unpriced and this one prices (the
 *   call is then counted twice, once without a cost: better than no cost).
 * Spans of scopes without a layer (`emitterLayer`) are never matched.
 *
 * Memory: the latest 256 calls until a second layered scope shows up (one
 * layer cannot be stacked); then at most `maxEntries` remembered calls (a
 * few hundred bytes each: the `LlmCall` and times), each for
 * `windowMillis`. They are kept by model (`modelFamilyId`) and start
 * second, so a look-up compares the calls of the same model that started
 * near it only. Within a batch the same index idea (`BatchPartners`): a
 * call is compared with the nearest calls of other scopes and its model
 * only, at most `MAX_PARTNER_LOOKS` per list, so one request's work grows
 * with its layered calls, not with their square.
 */
const MAX_SCOPES = 64;
/** Calls remembered while one layered scope only was seen. */
const SINGLE_SCOPE_ENTRIES = 256;

export class StackedWindow {
  /** By model family and start second: a look-up reads a few buckets. */
  private readonly _byKey = new Map<string, Bucket>();
  /** Every entry in arrival order (gone ones skipped lazily). */
  private _queue: Remembered[] = [];
  private _head = 0;
  private _size = 0;
  private readonly _scopes = new Set<string>();
  private readonly _options: StackedWindowOptions;
  /** The look-up in progress (one object per window, not per call). */
  private readonly _found: Found = {
    call: undefined,
    layered: { layer: 'instrumentation', startMillis: 0, endMillis: 0 },
    best: undefined,
    bestGap: Infinity,
  };

  constructor(options: StackedWindowOptions) {
    this._options = options;
  }

  get size(): number {
    return this._size;
  }

  /** Decides the layered calls of one batch; other calls get `price`. */
  decideBatch(calls: readonly EndedCall[], nowMillis: number): BatchVerdict[] {
    this._expire(nowMillis);
    const verdicts: BatchVerdict[] = calls.map(() => 'price');
    // Times that are no call (end before start, longer than a day) are
    // never matched: priced alone.
    const layers = calls.map(call =>
      plausibleCallTimes(call) ? emitterLayer(call.scopeName) : undefined,
    );
    calls.forEach((call, i) => {
      if (layers[i] !== undefined) this._noteScope(call.scopeName);
    });
    const manyScopes = this._scopes.size > 1;
    // One layered scope in the batch: nothing to pair within it.
    const batchScopes = new Set(
      calls.filter((_, i) => layers[i] !== undefined).map(c => c.scopeName),
    );
    const partners =
      batchScopes.size > 1 ? new BatchPartners(calls, layers) : undefined;
    for (let i = 0; partners !== undefined && i < calls.length; i += 1) {
      if (layers[i] === undefined || partners.isPaired(i)) continue;
      const j = partners.pair(i);
      if (j === undefined) continue;
      const loser = this._loser(calls, layers, i, j);
      verdicts[loser] = 'duplicate';
      this._options.onStacked?.([
        (calls[i] as EndedCall).scopeName,
        (calls[j] as EndedCall).scopeName,
      ]);
    }
    for (let i = 0; i < calls.length; i += 1) {
      if (layers[i] === undefined || partners?.isPaired(i) === true) continue;
      const call = calls[i] as EndedCall;
      // One layered scope seen (this call's): every entry is its own, and
      // none can be its partner.
      const earlier =
        this._size === 0 || !manyScopes
          ? undefined
          : this._takeRemembered(call, layers[i] as EmitterLayer);
      if (earlier === undefined) {
        // Until a second layered scope shows up, only the latest few are
        // kept (for the partner of the first stacked calls): a process
        // with one instrumentation layer keeps almost nothing.
        this._remember(
          call,
          layers[i] as EmitterLayer,
          nowMillis,
          manyScopes ? this._options.maxEntries : SINGLE_SCOPE_ENTRIES,
        );
        continue;
      }
      this._options.onStacked?.([earlier.scopeName, call.scopeName]);
      // The first PRICED wins: a partner counted unpriced (no usage, an
      // unknown model id) earlier does not hide this call's price.
      if (earlier.priced || !call.priced) verdicts[i] = 'duplicate';
    }
    return verdicts;
  }

  /** Notes a layered scope seen (at most `MAX_SCOPES` are kept). */
  private _noteScope(scopeName: string): void {
    if (this._scopes.size < MAX_SCOPES) this._scopes.add(scopeName);
  }

  clear(): void {
    this._scopes.clear();
    this._byKey.clear();
    this._queue = [];
    this._head = 0;
    this._size = 0;
  }

  /** The index of the pair's record not to price. */
  private _loser(
    calls: readonly EndedCall[],
    layers: readonly (EmitterLayer | undefined)[],
    i: number,
    j: number,
  ): number {
    const a = calls[i] as EndedCall;
    const b = calls[j] as EndedCall;
    if (a.priced !== b.priced) return a.priced ? j : i;
    const chosen = pairCall(
      this._options.preference ?? 'auto',
      layers[i] as EmitterLayer,
      a.call,
      layers[j] as EmitterLayer,
      b.call,
    );
    return chosen === a.call ? j : i;
  }

  private _takeRemembered(
    call: EndedCall,
    callLayer: EmitterLayer,
  ): Remembered | undefined {
    const found = this._found;
    found.call = call;
    found.layered.layer = callLayer;
    found.layered.startMillis = call.startMillis;
    found.layered.endMillis = call.endMillis;
    found.best = undefined;
    found.bestGap = Infinity;
    this._scanNear(call);
    const best = found.best as Remembered | undefined;
    found.call = undefined;
    found.best = undefined;
    if (best !== undefined) {
      this._drop(best);
      this._compact();
    }
    return best;
  }

  /**
   * Reads the buckets that may hold this call's partner, in this order:
   * same model (or none known), started within the slack
   * `overlapsAsOneCall` allows (an outer span remembered long before its
   * inner one ended is not looked up); the first closest entry wins.
   */
  private _scanNear(call: EndedCall): void {
    const model = call.call.model;
    if (model === undefined) {
      for (const bucket of this._byKey.values()) this._scanBucket(bucket);
      return;
    }
    const reach = Math.max(
      START_SLACK_MILLIS,
      call.endMillis - call.startMillis,
    );
    const first = second(call.startMillis - reach);
    const last = second(call.startMillis + reach);
    if (2 * (last - first + 1) > this._byKey.size) {
      // A long span: reading every bucket is less work than walking its
      // seconds (the look-up below filters by time and model anyway).
      for (const bucket of this._byKey.values()) this._scanBucket(bucket);
      return;
    }
    const family = modelFamilyId(model);
    for (let s = first; s <= last; s += 1) {
      const bucket = this._byKey.get(bucketKey(family, s));
      if (bucket !== undefined) this._scanBucket(bucket);
    }
    for (let s = first; s <= last; s += 1) {
      const bucket = this._byKey.get(bucketKey('', s));
      if (bucket !== undefined) this._scanBucket(bucket);
    }
  }

  /** Keeps the bucket's entry closest to the call in `_found`, if closer. */
  private _scanBucket(bucket: Bucket): void {
    const found = this._found;
    const call = found.call as EndedCall;
    const { entries, starts, ends } = bucket;
    // Two calls that ran as one (`ranAsOneCall`, both with plausible
    // times) each started before the other ended, within the clock slack:
    // the same sums as `overlapsAsOneCall`'s, so the same answers.
    const callStart = call.startMillis;
    const latestStart = call.endMillis + CLOCK_SLACK_MILLIS;
    for (let i = 0; i < entries.length; i += 1) {
      if (
        !((starts[i] as number) <= latestStart) ||
        !(callStart <= (ends[i] as number) + CLOCK_SLACK_MILLIS)
      ) {
        continue;
      }
      const entry = entries[i] as Remembered;
      if (entry.scopeName === call.scopeName) continue;
      if (
        !ranAsOneCall(entry, found.layered) ||
        !sameCall(entry.call, call.call)
      ) {
        continue;
      }
      const gap = pairingGap(entry, call);
      if (gap < found.bestGap) {
        found.best = entry;
        found.bestGap = gap;
      }
    }
  }

  private _remember(
    call: EndedCall,
    layer: EmitterLayer,
    nowMillis: number,
    maxEntries: number,
  ): void {
    while (this._size >= maxEntries) {
      if (!this._dropOldest()) break;
    }
    const model = call.call.model;
    const bucket = bucketKey(
      model === undefined ? '' : modelFamilyId(model),
      second(call.startMillis),
    );
    const entry: Remembered = {
      scopeName: call.scopeName,
      layer,
      startMillis: call.startMillis,
      endMillis: call.endMillis,
      call: call.call,
      seenMillis: nowMillis,
      bucket,
      priced: call.priced,
      gone: false,
    };
    let entries = this._byKey.get(bucket);
    if (entries === undefined) {
      entries = { entries: [], starts: [], ends: [] };
      this._byKey.set(bucket, entries);
    }
    entries.entries.push(entry);
    entries.starts.push(entry.startMillis);
    entries.ends.push(entry.endMillis);
    this._queue.push(entry);
    this._size += 1;
  }

  private _expire(nowMillis: number): void {
    const cutoff = nowMillis - this._options.windowMillis;
    while (this._head < this._queue.length) {
      const entry = this._queue[this._head] as Remembered;
      if (!entry.gone && entry.seenMillis >= cutoff) break;
      if (!entry.gone) this._drop(entry);
      this._head += 1;
    }
    this._compact();
  }

  /** Drops the oldest live entry; false when there is none. */
  private _dropOldest(): boolean {
    while (this._head < this._queue.length) {
      const entry = this._queue[this._head] as Remembered;
      this._head += 1;
      if (entry.gone) continue;
      this._drop(entry);
      this._compact();
      return true;
    }
    return false;
  }

  private _drop(entry: Remembered): void {
    entry.gone = true;
    this._size -= 1;
    const bucket = this._byKey.get(entry.bucket);
    if (bucket === undefined) return;
    const index = bucket.entries.indexOf(entry);
    if (index !== -1) {
      bucket.entries.splice(index, 1);
      bucket.starts.splice(index, 1);
      bucket.ends.splice(index, 1);
    }
    if (bucket.entries.length === 0) this._byKey.delete(entry.bucket);
  }

  /**
   * Drops the passed head and the entries taken by partners once they are
   * most of the queue (amortized O(1) per entry), so the queue stays within
   * twice the live entries.
   */
  private _compact(): void {
    if (this._queue.length > 64 && this._queue.length > 2 * this._size) {
      this._queue = this._queue.slice(this._head).filter(entry => !entry.gone);
      this._head = 0;
    }
  }
}

/** `StackedWindow._takeRemembered`'s look-up state. */
interface Found {
  call: EndedCall | undefined;
  readonly layered: {
    layer: EmitterLayer;
    startMillis: number;
    endMillis: number;
  };
  best: Remembered | undefined;
  bestGap: number;
}

function second(millis: number): number {
  return Math.floor(millis / 1000);
}

function bucketKey(family: string, startSecond: number): string {
  return `${family}\u0000${startSecond}`;
}

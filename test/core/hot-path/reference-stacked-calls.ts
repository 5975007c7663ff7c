/**
 * The map-only `StackedCalls` (before the last started span was kept out
 * of the map), kept as the reference for
 * stacked-calls-last-open.property.test.ts. Test-only.
 */
import type { LlmCall } from '../../../src/core/llm-call.js';
import type { SpanLike } from '../../../src/core/span-like.js';
import {
  LAYER_RANK,
  type EmitterLayer,
} from '../../../src/core/select/emitter-layer.js';
import {
  pairCall,
  prefersLayer,
  type StackedPreference,
} from '../../../src/core/select/stacked-preference.js';
import {
  mayBeSameCall,
  mayWrapOrStartTogether,
  ranAsOneCall,
} from '../../../src/core/select/stacked-window-rules.js';
import { sameCall, usageDistance } from '../../../src/core/select/same-call.js';

/** One layered span ended earlier and skipped, whose call a partner holds. */
interface Held<T> {
  readonly layer: EmitterLayer;
  readonly scopeName: string;
  readonly startMillis: number;
  readonly endMillis: number;
  readonly call: LlmCall;
  /** Its evaluation, counted if no partner takes it; undefined: priced already. */
  readonly value: T | undefined;
  /**
   * The open spans that could take it, fixed when it is held: a span that
   * starts later cannot have run with a call that had ended.
   */
  readonly claimers: readonly OpenSpan[];
  /** The matcher's clock when it was held. */
  readonly heldMillis: number;
}

interface OpenSpan {
  readonly view: SpanLike;
  readonly layer: EmitterLayer;
  readonly startMillis: number;
  /** The matcher's clock when it started (ages it, whatever its own time). */
  readonly seenMillis: number;
}

export interface StackedCallsOptions<T> {
  /** Open layered spans remembered at most (oldest dropped). */
  readonly maxOpenSpans?: number | undefined;
  /**
   * An open span older than this is dropped (it may never end). Longer than
   * any call: both layers of a call streaming for many minutes stay open.
   */
  readonly maxOpenMillis?: number | undefined;
  /**
   * A held call waits this long after it ended for its open partner, then
   * is counted on its own (the partner may never end).
   */
  readonly maxHeldMillis?: number | undefined;
  readonly preference?: StackedPreference | undefined;
  /** A held call no partner took: count it on its own. */
  readonly onRelease: (value: T) => void;
  /** Two layers recorded one call (for the one-time warning). */
  readonly onStacked?:
    ((scopes: readonly [string, string]) => void) | undefined;
}

export type StackedOutcome<T> =
  /** Price the span with `call` (its own, or its partner's better-informed one). */
  | {
      readonly kind: 'price';
      readonly call: LlmCall;
      readonly partner: T | undefined;
      /** The partner's layer, when there is a partner. */
      readonly partnerLayer?: EmitterLayer | undefined;
    }
  /** Another layer records (or recorded) the same call: skip this span. */
  | { readonly kind: 'duplicate' };

export const DEFAULT_MAX_OPEN_SPANS = 10_000;
export const DEFAULT_MAX_OPEN_MILLIS = 3_600_000;
export const DEFAULT_MAX_HELD_MILLIS = 600_000;
const MAX_HELD = 1_000;
/** Open spans that may take one held call, closest starts first. */
const MAX_CLAIMERS = 64;

/**
 * Exactly once across stacked instrumentation layers, in one process (the
 * span processor, which sees spans start): one provider call recorded by
 * two layers (`emitterLayer`), in one trace or two, is priced once.
 *
 * - `start`: every span of a layered scope is remembered while open (its
 *   live attributes are read later: frameworks set the model at the end).
 * - `end` (for a span that would be priced): if an earlier-ended span of
 *   another layer is held and is the same call (`sameCall`, one ran within
 *   the other's time or the outer wraps the inner: `ranAsOneCall`), the pair is complete: this span
 *   is priced with the better-informed of the two calls (or the preferred
 *   layer's, `emitters`), and the partner is consumed. Else, if an open
 *   span of another layer can still be this call's partner
 *   (`mayWrapOrStartTogether`, its model so far not different), this span is
 *   skipped and held for it. Else it is priced alone.
 * - One-to-one: each held call is taken by at most one partner, so N
 *   concurrent identical calls count N times. A held call that no open span
 *   can take anymore (its candidates ended with other partners, were
 *   dropped as too old (an hour: `maxOpenMillis`), or over `maxOpenSpans`),
 *   or that waited 10 minutes (`maxHeldMillis`) for one that has not ended,
 *   is released: counted on its own (`onRelease`), never lost.
 *
 * Memory: at most `maxOpenSpans` open spans (a reference to the live span)
 * and 1,000 held calls; nothing stays once the spans end.
 */
export class ReferenceStackedCalls<T> {
  private readonly _open = new Map<string, OpenSpan>();
  private _held: Held<T>[] = [];
  private readonly _maxOpen: number;
  private readonly _maxOpenMillis: number;
  private readonly _maxHeldMillis: number;
  private readonly _preference: StackedPreference;
  private readonly _onRelease: (value: T) => void;
  private readonly _onStacked: StackedCallsOptions<T>['onStacked'];
  private _now = 0;

  constructor(options: StackedCallsOptions<T>) {
    this._maxOpen = options.maxOpenSpans ?? DEFAULT_MAX_OPEN_SPANS;
    this._maxOpenMillis = options.maxOpenMillis ?? DEFAULT_MAX_OPEN_MILLIS;
    this._maxHeldMillis = options.maxHeldMillis ?? DEFAULT_MAX_HELD_MILLIS;
    this._preference = options.preference ?? 'auto';
    this._onRelease = options.onRelease;
    this._onStacked = options.onStacked;
  }

  /** Open spans and held calls (for tests and benchmarks). */
  get size(): number {
    return this._open.size + this._held.length;
  }

  /** Whether the span is remembered open (its end must be seen). */
  isOpen(spanId: string): boolean {
    return this._open.size !== 0 && this._open.has(spanId);
  }

  start(view: SpanLike, layer: EmitterLayer): void {
    const startMillis = view.startTimeMillis;
    this._tick(startMillis);
    if (this._open.size >= this._maxOpen) this._dropOldestOpen();
    this._open.set(view.spanId, {
      view,
      layer,
      startMillis,
      seenMillis: this._now,
    });
  }

  /** A remembered span ended without being a call to price. */
  forget(spanId: string, endMillis: number): void {
    if (!this._open.delete(spanId)) return;
    this._tick(endMillis);
    this._releaseUnclaimable();
  }

  /**
   * Decides a layered span that would be priced. `value` is its own
   * evaluation, held (and counted on release) if the span is skipped.
   */
  end(
    view: SpanLike,
    layer: EmitterLayer,
    endMillis: number,
    call: LlmCall,
    value: T,
  ): StackedOutcome<T> {
    this._open.delete(view.spanId);
    this._tick(endMillis);
    const startMillis = view.startTimeMillis;
    const outcome = this._decide(
      view,
      layer,
      startMillis,
      endMillis,
      call,
      value,
    );
    this._releaseUnclaimable();
    return outcome;
  }

  clear(): void {
    this._open.clear();
    this._held = [];
  }

  private _decide(
    view: SpanLike,
    layer: EmitterLayer,
    startMillis: number,
    endMillis: number,
    call: LlmCall,
    value: T,
  ): StackedOutcome<T> {
    const held = this._takeHeld(
      view.scopeName,
      layer,
      startMillis,
      endMillis,
      call,
    );
    if (held !== undefined) {
      this._onStacked?.([held.scopeName, view.scopeName]);
      if (held.value === undefined) return { kind: 'duplicate' };
      return {
        kind: 'price',
        call: pairCall(this._preference, layer, call, held.layer, held.call),
        partner: held.value,
        partnerLayer: held.layer,
      };
    }
    const claimers = this._openPartners(
      view.scopeName,
      layer,
      startMillis,
      endMillis,
      call,
    );
    const partner = claimers[0];
    if (partner === undefined)
      return { kind: 'price', call, partner: undefined };
    this._onStacked?.([view.scopeName, partner.view.scopeName]);
    const keepThis = this._pricedFirst(layer, startMillis, partner);
    if (this._held.length >= MAX_HELD) this._release(0);
    this._held.push({
      layer,
      scopeName: view.scopeName,
      startMillis,
      endMillis,
      call,
      value: keepThis ? undefined : value,
      claimers,
      heldMillis: this._now,
    });
    return keepThis
      ? { kind: 'price', call, partner: undefined }
      : { kind: 'duplicate' };
  }

  /**
   * Whether a span ending before its open partner is priced at once (its
   * partner, if it turns out to be the same call, is then skipped) rather
   * than held for the partner. Held: an inner record ending before the
   * outer one (a client span before its framework's, which carries the
   * cache and reasoning detail and may take the better-informed usage).
   * Priced at once: an outer record ending first (its partner's usage is
   * unknown, and if the open span is another call after all, nothing was
   * skipped for it), or the layer `emitters` trusts. Outer: the higher
   * layer (`LAYER_RANK`); in one layer, the span that started first.
   */
  private _pricedFirst(
    layer: EmitterLayer,
    startMillis: number,
    partner: OpenSpan,
  ): boolean {
    if (this._preference !== 'auto' && layer !== partner.layer) {
      return prefersLayer(this._preference, layer, partner.layer);
    }
    const rank = LAYER_RANK[layer];
    const partnerRank = LAYER_RANK[partner.layer];
    if (rank !== partnerRank) return rank > partnerRank;
    return startMillis < partner.startMillis;
  }

  /** Counts every held call now (the shell is shutting down). */
  releaseAll(): void {
    for (let i = this._held.length - 1; i >= 0; i -= 1) this._release(i);
  }

  /**
   * The held call of another scope that is this call. Closest token counts
   * first (`usageDistance`: two users' calls of one prompt differ by a few
   * tokens), then a held call no other open span can take anymore (taking
   * another one would leave it to be released and counted on its own while
   * its own partner, still open, would find nothing and be priced too: one
   * call counted twice), then the closest start, then the closest end.
   */
  private _takeHeld(
    scopeName: string,
    layer: EmitterLayer,
    startMillis: number,
    endMillis: number,
    call: LlmCall,
  ): Held<T> | undefined {
    if (this._held.length === 0) return undefined;
    let best = -1;
    let bestKey: readonly [number, number, number] = [
      Infinity,
      Infinity,
      Infinity,
    ];
    const span = { layer, startMillis, endMillis };
    for (let i = 0; i < this._held.length; i += 1) {
      const held = this._held[i] as Held<T>;
      if (held.scopeName === scopeName) continue;
      if (!ranAsOneCall(held, span)) continue;
      if (!sameCall(held.call, call)) continue;
      const distance =
        held.call.usage === undefined || call.usage === undefined
          ? Number.MAX_VALUE
          : usageDistance(held.call.usage, call.usage);
      // Farther than the best so far: no need to read its claimers.
      if (distance > bestKey[0]) continue;
      const key = [
        distance,
        this._claimable(held) ? 1 : 0,
        // Start first: two layers of one call start it together; the
        // outer one's end lags by its callbacks.
        Math.abs(held.startMillis - startMillis) * 1e6 +
          Math.abs(held.endMillis - endMillis),
      ] as const;
      if (best === -1 || lexicallyBefore(key, bestKey)) {
        best = i;
        bestKey = key;
      }
    }
    if (best === -1) return undefined;
    const [taken] = this._held.splice(best, 1);
    return taken;
  }

  /**
   * The open spans of other scopes that may be this call, closest start
   * first (at most `MAX_CLAIMERS`).
   */
  private _openPartners(
    scopeName: string,
    layer: EmitterLayer,
    startMillis: number,
    endMillis: number,
    call: LlmCall,
  ): OpenSpan[] {
    // Usually no other layered span is open: nothing to sort.
    if (this._open.size === 0) return [];
    const found: { open: OpenSpan; gap: number }[] = [];
    const durationMillis = endMillis - startMillis;
    for (const open of this._open.values()) {
      if (open.view.scopeName === scopeName) continue;
      if (
        !mayWrapOrStartTogether(
          open.layer,
          open.startMillis,
          layer,
          startMillis,
          durationMillis,
        )
      ) {
        continue;
      }
      if (!mayBeSameCall(open.view, call)) continue;
      found.push({ open, gap: Math.abs(open.startMillis - startMillis) });
    }
    found.sort((a, b) => a.gap - b.gap);
    return found.slice(0, MAX_CLAIMERS).map(({ open }) => open);
  }

  /** Releases held calls that no open span can take anymore. */
  private _releaseUnclaimable(): void {
    if (this._held.length === 0) return;
    for (let i = this._held.length - 1; i >= 0; i -= 1) {
      // A callback (a sink starting another call) may have released held
      // calls under this loop; those left were each checked by that pass.
      const held = this._held[i];
      if (held === undefined) continue;
      if (!this._claimable(held)) this._release(i);
    }
  }

  private _claimable(held: Held<T>): boolean {
    for (const open of held.claimers) {
      if (this._open.get(open.view.spanId) === open) return true;
    }
    return false;
  }

  private _release(index: number): void {
    const [released] = this._held.splice(index, 1);
    if (released?.value !== undefined) this._onRelease(released.value);
  }

  /**
   * Time moves with the spans seen: held calls that waited past their bound
   * are counted, open spans past the age bound go. Both are aged by this
   * clock when they were remembered, never by their own times: one span
   * with a wrong time (from 2100, in microseconds) drops at most the spans
   * open at that moment, not every span after it.
   */
  private _tick(nowMillis: number): void {
    if (nowMillis > this._now) this._now = nowMillis;
    // Held in the order they ended: the oldest first.
    const heldCutoff = this._now - this._maxHeldMillis;
    while (
      this._held.length > 0 &&
      (this._held[0] as Held<T>).heldMillis < heldCutoff
    ) {
      this._release(0);
    }
    if (this._open.size === 0) return;
    const cutoff = this._now - this._maxOpenMillis;
    let dropped = false;
    for (const [spanId, open] of this._open) {
      if (open.seenMillis >= cutoff) break;
      this._open.delete(spanId);
      dropped = true;
    }
    if (dropped) this._releaseUnclaimable();
  }

  private _dropOldestOpen(): void {
    for (const spanId of this._open.keys()) {
      this._open.delete(spanId);
      break;
    }
    this._releaseUnclaimable();
  }
}

function lexicallyBefore(
  a: readonly [number, number, number],
  b: readonly [number, number, number],
): boolean {
  return a[0] !== b[0]
    ? a[0] < b[0]
    : a[1] !== b[1]
      ? a[1] < b[1]
      : a[2] < b[2];
}

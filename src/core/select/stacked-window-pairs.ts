import type { LlmCall } from '../llm-call.js';
import type { EmitterLayer } from './emitter-layer.js';
import { modelFamilyId, sameCall } from './same-call.js';
import {
  CLOCK_SLACK_MILLIS,
  pairingGap,
  ranAsOneCall,
  type LayeredSpan,
} from './stacked-window-rules.js';

/** One layered call of a batch, as in-batch matching reads it. */
export interface BatchCall {
  readonly scopeName: string;
  readonly startMillis: number;
  readonly endMillis: number;
  readonly call: LlmCall;
}

/**
 * Calls looked at, at most, in each list a call reads to find its partner
 * (one list per other scope: its model's calls and the calls without a
 * model). Below this many neighbours the partner is the closest of all
 * candidates, as when every pair was compared. A hostile batch of
 * thousands of concurrent calls of one model costs at most this much per
 * list and call; past it a pair may be missed (both records priced:
 * counted twice, never dropped).
 */
export const MAX_PARTNER_LOOKS = 128;

/**
 * Layered scopes of a batch with lists of their own; calls of further
 * scopes share one list (compared by scope name there).
 */
export const MAX_SCOPE_LISTS = 16;

/** Calls of one model family (or all, or those without a model), by start. */
class StartList {
  /** Call indices sorted by start time, then index. */
  readonly order: number[] = [];
  /** The longest duration in the list (how far back a partner may start). */
  maxDurationMillis = 0;
  /** Union-find links over taken positions: nearest live one left/right. */
  private _left: Int32Array = new Int32Array(0);
  private _right: Int32Array = new Int32Array(0);

  seal(starts: readonly number[]): void {
    this.order.sort((x, y) => starts[x]! - starts[y]! || x - y);
    const n = this.order.length;
    this._left = new Int32Array(n);
    this._right = new Int32Array(n);
    for (let k = 0; k < n; k += 1) {
      this._left[k] = k;
      this._right[k] = k;
    }
  }

  /** Marks a position taken: walks skip it from now on. */
  take(position: number): void {
    this._left[position] = position - 1;
    this._right[position] = position + 1;
  }

  /** The nearest live position at or left of `k` (-1 when none). */
  liveLeft(k: number): number {
    let root = k;
    while (root >= 0 && this._left[root] !== root) root = this._left[root]!;
    while (k >= 0 && this._left[k] !== k) {
      const next = this._left[k]!;
      this._left[k] = root;
      k = next;
    }
    return root;
  }

  /** The nearest live position at or right of `k` (length when none). */
  liveRight(k: number): number {
    const n = this.order.length;
    let root = k;
    while (root < n && this._right[root] !== root) root = this._right[root]!;
    while (k < n && this._right[k] !== k) {
      const next = this._right[k]!;
      this._right[k] = root;
      k = next;
    }
    return root;
  }
}

/**
 * The in-batch half of `StackedWindow`: pairs the layered calls of one
 * batch one-to-one, each with its closest candidate (`pairingGap`, the
 * lower index on a tie) among the unpaired calls of another scope that ran
 * as one call with it (`ranAsOneCall`, `sameCall`).
 *
 * A candidate has another scope, the same model family (or one side has no
 * model) and a span that overlaps the call's within `CLOCK_SLACK_MILLIS`
 * (both rules imply it). So the calls are kept in lists by scope and model
 * family (and by scope alone, for calls without a model), sorted by start;
 * a look-up walks each list of another scope outward from the call's start
 * (closest starts first) over the calls that can overlap it and start
 * closer than the best candidate's gap so far (a gap is at least the start
 * gap), skipping the calls already paired (union-find links). Each model family is worked out
 * once per model string. Work: O(n log n) to sort, then at most
 * 2 × `MAX_SCOPE_LISTS` × `MAX_PARTNER_LOOKS` calls looked at per call; the
 * same pairs as comparing every pair whenever no call has more neighbours
 * than that in one list.
 */
export class BatchPartners {
  /** Calls looked at so far, over all look-ups (the work done, for tests). */
  looks = 0;
  private readonly _calls: readonly BatchCall[];
  private readonly _spans: (LayeredSpan | undefined)[];
  private readonly _starts: number[];
  private readonly _paired: Uint8Array;
  /** Each layered call's scope list number. */
  private readonly _scopeIds: Int32Array;
  /** Each layered call's model lists (its family's, or undefined: no model). */
  private readonly _family: ((StartList | undefined)[] | undefined)[];
  private readonly _ownPosition: Int32Array;
  private readonly _allPosition: Int32Array;
  /** By scope number: every call of the scope, and those without a model. */
  private readonly _all: StartList[] = [];
  private readonly _noModel: (StartList | undefined)[] = [];
  /** By model family, then scope number. */
  private readonly _byFamily = new Map<string, (StartList | undefined)[]>();

  constructor(
    calls: readonly BatchCall[],
    layers: readonly (EmitterLayer | undefined)[],
  ) {
    this._calls = calls;
    const n = calls.length;
    this._spans = new Array<LayeredSpan | undefined>(n);
    this._starts = new Array<number>(n);
    this._paired = new Uint8Array(n);
    this._scopeIds = new Int32Array(n);
    this._family = new Array<(StartList | undefined)[] | undefined>(n);
    this._ownPosition = new Int32Array(n);
    this._allPosition = new Int32Array(n);
    const families = new Map<string, string>();
    const scopeIds = new Map<string, number>();
    for (let i = 0; i < n; i += 1) {
      const layer = layers[i];
      const call = calls[i]!;
      this._starts[i] = call.startMillis;
      if (layer === undefined) continue;
      this._spans[i] = {
        startMillis: call.startMillis,
        endMillis: call.endMillis,
        layer,
      };
      let scopeId = scopeIds.get(call.scopeName);
      if (scopeId === undefined) {
        scopeId = Math.min(scopeIds.size, MAX_SCOPE_LISTS);
        scopeIds.set(call.scopeName, scopeId);
      }
      this._scopeIds[i] = scopeId;
      const model = call.call.model;
      let byScope = this._noModel;
      if (model !== undefined) {
        let family = families.get(model);
        if (family === undefined) {
          family = modelFamilyId(model);
          families.set(model, family);
        }
        let found = this._byFamily.get(family);
        if (found === undefined) {
          found = [];
          this._byFamily.set(family, found);
        }
        this._family[i] = found;
        byScope = found;
      }
      add(byScope, scopeId, i, call);
      add(this._all, scopeId, i, call);
    }
    const seal = (list: StartList | undefined, all: boolean): void => {
      if (list === undefined) return;
      list.seal(this._starts);
      const positions = all ? this._allPosition : this._ownPosition;
      list.order.forEach((index, position) => {
        positions[index] = position;
      });
    };
    for (const list of this._all) seal(list, true);
    for (const list of this._noModel) seal(list, false);
    for (const lists of this._byFamily.values()) {
      for (const list of lists) seal(list, false);
    }
  }

  /** Whether call `i` is paired. */
  isPaired(i: number): boolean {
    return this._paired[i] === 1;
  }

  /**
   * Pairs unpaired layered call `i` with its partner and returns the
   * partner's index, or undefined (then `i` stays unpaired).
   */
  pair(i: number): number | undefined {
    if (this._spans[i] === undefined || this._paired[i] === 1) return undefined;
    const own = this._scopeIds[i]!;
    const family = this._family[i];
    const found = { best: -1, gap: Infinity };
    for (let scope = 0; scope < this._all.length; scope += 1) {
      // The shared list of further scopes may hold other scopes.
      if (scope === own && scope !== MAX_SCOPE_LISTS) continue;
      if (family === undefined) {
        this._look(i, this._all[scope], found);
      } else {
        this._look(i, family[scope], found);
        this._look(i, this._noModel[scope], found);
      }
    }
    if (found.best === -1) return undefined;
    this._take(i);
    this._take(found.best);
    return found.best;
  }

  private _take(i: number): void {
    this._paired[i] = 1;
    const scope = this._scopeIds[i]!;
    const own = (this._family[i] ?? this._noModel)[scope]!;
    own.take(this._ownPosition[i]!);
    this._all[scope]!.take(this._allPosition[i]!);
  }

  /** Walks `list` outward from call `i`'s start over the calls that may overlap it. */
  private _look(
    i: number,
    list: StartList | undefined,
    found: { best: number; gap: number },
  ): void {
    if (list === undefined) return;
    const n = list.order.length;
    if (n === 0) return;
    const a = this._calls[i]!;
    const start = a.startMillis;
    // One millisecond more each way: rounding never hides a candidate.
    const latest = a.endMillis + CLOCK_SLACK_MILLIS + 1;
    const earliest = start - CLOCK_SLACK_MILLIS - list.maxDurationMillis - 1;
    // First position starting at or after this call's start.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this._starts[list.order[mid]!]! < start) lo = mid + 1;
      else hi = mid;
    }
    let right = list.liveRight(lo);
    let left = list.liveLeft(lo - 1);
    for (let looks = 0; looks < MAX_PARTNER_LOOKS; looks += 1) {
      // A pair's gap is at least its start gap: a call starting further
      // from this one than the best gap so far cannot be closer (nor tie).
      const rightStart = right < n ? this._starts[list.order[right]!]! : NaN;
      const leftStart = left >= 0 ? this._starts[list.order[left]!]! : NaN;
      const rightGap = Math.abs(start - rightStart);
      const leftGap = Math.abs(start - leftStart);
      const rightOk = rightStart <= latest && rightGap <= found.gap;
      const leftOk = leftStart >= earliest && leftGap <= found.gap;
      let position: number;
      if (rightOk && leftOk) position = rightGap <= leftGap ? right : left;
      else if (rightOk) position = right;
      else if (leftOk) position = left;
      else return;
      this.looks += 1;
      if (position === right) right = list.liveRight(right + 1);
      else left = list.liveLeft(left - 1);
      this._consider(i, list.order[position]!, found);
    }
  }

  private _consider(
    i: number,
    j: number,
    found: { best: number; gap: number },
  ): void {
    const a = this._calls[i]!;
    const b = this._calls[j]!;
    if (b.scopeName === a.scopeName) return;
    if (
      !ranAsOneCall(this._spans[i]!, this._spans[j]!) ||
      !sameCall(a.call, b.call)
    ) {
      return;
    }
    const gap = pairingGap(a, b);
    if (gap < found.gap || (gap === found.gap && j < found.best)) {
      found.best = j;
      found.gap = gap;
    }
  }
}

/** Adds call `i` to the list of `scopeId` in `lists`. */
function add(
  lists: (StartList | undefined)[],
  scopeId: number,
  i: number,
  call: BatchCall,
): void {
  let list = lists[scopeId];
  if (list === undefined) {
    list = new StartList();
    lists[scopeId] = list;
  }
  list.order.push(i);
  list.maxDurationMillis = Math.max(
    list.maxDurationMillis,
    call.endMillis - call.startMillis,
  );
}

interface Entry<T> {
  readonly parent: string | undefined;
  /** Inference spans started below this one and not ended yet. */
  open: number;
  /** Ended while descendants were open (kept until they end). */
  ended: boolean;
  /** Its call, for a descendant that ends without usage. */
  held: T | undefined;
}

/** What the end of an inference span learns from the spans still open. */
export interface OpenEnd<T> {
  /** An inference span started below it has not ended yet. */
  readonly descendantOpen: boolean;
  /** The call of the nearest ancestor that ended first, covered by this one. */
  readonly ancestorHeld: T | undefined;
}

const NOTHING: OpenEnd<never> = {
  descendantOpen: false,
  ancestorHeld: undefined,
};
const MAX_DEPTH = 16;

/**
 * Inference spans in flight, by parent (in process: `onStart` sees them
 * start). Coverage alone works when a child ends before its parent; an
 * instrumentation that ends its own span before the call it wraps
 * (OpenInference's `Anthropic Messages` ends before the Anthropic SDK's own
 * span below it) leaves the parent ending while its child is open. Then the
 * parent is covered by the open child: skipped at its end, and its call is
 * held for the child in case that one ends without usage.
 *
 * Memory: one entry per inference span in flight (plus ended parents whose
 * descendants are still open), at most `maxEntries`, oldest dropped first.
 */
/** Shared by every instance until its first `start` (engines that never see starts, the gateway's one per trace, allocate nothing). */
const NONE = new Map<string, never>();

/**
 * The span started last is kept in two fields, not in the map, until
 * another span starts (or an operation needs it as an entry): calls made
 * one after another (the usual case) then cost no entry object and no map
 * operation. While there, nothing started after it, so its entry would be
 * `open: 0, ended: false, held: undefined`, the newest in the map's order;
 * it is put there (`_spill`) before anything could change it, so the map's
 * order, the bound and every answer stay those of a map alone (property
 * test against the map-only implementation: open-llm-spans.property.test.ts).
 */
export class OpenLlmSpans<T> {
  private _entries: Map<string, Entry<T>> = NONE;
  private readonly _maxEntries: number;
  /** The span started last, not in `_entries` (undefined: none). */
  private _lastId: string | undefined = undefined;
  private _lastParent: string | undefined = undefined;

  constructor(maxEntries = 10_000) {
    this._maxEntries = maxEntries;
  }

  get size(): number {
    return this._entries.size + (this._lastId === undefined ? 0 : 1);
  }

  isOpen(spanId: string): boolean {
    return (
      spanId === this._lastId ||
      (this._entries.size !== 0 && this._entries.has(spanId))
    );
  }

  /** Whether `spanId` is an inference span that ended before a descendant. */
  endedFirst(spanId: string | undefined): boolean {
    // The last started span has not ended: never in the map.
    if (spanId === undefined || this._entries.size === 0) return false;
    return this._entries.get(spanId)?.ended === true;
  }

  start(spanId: string, parentSpanId: string | undefined): void {
    this._spill();
    if (this._entries === NONE) this._entries = new Map();
    const entries = this._entries;
    if (entries.size >= this._maxEntries) {
      for (const key of entries.keys()) {
        entries.delete(key);
        break;
      }
    }
    if (entries.size !== 0 && entries.has(spanId)) {
      // Started again: its entry is replaced where it stands.
      entries.set(spanId, newEntry(parentSpanId));
    } else {
      this._lastId = spanId;
      this._lastParent = parentSpanId;
    }
    let id = parentSpanId;
    for (let depth = 0; depth < MAX_DEPTH && id !== undefined; depth += 1) {
      // A parent chain back to this span (ids from outside): it counts
      // itself, as an entry of the map.
      if (id === this._lastId) this._spill();
      const entry = entries.get(id);
      if (entry === undefined) break;
      entry.open += 1;
      id = entry.parent;
    }
  }

  /** The inference span ended; see `OpenEnd`. */
  end(spanId: string): OpenEnd<T> {
    if (spanId === this._lastId) {
      // Nothing started after it: no descendant open.
      const ancestorHeld = this._endAncestors(this._lastParent);
      this._lastId = undefined;
      this._lastParent = undefined;
      return ancestorHeld !== undefined
        ? { descendantOpen: false, ancestorHeld }
        : NOTHING;
    }
    if (this._entries.size === 0) return NOTHING;
    const entry = this._entries.get(spanId);
    if (entry === undefined) return NOTHING;
    // Its ancestors may include the last started span (ids from outside).
    this._spill();
    const ancestorHeld = this._endAncestors(entry.parent);
    const descendantOpen = entry.open > 0;
    if (descendantOpen) entry.ended = true;
    else this._entries.delete(spanId);
    return descendantOpen || ancestorHeld !== undefined
      ? { descendantOpen, ancestorHeld }
      : NOTHING;
  }

  /** Holds the call of a span that ended before its open descendants. */
  hold(spanId: string, value: T): void {
    // The last started span has not ended: never in the map.
    const entry = this._entries.get(spanId);
    if (entry?.ended === true) entry.held = value;
  }

  /**
   * A remembered span ended as something else than an inference span, or
   * without being evaluated. A span already evaluated (kept, ended, for its
   * open descendants) stays.
   */
  forget(spanId: string): void {
    if (spanId === this._lastId) {
      this._forgetAncestors(this._lastParent);
      this._lastId = undefined;
      this._lastParent = undefined;
      return;
    }
    if (this._entries.size === 0) return;
    const entry = this._entries.get(spanId);
    if (entry === undefined || entry.ended) return;
    this._spill();
    this._forgetAncestors(entry.parent);
    this._entries.delete(spanId);
  }

  clear(): void {
    // An empty Map is not cleared: V8 allocates a new table for each clear.
    if (this._entries.size !== 0) this._entries.clear();
    this._lastId = undefined;
    this._lastParent = undefined;
  }

  /**
   * One descendant fewer open below each remembered ancestor (nearest
   * first); an ancestor that ended first goes once none is open. Returns
   * the nearest call held by one of them (taken). The last started span is
   * never among them while out of the map: a start whose parent chain leads
   * back to it puts it in the map, and chains never gain links after.
   */
  private _endAncestors(parentSpanId: string | undefined): T | undefined {
    if (this._entries.size === 0) return undefined;
    let ancestorHeld: T | undefined;
    let id = parentSpanId;
    for (let depth = 0; depth < MAX_DEPTH && id !== undefined; depth += 1) {
      const ancestor = this._entries.get(id);
      if (ancestor === undefined) break;
      const next = ancestor.parent;
      ancestor.open -= 1;
      if (ancestorHeld === undefined && ancestor.held !== undefined) {
        ancestorHeld = ancestor.held;
        ancestor.held = undefined;
      }
      if (ancestor.ended && ancestor.open <= 0) this._entries.delete(id);
      id = next;
    }
    return ancestorHeld;
  }

  /** `_endAncestors` for a span forgotten: held calls stay. */
  private _forgetAncestors(parentSpanId: string | undefined): void {
    if (this._entries.size === 0) return;
    let id = parentSpanId;
    for (let depth = 0; depth < MAX_DEPTH && id !== undefined; depth += 1) {
      const ancestor = this._entries.get(id);
      if (ancestor === undefined) break;
      const next = ancestor.parent;
      ancestor.open -= 1;
      if (ancestor.ended && ancestor.open <= 0) this._entries.delete(id);
      id = next;
    }
  }

  /** Puts the last started span into the map, as the newest entry. */
  private _spill(): void {
    const spanId = this._lastId;
    if (spanId === undefined) return;
    if (this._entries === NONE) this._entries = new Map();
    this._entries.set(spanId, newEntry(this._lastParent));
    this._lastId = undefined;
    this._lastParent = undefined;
  }
}

function newEntry<T>(parent: string | undefined): Entry<T> {
  return { parent, open: 0, ended: false, held: undefined };
}

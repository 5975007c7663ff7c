/**
 * The map-only `OpenLlmSpans` (before the last started span was kept out
 * of the map), kept as the reference for open-llm-spans.property.test.ts.
 * Test-only: do not import from src.
 */
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

export class ReferenceOpenLlmSpans<T> {
  private _entries: Map<string, Entry<T>> = NONE;
  private readonly _maxEntries: number;

  constructor(maxEntries = 10_000) {
    this._maxEntries = maxEntries;
  }

  get size(): number {
    return this._entries.size;
  }

  isOpen(spanId: string): boolean {
    return this._entries.size !== 0 && this._entries.has(spanId);
  }

  /** Whether `spanId` is an inference span that ended before a descendant. */
  endedFirst(spanId: string | undefined): boolean {
    if (spanId === undefined || this._entries.size === 0) return false;
    return this._entries.get(spanId)?.ended === true;
  }

  start(spanId: string, parentSpanId: string | undefined): void {
    if (this._entries === NONE) this._entries = new Map();
    if (this._entries.size >= this._maxEntries) {
      for (const key of this._entries.keys()) {
        this._entries.delete(key);
        break;
      }
    }
    this._entries.set(spanId, {
      parent: parentSpanId,
      open: 0,
      ended: false,
      held: undefined,
    });
    let id = parentSpanId;
    for (let depth = 0; depth < MAX_DEPTH && id !== undefined; depth += 1) {
      const entry = this._entries.get(id);
      if (entry === undefined) break;
      entry.open += 1;
      id = entry.parent;
    }
  }

  /** The inference span ended; see `OpenEnd`. */
  end(spanId: string): OpenEnd<T> {
    if (this._entries.size === 0) return NOTHING;
    const entry = this._entries.get(spanId);
    if (entry === undefined) return NOTHING;
    let ancestorHeld: T | undefined;
    let id = entry.parent;
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
    const descendantOpen = entry.open > 0;
    if (descendantOpen) entry.ended = true;
    else this._entries.delete(spanId);
    return descendantOpen || ancestorHeld !== undefined
      ? { descendantOpen, ancestorHeld }
      : NOTHING;
  }

  /** Holds the call of a span that ended before its open descendants. */
  hold(spanId: string, value: T): void {
    const entry = this._entries.get(spanId);
    if (entry?.ended === true) entry.held = value;
  }

  /**
   * A remembered span ended as something else than an inference span, or
   * without being evaluated. A span already evaluated (kept, ended, for its
   * open descendants) stays.
   */
  forget(spanId: string): void {
    if (this._entries.size === 0) return;
    const entry = this._entries.get(spanId);
    if (entry === undefined || entry.ended) return;
    this._walk(entry.parent, (ancestor, id) => {
      ancestor.open -= 1;
      if (ancestor.ended && ancestor.open <= 0) this._entries.delete(id);
    });
    this._entries.delete(spanId);
  }

  clear(): void {
    if (this._entries !== NONE) this._entries.clear();
  }

  /** Calls `visit` for each remembered inference ancestor, nearest first. */
  private _walk(
    parentSpanId: string | undefined,
    visit: (entry: Entry<T>, spanId: string) => void,
  ): void {
    let id = parentSpanId;
    for (let depth = 0; depth < MAX_DEPTH && id !== undefined; depth += 1) {
      const entry = this._entries.get(id);
      if (entry === undefined) return;
      const next = entry.parent;
      visit(entry, id);
      id = next;
    }
  }
}

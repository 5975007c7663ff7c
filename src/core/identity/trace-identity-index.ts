import type { SpanLike } from '../span-like.js';
import { mergeTags, readSpanIdentity } from './read-span-identity.js';
import type { AttributionTags } from './tag-key.js';

export interface TraceIdentityIndexOptions {
  /**
   * How long a span stays available as an ancestor: at least this long (up
   * to twice as long), unless `maxSpans` forces it out earlier.
   * @defaultValue 300000 (5 min)
   */
  readonly windowMillis?: number | undefined;
  /** Upper bound on remembered spans. @defaultValue 100000 */
  readonly maxSpans?: number | undefined;
}

interface Entry {
  readonly traceId: string;
  readonly parentSpanId: string | undefined;
  readonly tags: AttributionTags | undefined;
}

const MAX_DEPTH = 64;

/**
 * Identity inheritance for shells that see finished spans, not live ones
 * (the OTLP gateway, the exporter wrapper): remembers each observed span's
 * parent link and identity tags, so a call span can inherit from ancestors
 * of the same trace (AI SDK v7 puts the runtime context on `invoke_agent`,
 * not on `chat`). Exporters send children before their parents, so observe
 * a whole batch before resolving any span of it. Time is passed in, so the
 * class stays pure.
 *
 * Memory: two generations of entries; the current one becomes the previous
 * one every `windowMillis` (or when it holds `maxSpans / 2`), and the
 * previous one is dropped. O(1) per span: evicting one oldest entry at a
 * time from a `Map` costs O(size) per eviction in V8 once it is saturated
 * (deleted entries stay at the front until the table is rehashed).
 */
export class TraceIdentityIndex {
  private _current = new Map<string, Entry>();
  private _previous = new Map<string, Entry>();
  private _currentSinceMillis: number | undefined;
  private readonly _windowMillis: number;
  private readonly _maxPerGeneration: number;

  constructor(options: TraceIdentityIndexOptions = {}) {
    this._windowMillis = positive(options.windowMillis, 300_000);
    this._maxPerGeneration = Math.max(
      1,
      Math.floor(positive(options.maxSpans, 100_000) / 2),
    );
  }

  get size(): number {
    return this._current.size + this._previous.size;
  }

  /** Remembers a span (LLM call or not) as a possible ancestor. */
  observe(span: SpanLike, nowMillis: number): void {
    this._rotate(nowMillis);
    this._current.set(span.spanId, {
      traceId: span.traceId,
      parentSpanId: span.parentSpanId,
      tags: readSpanIdentity(span.attributes),
    });
  }

  /**
   * Tags of the span's remembered ancestors, nearest ancestor's value first
   * per key, or undefined. The walk stops at the first missing link.
   */
  ancestorTags(
    span: Pick<SpanLike, 'traceId' | 'parentSpanId'>,
  ): AttributionTags | undefined {
    const layers: AttributionTags[] = [];
    let parentId = span.parentSpanId;
    for (let depth = 0; depth < MAX_DEPTH; depth += 1) {
      if (parentId === undefined || parentId === '') break;
      const entry = this._current.get(parentId) ?? this._previous.get(parentId);
      if (entry === undefined || entry.traceId !== span.traceId) break;
      if (entry.tags !== undefined) layers.push(entry.tags);
      parentId = entry.parentSpanId;
    }
    return layers.length === 0 ? undefined : mergeTags(...layers);
  }

  clear(): void {
    this._current = new Map();
    this._previous = new Map();
    this._currentSinceMillis = undefined;
  }

  private _rotate(nowMillis: number): void {
    const since = this._currentSinceMillis;
    if (since === undefined) {
      this._currentSinceMillis = nowMillis;
      return;
    }
    const age = nowMillis - since;
    if (age >= 2 * this._windowMillis) {
      // Idle for two windows: both generations are stale.
      this.clear();
      this._currentSinceMillis = nowMillis;
    } else if (
      age >= this._windowMillis ||
      this._current.size >= this._maxPerGeneration
    ) {
      this._previous = this._current;
      this._current = new Map();
      this._currentSinceMillis = nowMillis;
    }
  }
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0
    ? value
    : fallback;
}

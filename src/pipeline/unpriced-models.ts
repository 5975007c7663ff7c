import type { UnpricedReason } from '../core/price/cost-result.js';

/** At most this many (reason, provider, model) keys are kept. */
export const MAX_UNPRICED_KEYS = 1000;
/** Longer provider or model ids are kept cut to this many characters. */
export const MAX_UNPRICED_ID_CHARS = 256;

/** Unpriced calls of one (reason, provider, model) since start. */
export interface UnpricedModel {
  readonly reason: UnpricedReason;
  /** `''` when the span names none. */
  readonly provider: string;
  /** `''` when the span names none. */
  readonly model: string;
  readonly calls: number;
  /** Milliseconds since the epoch. */
  readonly firstSeen: number;
  readonly lastSeen: number;
}

interface Entry {
  reason: UnpricedReason;
  provider: string;
  model: string;
  calls: number;
  firstSeen: number;
  lastSeen: number;
}

/**
 * A bounded record of the calls left unpriced, by (reason, provider,
 * model), so a user knows which price overrides to add. The first
 * `MAX_UNPRICED_KEYS` keys are kept; calls of further keys are only counted
 * (`overflowCalls`). Ids longer than `MAX_UNPRICED_ID_CHARS` are cut, so the
 * record holds at most about 1,000 × 1 KB (measured: test/pipeline/fixtures/unpriced-models-memory.ts).
 */
export class UnpricedModels {
  private readonly _entries = new Map<string, Entry>();
  private _overflowCalls = 0;

  constructor(private readonly _now: () => number = Date.now) {}

  note(
    reason: UnpricedReason,
    provider: string | undefined,
    model: string | undefined,
  ): void {
    const p = cut(provider ?? '');
    const m = cut(model ?? '');
    const key = `${reason}\u0000${p}\u0000${m}`;
    const now = this._now();
    const entry = this._entries.get(key);
    if (entry !== undefined) {
      entry.calls++;
      entry.lastSeen = now;
      return;
    }
    if (this._entries.size >= MAX_UNPRICED_KEYS) {
      this._overflowCalls++;
      return;
    }
    this._entries.set(key, {
      reason,
      provider: p,
      model: m,
      calls: 1,
      firstSeen: now,
      lastSeen: now,
    });
  }

  /** Keys kept (at most `MAX_UNPRICED_KEYS`). */
  get size(): number {
    return this._entries.size;
  }

  /** Unpriced calls not kept because the record was full. */
  get overflowCalls(): number {
    return this._overflowCalls;
  }

  /**
   * The `limit` keys with the most calls, most first (ties: first seen
   * first), as copies.
   */
  list(limit: number = MAX_UNPRICED_KEYS): UnpricedModel[] {
    return [...this._entries.values()]
      .sort((a, b) => b.calls - a.calls || a.firstSeen - b.firstSeen)
      .slice(0, Math.max(0, limit))
      .map(entry => ({ ...entry }));
  }
}

/**
 * A cut copy that does not keep the long original alive (a plain `slice`
 * may share the original's memory).
 */
function cut(value: unknown): string {
  // Ids come from span attributes: never trust their type.
  const id = typeof value === 'string' ? value : String(value);
  if (id.length <= MAX_UNPRICED_ID_CHARS) return id;
  return Buffer.from(id.slice(0, MAX_UNPRICED_ID_CHARS), 'utf16le').toString(
    'utf16le',
  );
}

import { RequestBodyError, type BodyHold } from '../http/read-request-body.js';

/** What a ticket asks of the `PendingRequests` that issued it. */
export interface TicketAccounts {
  /** False when `bytes` more, not counting `ownCompressed`, would pass the bound. */
  reserve(bytes: number, ownCompressed: number): boolean;
  unreserve(bytes: number): void;
  admit(bytes: number): boolean;
  release(bytes: number, queued: boolean): void;
}

/**
 * One request's hold on the gateway's bounds, from the moment its body
 * starts arriving to its answer: the bytes it holds, whether its sender is
 * done (then it can no longer be evicted: what remains is the gateway's
 * own work), whether it has a queue slot yet, and a signal fired when a
 * newer request takes its reading slot. Released exactly once, whatever
 * happened.
 */
export class RequestTicket implements BodyHold {
  readonly startedAt: number;
  private readonly _accounts: TicketAccounts;
  private readonly _evicted = new AbortController();
  private _bytes = 0;
  /** Of `_bytes`, compressed bytes waiting for the inflater. */
  private _compressed = 0;
  private _received = false;
  private _queued = false;
  private _released = false;

  constructor(startedAt: number, accounts: TicketAccounts) {
    this.startedAt = startedAt;
    this._accounts = accounts;
  }

  /** Aborted (reason: a 503 `RequestBodyError`) when the reading slot is taken away. */
  get evicted(): AbortSignal {
    return this._evicted.signal;
  }

  /** True until the last body byte has arrived (or the ticket is done). */
  get receiving(): boolean {
    return !this._received && !this.finished;
  }

  /**
   * Accounts body bytes (decompressed) as they arrive; false (nothing
   * reserved) over the bytes bound. The request's own compressed bytes
   * waiting for the inflater do not count here: they turn into these, so a
   * body within the limits is never refused for lack of its own room.
   */
  reserve(bytes: number): boolean {
    if (this.finished || !this._accounts.reserve(bytes, this._compressed)) {
      return false;
    }
    this._bytes += bytes;
    return true;
  }

  /** Accounts compressed bytes waiting for the inflater; false over the bytes bound. */
  reserveCompressed(bytes: number): boolean {
    if (this.finished || !this._accounts.reserve(bytes, 0)) return false;
    this._bytes += bytes;
    this._compressed += bytes;
    return true;
  }

  /**
   * Gives back compressed bytes once inflated. Once queued, the bytes stay
   * counted as they were admitted, until release.
   */
  releaseCompressed(bytes: number): void {
    if (this._released || this._queued) return;
    const given = Math.min(bytes, this._compressed);
    this._compressed -= given;
    this._bytes -= given;
    this._accounts.unreserve(given);
  }

  /** The sender is done: the ticket can no longer be evicted. */
  received(): void {
    this._received = true;
  }

  /** Takes a queue slot for the complete body; false when the queue is full. */
  admit(): boolean {
    if (this._queued || this.finished) return this._queued;
    this._queued = this._accounts.admit(this._bytes);
    return this._queued;
  }

  /** Released, or evicted while reading: it takes nothing more. */
  private get finished(): boolean {
    return this._released || this._evicted.signal.aborted;
  }

  /** Gives back the slot and the bytes (again is a no-op). */
  release(): void {
    if (this._released) return;
    this._released = true;
    this._accounts.release(this._bytes, this._queued);
  }

  /** Called by `PendingRequests` when a newer request needs the reading slot. */
  evict(): void {
    this._evicted.abort(
      new RequestBodyError(
        503,
        'request body still incomplete while the gateway is reading too many requests at once; retry',
      ),
    );
  }
}

import { RequestBodyError } from '../http/read-request-body.js';

/** What a ticket asks of the `PendingRequests` that issued it. */
export interface TicketAccounts {
  reserve(bytes: number): boolean;
  admit(bytes: number): boolean;
  release(bytes: number, queued: boolean): void;
}

/**
 * One request's hold on the gateway's bounds, from the moment its body
 * starts arriving to its answer: the bytes it reserved, whether it has a
 * queue slot yet, and a signal fired when a newer request takes its
 * reading slot. Released exactly once, whatever happened.
 */
export class RequestTicket {
  readonly startedAt: number;
  private readonly _accounts: TicketAccounts;
  private readonly _evicted = new AbortController();
  private _bytes = 0;
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

  /** Accounts body bytes as they arrive; false (nothing reserved) over the bytes bound. */
  reserve(bytes: number): boolean {
    if (this.finished || !this._accounts.reserve(bytes)) return false;
    this._bytes += bytes;
    return true;
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

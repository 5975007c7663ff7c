/**
 * The gateway's bounded queue: requests accepted for processing whose answer
 * is not sent yet (reading, pricing, forwarding). Bounded by a count and by
 * the sum of their decompressed body sizes; beyond either, new requests get
 * 503 with `Retry-After`, so memory does not grow with traffic.
 */
export class PendingRequests {
  private readonly _maxRequests: number;
  private readonly _maxBytes: number;
  private _requests = 0;
  private _bytes = 0;
  private _idle: (() => void)[] = [];

  constructor(maxRequests: number, maxBytes: number) {
    this._maxRequests = maxRequests;
    this._maxBytes = maxBytes;
  }

  get requests(): number {
    return this._requests;
  }

  get bytes(): number {
    return this._bytes;
  }

  get full(): boolean {
    return this._requests >= this._maxRequests || this._bytes >= this._maxBytes;
  }

  /** Takes a request slot, or returns false when the queue is full. */
  tryAdmit(): boolean {
    if (this.full) return false;
    this._requests += 1;
    return true;
  }

  /** Accounts a request's body; false (nothing reserved) when over the limit. */
  tryReserve(bytes: number): boolean {
    if (this._bytes + bytes > this._maxBytes) return false;
    this._bytes += bytes;
    return true;
  }

  /** Gives back a slot and the bytes reserved for it. */
  release(bytes: number): void {
    this._requests -= 1;
    this._bytes -= bytes;
    if (this._requests === 0) {
      const waiting = this._idle;
      this._idle = [];
      for (const resolve of waiting) resolve();
    }
  }

  /** Resolves once no request is pending. */
  whenIdle(): Promise<void> {
    if (this._requests === 0) return Promise.resolve();
    return new Promise(resolve => this._idle.push(resolve));
  }
}

import { RequestTicket } from './request-ticket.js';

export interface PendingLimits {
  /** Requests whose body has arrived, being priced or forwarded (the queue). */
  readonly maxRequests: number;
  /**
   * Body bytes held, of requests being read and queued alike: decompressed
   * bytes, and compressed ones still waiting for the inflater.
   */
  readonly maxBytes: number;
  /** Requests whose body is still being received. */
  readonly maxReading: number;
  /**
   * When every reading slot is taken, a new request takes the slot of the
   * longest-reading one if that one has been reading this long.
   */
  readonly evictAfterMillis: number;
}

/**
 * The gateway's bounded work in progress, in two stages. Reading: a request
 * whose body is still arriving holds a reading slot and the bytes it has
 * received so far, never a queue slot, so slow senders cannot take the
 * queue from others. Queued: once the whole body is there, the request
 * takes a queue slot (its bytes stay counted) until it is answered. Beyond
 * any bound a request gets 503 with `Retry-After`, so memory does not grow
 * with traffic or with slow connections.
 */
export class PendingRequests {
  private readonly _limits: PendingLimits;
  private readonly _reading = new Set<RequestTicket>();
  private _requests = 0;
  private _bytes = 0;
  private _queuedBytes = 0;
  private _idle: (() => void)[] = [];

  constructor(limits: PendingLimits) {
    this._limits = limits;
  }

  /** Requests in the queue (body complete, not answered yet). */
  get requests(): number {
    return this._requests;
  }

  /** Requests whose body is being received. */
  get reading(): number {
    return this._reading.size;
  }

  /** Decompressed bytes held, reading and queued. */
  get bytes(): number {
    return this._bytes;
  }

  /** True while the queue itself is full (reads in progress do not count). */
  get full(): boolean {
    return (
      this._requests >= this._limits.maxRequests ||
      this._queuedBytes >= this._limits.maxBytes
    );
  }

  /**
   * A reading slot for a new request, or undefined when all are taken by
   * requests younger than `evictAfterMillis` or whose body has fully
   * arrived (being decompressed: the gateway's work, not the sender's). The
   * oldest sender still sending for longer is evicted (its `evicted`
   * signal fires) and its slot given to the new request.
   */
  startReading(now: number): RequestTicket | undefined {
    if (this._reading.size >= this._limits.maxReading) {
      const oldest = this.oldestReceiving();
      if (
        oldest === undefined ||
        now - oldest.startedAt < this._limits.evictAfterMillis
      ) {
        return undefined;
      }
      this._reading.delete(oldest);
      oldest.evict();
    }
    const ticket: RequestTicket = new RequestTicket(now, {
      reserve: (bytes, ownCompressed) => this.reserve(bytes, ownCompressed),
      unreserve: bytes => {
        this._bytes -= bytes;
      },
      admit: (bytes: number): boolean => this.admit(ticket, bytes),
      release: (bytes, queued) => this.release(ticket, bytes, queued),
    });
    this._reading.add(ticket);
    return ticket;
  }

  /** Resolves once nothing is being read or queued. */
  whenIdle(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise(resolve => this._idle.push(resolve));
  }

  private get idle(): boolean {
    return this._requests === 0 && this._reading.size === 0;
  }

  /** The reading ticket whose sender started first and is still sending. */
  private oldestReceiving(): RequestTicket | undefined {
    // In insertion order, which is the order requests started in.
    for (const ticket of this._reading) if (ticket.receiving) return ticket;
    return undefined;
  }

  /**
   * Room for `bytes` more, not counting `ownCompressed` (the requester's own
   * compressed bytes, which its decompressed ones replace as it inflates):
   * bytes held stay within the bound plus one body's compressed bytes.
   */
  private reserve(bytes: number, ownCompressed: number): boolean {
    if (this._bytes - ownCompressed + bytes > this._limits.maxBytes) {
      return false;
    }
    this._bytes += bytes;
    return true;
  }

  private admit(ticket: RequestTicket, bytes: number): boolean {
    if (this._requests >= this._limits.maxRequests) return false;
    this._reading.delete(ticket);
    this._requests += 1;
    this._queuedBytes += bytes;
    return true;
  }

  private release(ticket: RequestTicket, bytes: number, queued: boolean): void {
    this._bytes -= bytes;
    if (queued) {
      this._requests -= 1;
      this._queuedBytes -= bytes;
    } else {
      this._reading.delete(ticket);
    }
    if (this.idle) {
      const waiting = this._idle;
      this._idle = [];
      for (const resolve of waiting) resolve();
    }
  }
}

/** Lets the event loop run (I/O, timers, `/healthz`) before going on. */
export function yieldToLoop(): Promise<void> {
  return new Promise(resolve => setImmediate(resolve));
}

/**
 * Runs decoding work one request at a time, in arrival order. The work
 * yields to the event loop between its steps (`yieldToLoop`), so one large
 * request does not block the gateway for its whole decode; the lane keeps
 * the requests that wait meanwhile from decoding alongside it, so what
 * decoding materializes is never more than one request's worth, however
 * many requests are queued.
 */
export class DecodeLane {
  private _tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this._tail.then(work, work);
    this._tail = result.catch(() => undefined);
    return result;
  }
}

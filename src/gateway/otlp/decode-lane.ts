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

/**
 * Decoding work as steps: a generator that yields after each slice of
 * work (a million fields or tokens, some tens of milliseconds) and
 * returns its result.
 */
export type DecodeSteps<T> = Generator<void, T, void>;

/** Runs every step at once (no yielding). */
export function runSteps<T>(steps: DecodeSteps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/** Runs the steps, letting the event loop run between them. */
export async function runStepsYielding<T>(steps: DecodeSteps<T>): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
    await yieldToLoop();
  }
}

/** Fields (or tokens) walked between two yields. */
export const FIELDS_PER_SLICE = 1 << 20;

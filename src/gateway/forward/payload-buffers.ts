/**
 * Memory for the payloads the gateway forwards, kept for reuse. The writer
 * takes a buffer for each request it writes (`take`); the one consumer
 * that knows the bytes are no longer read gives it back (`release`): the
 * next-hop client, once gzip on this thread has read the payload (the
 * request then carries gzip's own output). A payload sent uncompressed or
 * gzipped off the thread is never given back (the socket or the thread
 * pool may still read it) and is left to the garbage collector, as every
 * payload was before.
 *
 * Why: a fresh payload of a few hundred KB comes from memory the kernel
 * maps and zeroes page by page on first write (about 60 page faults and
 * ~100 us of system time per 300 KB batch in a loop); a reused one is
 * already mapped.
 *
 * Ownership: a buffer is lent to exactly one payload at a time. `take`
 * never hands out a buffer that is lent; `release` of a buffer that is not
 * lent to that very view (released already, even if its memory was lent
 * again since, or not from here) does nothing, so a late or second release
 * cannot give back memory another payload holds. At most `MAX_FREE`
 * buffers of at most `MAX_POOLED_BYTES` each are kept (~2 MiB per process
 * at most).
 */
export class PayloadBuffers {
  private readonly _free: ArrayBuffer[] = [];
  /** Memory lent, to the one view `take` gave out for it. */
  private readonly _lent = new WeakMap<ArrayBufferLike, Uint8Array>();

  /** A buffer of exactly `size` bytes (contents undefined), lent until released. */
  take(size: number): Buffer {
    if (size < MIN_POOLED_BYTES || size > MAX_POOLED_BYTES) {
      return Buffer.allocUnsafe(size);
    }
    let memory: ArrayBuffer | undefined;
    const free = this._free;
    for (let i = 0; i < free.length; i++) {
      if ((free[i] as ArrayBuffer).byteLength >= size) {
        memory = free[i] as ArrayBuffer;
        free[i] = free[free.length - 1] as ArrayBuffer;
        free.pop();
        break;
      }
    }
    // Rounded up so that batches of about one size share buffers.
    memory ??= new ArrayBuffer(
      Math.min(MAX_POOLED_BYTES, Math.ceil(size / ROUND_BYTES) * ROUND_BYTES),
    );
    const view = Buffer.from(memory, 0, size);
    this._lent.set(memory, view);
    return view;
  }

  /**
   * Gives back the buffer `view` was taken in: its bytes may be overwritten
   * by the next `take`. Only for a payload no one reads any more.
   */
  release(view: Uint8Array): void {
    const memory = view.buffer;
    // Only the view lent now: an earlier lending's view (released already,
    // its memory since lent again) or another view of it does nothing.
    if (this._lent.get(memory) !== view) return;
    this._lent.delete(memory);
    if (this._free.length < MAX_FREE) this._free.push(memory as ArrayBuffer);
  }

  /** Buffers kept for reuse (for tests). */
  get free(): number {
    return this._free.length;
  }
}

/** Below this a payload comes from Node's own small-buffer pool. */
const MIN_POOLED_BYTES = 64 * 1024;
/**
 * Past this a payload is not kept (the forward gzips past 1 MiB off the
 * thread and never gives it back anyway).
 */
export const MAX_POOLED_BYTES = 1024 * 1024;
const ROUND_BYTES = 64 * 1024;
/** One request is written while the previous one is gzipped, at most. */
const MAX_FREE = 2;

/** The gateway's: the writer takes, the next-hop client releases. */
export const forwardPayloads = new PayloadBuffers();

import type { IncomingMessage } from 'node:http';
import {
  createGunzip,
  createInflate,
  gunzipSync,
  inflateSync,
} from 'node:zlib';
import type { Transform } from 'node:stream';

/** Why a body could not be read; `status` is the answer to send. */
export class RequestBodyError extends Error {
  override name = 'RequestBodyError';
  constructor(
    readonly status: 400 | 408 | 413 | 503,
    message: string,
  ) {
    super(message);
  }
}

/** The client went away before the body was complete: nobody to answer. */
export class ClientGoneError extends Error {
  override name = 'ClientGoneError';
}

export type ContentEncoding = 'identity' | 'gzip' | 'deflate';

export interface BodyLimits {
  /** Bytes on the wire (compressed). */
  readonly maxBodyBytes: number;
  /** Bytes after decompression. */
  readonly maxDecompressedBytes: number;
  /**
   * Time the sender has to deliver the last byte of the body on the wire
   * (`--body-timeout-seconds`); none when unset. Decompressing what has
   * arrived is the gateway's work and is not timed.
   */
  readonly timeoutMillis?: number;
}

/** What a body being read holds of the gateway's bounds (a `RequestTicket`). */
export interface BodyHold {
  /** Accounts body bytes (decompressed) kept in memory; false when the bytes bound is reached. */
  reserve(bytes: number): boolean;
  /** Accounts compressed bytes waiting for the inflater; false when the bytes bound is reached. */
  reserveCompressed(bytes: number): boolean;
  /** Gives back compressed bytes once the inflater has consumed them. */
  releaseCompressed(bytes: number): void;
  /** The last byte has arrived on the wire: the sender is done. */
  received(): void;
  /** Fires (with the reason to answer) when the reading slot is taken away. */
  readonly evicted?: AbortSignal;
}

const HOLD_NOTHING: BodyHold = {
  reserve: () => true,
  reserveCompressed: () => true,
  releaseCompressed: () => undefined,
  received: () => undefined,
};

/**
 * Output chunk of the inflater. Each chunk costs one turn of the event
 * loop, and turns are long while other requests decode: 64 KiB (Node's
 * default is 16 KiB) inflates a body in a quarter of the turns.
 */
const INFLATE_CHUNK_BYTES = 64 * 1024;

/**
 * A compressed body whose wire bytes all arrived within this many is
 * inflated at once when its last byte arrives, on this thread (a thread
 * pool round trip per output chunk costs more CPU than small bodies take
 * to inflate), up to `INFLATE_AT_ONCE_MAX_BYTES` of output (some
 * milliseconds); a larger one streams through the inflater.
 */
const INFLATE_AT_ONCE_WIRE_BYTES = 256 * 1024;
/** What inflating at once may produce (past it: the streaming inflater). */
const INFLATE_AT_ONCE_MAX_BYTES = 8 * 1024 * 1024;

/** Deflate's densest output: 1032 bytes out per byte in (RFC 1951 blocks). */
const DEFLATE_MAX_RATIO = 1032;

/**
 * The output chunk for inflating a whole gzip body at once: the size its
 * trailer declares (ISIZE, the last member's length mod 2^32) plus one, so
 * the body comes out as one chunk (no 64 KiB chunks copied together: ~150
 * us less CPU for a 300 KB batch). Only a hint, never trusted for bounds:
 * at least `INFLATE_CHUNK_BYTES`, at most `most` (the output cap), and
 * `INFLATE_CHUNK_BYTES` when the claim is more than the compressed bytes
 * could give (a forged trailer allocates no more than the body can fill).
 */
export function gunzipChunkBytes(compressed: Buffer, most: number): number {
  if (compressed.length < 18) return INFLATE_CHUNK_BYTES;
  const declared = compressed.readUInt32LE(compressed.length - 4);
  if (declared > compressed.length * DEFLATE_MAX_RATIO) {
    return INFLATE_CHUNK_BYTES;
  }
  return Math.max(INFLATE_CHUNK_BYTES, Math.min(declared + 1, most));
}

/** `Content-Encoding` as one we decode, or undefined when unsupported. */
export function contentEncodingOf(
  header: string | undefined,
): ContentEncoding | undefined {
  const value = (header ?? '').trim().toLowerCase();
  if (value === '' || value === 'identity') return 'identity';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  if (value === 'deflate') return 'deflate';
  return undefined;
}

/**
 * Reads a request body, decompressing as it streams and counting both the
 * wire bytes and the decompressed bytes: the first limit crossed stops the
 * read and the decompression at once (413), so a gzip bomb costs at most
 * the limit plus one chunk of memory. The wire is read as fast as the
 * sender sends (never slowed down by decompression), and every byte held
 * is reserved in the gateway's queue (503 when it is full): decompressed
 * bytes as they come out, and compressed bytes while they wait for the
 * inflater. A corrupt stream gives 400. A small compressed body (at most
 * `INFLATE_AT_ONCE_WIRE_BYTES` on the wire) is held compressed until its
 * last byte and inflated at once, within the same limits; one that does not
 * inflate, or inflates past `INFLATE_AT_ONCE_MAX_BYTES` or the limit, goes
 * through the streaming inflater after all, for the same answer.
 *
 * `timeoutMillis` times the sender only: a body whose last byte has not
 * arrived within it gives 408 (bytes that reached the socket before the
 * timer's turn still count), while inflating and everything after is
 * untimed. `hold.evicted` (a newer request taking this one's reading slot)
 * rejects with its reason. Either way the bytes are released at once,
 * whatever the sender does next.
 */
export function readRequestBody(
  request: IncomingMessage,
  encoding: ContentEncoding,
  limits: BodyLimits,
  hold: BodyHold = HOLD_NOTHING,
): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    // Started once the compressed body is past what is inflated at once.
    let inflater: Transform | undefined;
    /** Compressed wire bytes held (reserved) until the body is complete. */
    const held: Buffer[] = [];
    let heldBytes = 0;
    const signal = hold.evicted;
    const { timeoutMillis } = limits;
    const chunks: Buffer[] = [];
    let wireBytes = 0;
    let bodyBytes = 0;
    let wireDone = false;
    let settled = false;

    const stopWaiting = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      stopWaiting();
      request.removeListener('data', onWireData);
      inflater?.destroy();
      if (heldBytes > 0) hold.releaseCompressed(heldBytes);
      heldBytes = 0;
      request.pause();
      // The rest is left unread: the error answer discards a small remainder
      // or closes the connection (replyError).
      reject(error);
    };
    const onAbort = (): void =>
      fail(
        signal?.reason instanceof Error
          ? signal.reason
          : new RequestBodyError(503, 'request body read cancelled'),
      );
    // The timer runs before the turn's I/O: the check waits for that I/O
    // (setImmediate), so bytes already on the socket are not cut off.
    const timer =
      timeoutMillis === undefined
        ? undefined
        : setTimeout(
            () =>
              setImmediate(() => {
                if (wireDone) return;
                fail(
                  new RequestBodyError(
                    408,
                    `request body not complete within ${timeoutMillis / 1000} s (--body-timeout-seconds)`,
                  ),
                );
              }),
            timeoutMillis,
          );
    if (signal?.aborted === true) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });

    /** Decompressed (or identity) bytes: counted, reserved, kept. */
    const onBodyData = (chunk: Buffer): void => {
      if (settled) return;
      bodyBytes += chunk.length;
      if (bodyBytes > limits.maxDecompressedBytes) {
        fail(
          new RequestBodyError(
            413,
            `decompressed request body exceeds ${limits.maxDecompressedBytes} bytes (--max-decompressed-bytes)`,
          ),
        );
        return;
      }
      if (!hold.reserve(chunk.length)) {
        fail(new RequestBodyError(503, 'gateway queue is full (bytes)'));
        return;
      }
      chunks.push(chunk);
    };
    /** Wire bytes: counted; compressed ones held until inflated. */
    function onWireData(chunk: Buffer): void {
      if (settled) return;
      wireBytes += chunk.length;
      if (wireBytes > limits.maxBodyBytes) {
        fail(
          new RequestBodyError(
            413,
            `request body exceeds ${limits.maxBodyBytes} bytes (--max-body-bytes)`,
          ),
        );
        return;
      }
      if (encoding === 'identity') {
        onBodyData(chunk);
        return;
      }
      if (!hold.reserveCompressed(chunk.length)) {
        fail(new RequestBodyError(503, 'gateway queue is full (bytes)'));
        return;
      }
      if (inflater === undefined) {
        held.push(chunk);
        heldBytes += chunk.length;
        if (wireBytes <= INFLATE_AT_ONCE_WIRE_BYTES) return;
        startInflater();
        return;
      }
      inflate(chunk);
    }
    // No backpressure on the sender: the inflater queues what it has not
    // consumed yet (reserved, given back once consumed).
    const inflate = (chunk: Buffer): void => {
      (inflater as Transform).write(chunk, () =>
        hold.releaseCompressed(chunk.length),
      );
    };
    /** Streams the body through an inflater, from the bytes held on. */
    const startInflater = (): Transform => {
      const stream =
        encoding === 'gzip'
          ? createGunzip({ chunkSize: INFLATE_CHUNK_BYTES })
          : createInflate({ chunkSize: INFLATE_CHUNK_BYTES });
      inflater = stream;
      stream.on('data', onBodyData);
      stream.on('end', finish);
      stream.on('error', error => fail(invalidBody(error)));
      for (const chunk of held.splice(0)) inflate(chunk);
      heldBytes = 0;
      return stream;
    };
    const invalidBody = (error: Error): RequestBodyError =>
      new RequestBodyError(
        400,
        `invalid ${encoding} request body: ${error.message}`,
      );
    /** The whole compressed body held: inflated here, at once. */
    const inflateAtOnce = (): void => {
      const compressed = Buffer.concat(held, heldBytes);
      const most = Math.min(
        limits.maxDecompressedBytes,
        INFLATE_AT_ONCE_MAX_BYTES,
      );
      let body: Buffer;
      try {
        body = (encoding === 'gzip' ? gunzipSync : inflateSync)(compressed, {
          chunkSize:
            encoding === 'gzip'
              ? gunzipChunkBytes(compressed, most)
              : INFLATE_CHUNK_BYTES,
          maxOutputLength: Math.max(1, most),
        });
      } catch {
        // Past the output cap, or not zlib: the streaming inflater reads it
        // again and answers as it always did (which error comes first).
        startInflater().end();
        return;
      }
      // Trailing bytes zlib ignores (zeros) can forge the trailer the one
      // chunk was sized from: a body kept in a chunk much larger than it
      // is copied out, so a small request never pins the output cap.
      if (
        body.buffer.byteLength > INFLATE_CHUNK_BYTES &&
        body.buffer.byteLength > 2 * body.length
      ) {
        body = Buffer.from(body);
      }
      hold.releaseCompressed(heldBytes);
      held.length = 0;
      heldBytes = 0;
      if (body.length > 0) onBodyData(body);
      finish();
    };
    const finish = (): void => {
      if (settled) return;
      settled = true;
      // Inflated chunks are the inflater's own: one is the body as it is.
      resolve(
        encoding !== 'identity' && chunks.length === 1
          ? (chunks[0] as Buffer)
          : Buffer.concat(chunks, bodyBytes),
      );
    };

    request.on('data', onWireData);
    request.on('end', () => {
      if (settled) return;
      wireDone = true;
      stopWaiting();
      hold.received();
      if (encoding === 'identity') finish();
      else if (inflater === undefined) inflateAtOnce();
      else inflater.end();
    });
    request.on('aborted', () =>
      fail(new ClientGoneError('client aborted the request')),
    );
    request.on('error', error => fail(new ClientGoneError(error.message)));
  });
}

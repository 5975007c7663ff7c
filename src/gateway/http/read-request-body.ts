import type { IncomingMessage } from 'node:http';
import { createGunzip, createInflate } from 'node:zlib';
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
 * inflater. A corrupt stream gives 400.
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
    const inflater: Transform | undefined =
      encoding === 'gzip'
        ? createGunzip({ chunkSize: INFLATE_CHUNK_BYTES })
        : encoding === 'deflate'
          ? createInflate({ chunkSize: INFLATE_CHUNK_BYTES })
          : undefined;
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
      if (inflater === undefined) {
        onBodyData(chunk);
        return;
      }
      if (!hold.reserveCompressed(chunk.length)) {
        fail(new RequestBodyError(503, 'gateway queue is full (bytes)'));
        return;
      }
      // No backpressure on the sender: the inflater queues what it has not
      // consumed yet (reserved above, given back once consumed).
      inflater.write(chunk, () => hold.releaseCompressed(chunk.length));
    }
    const finish = (): void => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks, bodyBytes));
    };

    request.on('data', onWireData);
    request.on('end', () => {
      if (settled) return;
      wireDone = true;
      stopWaiting();
      hold.received();
      if (inflater === undefined) finish();
      else inflater.end();
    });
    request.on('aborted', () =>
      fail(new ClientGoneError('client aborted the request')),
    );
    request.on('error', error => fail(new ClientGoneError(error.message)));
    if (inflater !== undefined) {
      inflater.on('data', onBodyData);
      inflater.on('end', finish);
      inflater.on('error', error =>
        fail(
          new RequestBodyError(
            400,
            `invalid ${encoding} request body: ${error.message}`,
          ),
        ),
      );
    }
  });
}

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
  /** Time for the whole body to arrive (`--body-timeout-seconds`); none when unset. */
  readonly timeoutMillis?: number;
}

/** Accounts decompressed bytes as they arrive; false when the queue is full. */
export type ReserveBytes = (bytes: number) => boolean;

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
 * the limit plus one chunk of memory. Decompressed bytes are reserved in
 * the gateway's queue as they arrive (503 when it is full), so concurrent
 * reads cannot exceed it either. A corrupt stream gives 400. A body not
 * complete within `timeoutMillis` gives 408, and `signal` (a newer request
 * taking this one's reading slot) rejects with its reason: either way the
 * bytes are released at once, whatever the sender does next.
 */
export function readRequestBody(
  request: IncomingMessage,
  encoding: ContentEncoding,
  limits: BodyLimits,
  reserve: ReserveBytes = () => true,
  signal?: AbortSignal,
): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const inflater: Transform | undefined =
      encoding === 'gzip'
        ? createGunzip()
        : encoding === 'deflate'
          ? createInflate()
          : undefined;
    const chunks: Buffer[] = [];
    let wireBytes = 0;
    let bodyBytes = 0;
    let settled = false;

    const countWireBytes = (chunk: Buffer): void => {
      wireBytes += chunk.length;
      if (wireBytes > limits.maxBodyBytes) {
        fail(
          new RequestBodyError(
            413,
            `request body exceeds ${limits.maxBodyBytes} bytes (--max-body-bytes)`,
          ),
        );
      }
    };
    const stopWaiting = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      stopWaiting();
      request.removeListener('data', countWireBytes);
      if (inflater !== undefined) {
        request.unpipe(inflater);
        inflater.destroy();
      }
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
    const { timeoutMillis } = limits;
    const timer =
      timeoutMillis === undefined
        ? undefined
        : setTimeout(
            () =>
              fail(
                new RequestBodyError(
                  408,
                  `request body not complete within ${timeoutMillis / 1000} s (--body-timeout-seconds)`,
                ),
              ),
            timeoutMillis,
          );
    if (signal?.aborted === true) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });

    request.on('data', countWireBytes);
    request.on('aborted', () =>
      fail(new ClientGoneError('client aborted the request')),
    );
    request.on('error', error => fail(new ClientGoneError(error.message)));

    const source = inflater ?? request;
    source.on('data', (chunk: Buffer) => {
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
      if (!reserve(chunk.length)) {
        fail(new RequestBodyError(503, 'gateway queue is full (bytes)'));
        return;
      }
      chunks.push(chunk);
    });
    source.on('end', () => {
      if (settled) return;
      settled = true;
      stopWaiting();
      resolve(Buffer.concat(chunks, bodyBytes));
    });
    if (inflater !== undefined) {
      inflater.on('error', error =>
        fail(
          new RequestBodyError(
            400,
            `invalid ${encoding} request body: ${error.message}`,
          ),
        ),
      );
      request.pipe(inflater);
    }
  });
}

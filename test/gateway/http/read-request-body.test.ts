import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  readRequestBody,
  RequestBodyError,
} from '../../../src/gateway/http/read-request-body.js';
import { gzipBomb, gzipBombSize } from '../helpers/gzip-bomb.js';

const MiB = 1024 * 1024;

const asRequest = (stream: NodeJS.ReadableStream): IncomingMessage =>
  stream as unknown as IncomingMessage;

describe('readRequestBody', () => {
  it('stops decompressing a gzip bomb at the limit, stops reading, and gives back the compressed bytes it held', async () => {
    const bomb = gzipBomb(1024 * MiB);
    let held = 0;
    let compressed = 0;
    const read = readRequestBody(
      asRequest(bomb.stream),
      'gzip',
      { maxBodyBytes: 64 * MiB, maxDecompressedBytes: 8 * MiB },
      {
        reserve: bytes => {
          held += bytes;
          return true;
        },
        reserveCompressed: bytes => {
          compressed += bytes;
          return true;
        },
        releaseCompressed: bytes => {
          compressed -= bytes;
        },
        received: () => undefined,
      },
    );
    await expect(read).rejects.toThrow(
      new RequestBodyError(
        413,
        'decompressed request body exceeds 8388608 bytes (--max-decompressed-bytes)',
      ),
    );
    const pulledAtFailure = bomb.pulled();
    await new Promise(resolve => setTimeout(resolve, 50));
    // The wire is read as fast as it arrives (the sender is never slowed
    // down by decompression), and not at all once the read failed: the
    // source refills its 16 KiB buffer at most.
    expect(bomb.pulled() - pulledAtFailure).toBeLessThanOrEqual(
      16 * 1024 + gzipBombSize(MiB),
    );
    // Still held: the decompressed bytes kept (the limit at most); every
    // compressed byte waiting for the inflater was given back.
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThanOrEqual(8 * MiB);
    expect(compressed).toBe(0);
  });

  it('decompresses a gzip body within the limits', async () => {
    const payload = Buffer.from('x'.repeat(100_000));
    const source = new PassThrough();
    source.end(gzipSync(payload));
    const body = await readRequestBody(asRequest(source), 'gzip', {
      maxBodyBytes: MiB,
      maxDecompressedBytes: MiB,
    });
    expect(body.equals(payload)).toBe(true);
  });

  it('holds compressed bytes as reserved until inflated, and the sender is done at its last wire byte', async () => {
    // Random bytes do not compress: the wire body is as big as the payload.
    const payload = randomBytes(MiB);
    const wire = gzipSync(payload);
    const source = new PassThrough();
    let held = 0;
    let most = 0;
    let heldWhenReceived: number | undefined;
    const read = readRequestBody(
      asRequest(source),
      'gzip',
      { maxBodyBytes: 2 * MiB, maxDecompressedBytes: 2 * MiB },
      {
        reserve: bytes => {
          held += bytes;
          most = Math.max(most, held);
          return true;
        },
        reserveCompressed: bytes => {
          held += bytes;
          most = Math.max(most, held);
          return true;
        },
        releaseCompressed: bytes => {
          held -= bytes;
        },
        received: () => {
          heldWhenReceived ??= held;
        },
      },
    );
    source.end(wire);
    const body = await read;
    expect(body.equals(payload)).toBe(true);
    // The whole wire body was taken at once, before any of it was inflated.
    expect(heldWhenReceived).toBeGreaterThanOrEqual(wire.length);
    expect(most).toBeGreaterThanOrEqual(wire.length);
    // Once inflated, only the decompressed bytes are held.
    expect(held).toBe(payload.length);
  });

  it('counts wire bytes against --max-body-bytes', async () => {
    const source = new PassThrough();
    source.end(Buffer.alloc(2 * MiB));
    await expect(
      readRequestBody(asRequest(source), 'identity', {
        maxBodyBytes: MiB,
        maxDecompressedBytes: 64 * MiB,
      }),
    ).rejects.toMatchObject({
      status: 413,
      message: 'request body exceeds 1048576 bytes (--max-body-bytes)',
    });
  });

  it('answers 400 for a deflate body that is not deflate', async () => {
    const source = new PassThrough();
    source.end(Buffer.from('not deflate at all'));
    await expect(
      readRequestBody(asRequest(source), 'deflate', {
        maxBodyBytes: MiB,
        maxDecompressedBytes: MiB,
      }),
    ).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(
        /^invalid deflate request body: /,
      ) as unknown,
    });
  });

  it('gives up with 408 when the body is not complete within timeoutMillis, and releases nothing it did not reserve', async () => {
    const source = new PassThrough();
    source.write(Buffer.from('{'));
    let reserved = 0;
    const read = readRequestBody(
      asRequest(source),
      'identity',
      { maxBodyBytes: MiB, maxDecompressedBytes: MiB, timeoutMillis: 50 },
      {
        reserve: bytes => {
          reserved += bytes;
          return true;
        },
        reserveCompressed: () => true,
        releaseCompressed: () => undefined,
        received: () => undefined,
      },
    );
    await expect(read).rejects.toThrow(
      new RequestBodyError(
        408,
        'request body not complete within 0.05 s (--body-timeout-seconds)',
      ),
    );
    expect(reserved).toBe(1);
    // Bytes that arrive later are not read (nor reserved).
    source.write(Buffer.from('more'));
    await new Promise(resolve => setTimeout(resolve, 10));
    expect(reserved).toBe(1);
  });

  it('stops at once when its signal fires, with the signal reason', async () => {
    const source = new PassThrough();
    source.write(Buffer.from('{'));
    const controller = new AbortController();
    const read = readRequestBody(
      asRequest(source),
      'gzip',
      { maxBodyBytes: MiB, maxDecompressedBytes: MiB, timeoutMillis: 60_000 },
      {
        reserve: () => true,
        reserveCompressed: () => true,
        releaseCompressed: () => undefined,
        received: () => undefined,
        evicted: controller.signal,
      },
    );
    const reason = new RequestBodyError(503, 'evicted');
    controller.abort(reason);
    await expect(read).rejects.toBe(reason);
  });

  it('does not time out a body that completes in time', async () => {
    const source = new PassThrough();
    source.end(Buffer.from('{}'));
    const body = await readRequestBody(asRequest(source), 'identity', {
      maxBodyBytes: MiB,
      maxDecompressedBytes: MiB,
      timeoutMillis: 50,
    });
    expect(body.toString()).toBe('{}');
  });
});

import type { IncomingMessage } from 'node:http';
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
  it('stops decompressing a gzip bomb at the limit and leaves the rest unread', async () => {
    const bomb = gzipBomb(1024 * MiB);
    const read = readRequestBody(asRequest(bomb.stream), 'gzip', {
      maxBodyBytes: 64 * MiB,
      maxDecompressedBytes: 8 * MiB,
    });
    await expect(read).rejects.toThrow(
      new RequestBodyError(
        413,
        'decompressed request body exceeds 8388608 bytes (--max-decompressed-bytes)',
      ),
    );
    await new Promise(resolve => setTimeout(resolve, 50));
    // 8 MiB of output needs 8 members; stream buffering adds a few, not 1000.
    expect(bomb.pulled()).toBeLessThan(gzipBombSize(64 * MiB));
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
      bytes => {
        reserved += bytes;
        return true;
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
      () => true,
      controller.signal,
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

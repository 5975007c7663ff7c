/**
 * A gzip body inflated at once gets an output chunk sized from its
 * trailer (ISIZE + 1), so it comes out in one piece; the trailer is only a
 * hint: the chunk stays between 64 KiB and the output cap, a claim the
 * compressed bytes could not fill is ignored, and whatever the trailer
 * says (forged, several members) the body read is zlib's answer.
 */
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  gunzipChunkBytes,
  readRequestBody,
  RequestBodyError,
} from '../../../src/gateway/http/read-request-body.js';

const KiB = 1024;
const MiB = 1024 * KiB;

function withTrailerSize(wire: Buffer, size: number): Buffer {
  const copy = Buffer.from(wire);
  copy.writeUInt32LE(size >>> 0, copy.length - 4);
  return copy;
}

function sent(wire: Buffer): IncomingMessage {
  const source = new PassThrough();
  setImmediate(() => source.end(wire));
  return source as unknown as IncomingMessage;
}

async function answerOf(
  wire: Buffer,
  maxDecompressedBytes: number,
): Promise<Buffer | string> {
  try {
    return await readRequestBody(sent(wire), 'gzip', {
      maxBodyBytes: 4 * MiB,
      maxDecompressedBytes,
    });
  } catch (error) {
    if (!(error instanceof RequestBodyError)) throw error;
    return `${error.status} ${error.message}`;
  }
}

function zlibAnswer(wire: Buffer, maxDecompressedBytes: number): string[] {
  const tooLarge = `413 decompressed request body exceeds ${maxDecompressedBytes} bytes (--max-decompressed-bytes)`;
  try {
    const body = gunzipSync(wire);
    return [
      body.length > maxDecompressedBytes ? tooLarge : body.toString('hex'),
    ];
  } catch (error) {
    return [
      `400 invalid gzip request body: ${(error as Error).message}`,
      tooLarge,
    ];
  }
}

describe('gunzipChunkBytes', () => {
  it('is the declared size plus one, within 64 KiB and the cap', () => {
    fc.assert(
      fc.property(
        fc.nat(2 * MiB),
        fc.integer({ min: 1, max: 16 * MiB }),
        (size, most) => {
          const wire = gzipSync(Buffer.alloc(size, 0x61));
          expect(wire.readUInt32LE(wire.length - 4)).toBe(size);
          expect(gunzipChunkBytes(wire, most)).toBe(
            Math.max(64 * KiB, Math.min(size + 1, most)),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('ignores a trailer claiming more than the compressed bytes can give', () => {
    const wire = gzipSync(Buffer.from('a small body'));
    const forged = withTrailerSize(wire, wire.length * 1032 + 1);
    expect(gunzipChunkBytes(forged, 8 * MiB)).toBe(64 * KiB);
    expect(gunzipChunkBytes(withTrailerSize(wire, 0xffffffff), 8 * MiB)).toBe(
      64 * KiB,
    );
    // The densest honest claim is kept (within the cap).
    const noise = gzipSync(
      Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 151) % 256)),
    );
    expect(
      gunzipChunkBytes(withTrailerSize(noise, noise.length * 1032), 64 * MiB),
    ).toBe(noise.length * 1032 + 1);
    expect(gunzipChunkBytes(Buffer.alloc(10), 8 * MiB)).toBe(64 * KiB);
  });
});

describe('readRequestBody, gzip trailers', () => {
  it('a small body after a trailer forged by trailing zeros does not keep the large chunk', async () => {
    // Node's gunzip ignores trailing zeros, so the last four bytes (read as
    // the trailer) can claim 8 MiB for a 1-byte body.
    for (const padding of [9_000, 100_000]) {
      const wire = Buffer.concat([
        gzipSync(Buffer.from('x')),
        Buffer.alloc(padding, 0),
      ]);
      wire.writeUInt32LE(8 * MiB - 1, wire.length - 4);
      expect(gunzipChunkBytes(wire, 8 * MiB)).toBe(8 * MiB);
      const body = await answerOf(wire, 16 * MiB);
      expect(body).toEqual(Buffer.from('x'));
      expect((body as Buffer).buffer.byteLength).toBeLessThanOrEqual(64 * KiB);
    }
  });

  it("gives zlib's answer whatever the trailer declares, for one or several members", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.uint8Array({ maxLength: 2000 }).map(b => Buffer.from(b)),
            fc
              .tuple(fc.string({ maxLength: 8 }), fc.nat(200_000))
              .map(([unit, times]) => Buffer.from(unit.repeat(times))),
          ),
          { minLength: 1, maxLength: 3 },
        ),
        fc.option(fc.nat(), { nil: undefined }),
        fc.integer({ min: 1, max: 700_000 }),
        async (parts, forgedSize, maxDecompressedBytes) => {
          const honest = Buffer.concat(parts.map(part => gzipSync(part)));
          const wire =
            forgedSize === undefined
              ? honest
              : withTrailerSize(honest, forgedSize);
          const answer = await answerOf(wire, maxDecompressedBytes);
          expect(zlibAnswer(wire, maxDecompressedBytes)).toContain(
            typeof answer === 'string' ? answer : answer.toString('hex'),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

/**
 * `WireReader.bytesAt` and `bytesView` (the scan's span and id views) make
 * the view the 19154aa reader made, from `buf.buffer` and `buf.byteOffset`
 * read at each call (the copy below), now read once by the constructor:
 * same memory, offset, length and bytes, for Buffers at any offset of
 * their memory (pooled, sliced, of their own memory).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WireReader } from '../../../src/gateway/otlp/wire-reader.js';

/** `bytesAt` as of 19154aa. */
function bytesAt19154aa(buf: Buffer, start: number, end: number): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset + start, end - start);
}

const buffers = fc
  .tuple(
    fc.uint8Array({ maxLength: 200 }),
    fc.nat({ max: 40 }),
    fc.constantFrom('pooled', 'own', 'sliced' as const),
  )
  .map(([bytes, pad, kind]) => {
    if (kind === 'pooled') return Buffer.from(bytes); // from the shared pool
    if (kind === 'own') return Buffer.from(Uint8Array.from(bytes).buffer);
    const larger = Buffer.alloc(bytes.length + 2 * pad);
    larger.set(bytes, pad);
    return larger.subarray(pad, pad + bytes.length);
  });

function same(a: Uint8Array, b: Uint8Array): void {
  expect(a.buffer).toBe(b.buffer);
  expect(a.byteOffset).toBe(b.byteOffset);
  expect(a.length).toBe(b.length);
  expect(Buffer.from(a)).toEqual(Buffer.from(b));
}

describe('WireReader views read the memory and offset once', () => {
  it('bytesAt gives the view 19154aa gave', () => {
    fc.assert(
      fc.property(
        buffers,
        fc.nat(),
        fc.nat(),
        fc.nat({ max: 8 }),
        (buf, a, b, readerStart) => {
          const start = buf.length === 0 ? 0 : a % (buf.length + 1);
          const end = start + (b % (buf.length - start + 1));
          const reader = new WireReader(buf, Math.min(readerStart, buf.length));
          same(reader.bytesAt(start, end), bytesAt19154aa(buf, start, end));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('bytesView reads a length-delimited field as 19154aa read it', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 150 }),
        fc.nat({ max: 30 }),
        (content, pad) => {
          const field = Buffer.concat([
            Buffer.alloc(pad, 7),
            Buffer.from(
              content.length < 0x80
                ? [content.length]
                : [(content.length & 0x7f) | 0x80, content.length >> 7],
            ),
            content,
          ]);
          const buf = Buffer.concat([Buffer.alloc(3), field]).subarray(3);
          const reader = new WireReader(buf, pad);
          const lengthBytes = content.length < 0x80 ? 1 : 2;
          same(
            reader.bytesView(),
            bytesAt19154aa(
              buf,
              pad + lengthBytes,
              pad + lengthBytes + content.length,
            ),
          );
          expect(reader.pos).toBe(buf.length);
        },
      ),
      { numRuns: 500 },
    );
  });
});

/**
 * `WireReader.varint` (now with a one-byte fast path) against its 19154aa
 * copy below: the same value and position on any bytes, at any position
 * and end (past the end or truncated included), on both valid varints of
 * 1 to 10 bytes and arbitrary bytes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WireReader } from '../../../src/gateway/otlp/wire-reader.js';

/** `varint` as of 19154aa. */
function varint19154aa(
  buf: Buffer,
  at: number,
  end: number,
): { value: number; pos: number } {
  let pos = at;
  let value = 0;
  let scale = 1;
  for (;;) {
    const byte = buf[pos++] as number;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80 || pos >= end) return { value, pos };
    scale *= 128;
  }
}

function varintBytes(value: bigint): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80n) {
    bytes.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return bytes;
}

describe('WireReader.varint reads as the 19154aa reader did', () => {
  it('on arbitrary bytes, positions and ends', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 24 }),
        fc.nat(),
        fc.nat(),
        (bytes, a, b) => {
          const buf = Buffer.from(bytes);
          const pos = a % (buf.length + 1);
          const end = b % (buf.length + 2);
          const reader = new WireReader(buf, pos, end);
          const value = reader.varint();
          expect({ value, pos: reader.pos }).toEqual(
            varint19154aa(buf, pos, end),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('on varints of 1 to 10 bytes, in sequence', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), {
          minLength: 1,
          maxLength: 8,
        }),
        values => {
          const buf = Buffer.from(values.flatMap(varintBytes));
          const reader = new WireReader(buf);
          let pos = 0;
          for (let i = 0; i < values.length; i++) {
            const expected = varint19154aa(buf, pos, buf.length);
            expect(reader.varint()).toBe(expected.value);
            expect(reader.pos).toBe(expected.pos);
            pos = expected.pos;
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

/**
 * The fingerprint that tells a redelivered span (same bytes) from another
 * span reusing its ids: equal for equal bytes wherever they sit, different
 * when any single byte differs (each step of both lanes is a bijection of
 * the state, so one changed byte always changes the first lane).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spanFingerprint } from '../../../src/gateway/pipeline/span-fingerprint.js';

describe('spanFingerprint', () => {
  it('is the same for the same bytes, at any offset of any buffer', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.nat({ max: 7 }),
        (bytes, offset) => {
          const copy = Buffer.alloc(bytes.length + offset + 3, 0xff);
          copy.set(bytes, offset);
          const view = copy.subarray(offset, offset + bytes.length);
          expect(spanFingerprint(view)).toBe(spanFingerprint(bytes));
        },
      ),
    );
  });

  it('changes when any one byte changes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 600 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (bytes, at, delta) => {
          const changed = Uint8Array.from(bytes);
          const index = at % bytes.length;
          changed[index] = ((changed[index] as number) + delta) & 0xff;
          expect(spanFingerprint(changed)).not.toBe(spanFingerprint(bytes));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('is an exact integer below 2^52 (it fits a double)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), bytes => {
        const value = spanFingerprint(bytes);
        expect(Number.isSafeInteger(value)).toBe(true);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThan(2 ** 52);
      }),
    );
  });

  it('tells apart spans that differ only by one appended zero byte', () => {
    const bytes = Uint8Array.from([10, 16, 1, 2, 3]);
    const longer = Uint8Array.from([...bytes, 0]);
    expect(spanFingerprint(longer)).not.toBe(spanFingerprint(bytes));
  });
});

/** The fingerprint as first written: every word read byte by byte. */
function referenceFingerprint(bytes: Uint8Array): number {
  const mix = (h: number): number => {
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return h ^ (h >>> 16);
  };
  let h1 = 0x9747b28c | 0;
  let h2 = 0x85ebca6b | 0;
  const length = bytes.length;
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    let k =
      (bytes[i] as number) |
      ((bytes[i + 1] as number) << 8) |
      ((bytes[i + 2] as number) << 16) |
      ((bytes[i + 3] as number) << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h1 ^= k;
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    h2 = Math.imul(h2 ^ k, 0x27d4eb2f);
    h2 ^= h2 >>> 15;
  }
  for (; i < length; i++) {
    h1 = Math.imul(h1 ^ (bytes[i] as number), 0x01000193);
    h2 = Math.imul(h2 ^ (bytes[i] as number), 0x5bd1e995);
  }
  h1 = mix(h1 ^ length);
  h2 = mix(h2 ^ Math.imul(length, 0x9e3779b1));
  return (h1 >>> 0) * 0x100000 + (h2 >>> 12);
}

describe('spanFingerprint, words read from an aligned copy', () => {
  it('gives the byte-by-byte result, small and large spans, any offset, one after another', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.oneof(
              fc.uint8Array({ maxLength: 1200 }),
              fc
                .tuple(fc.integer({ min: 65_530, max: 65_545 }), fc.nat(255))
                .map(([n, seed]) =>
                  Uint8Array.from(
                    { length: n },
                    (_, i) => (i * 31 + seed) & 0xff,
                  ),
                ),
            ),
            fc.nat({ max: 7 }),
          ),
          { minLength: 1, maxLength: 6 },
        ),
        spans => {
          for (const [bytes, offset] of spans) {
            const copy = Buffer.alloc(bytes.length + offset, 0xee);
            copy.set(bytes, offset);
            const view = copy.subarray(offset);
            expect(spanFingerprint(view)).toBe(referenceFingerprint(bytes));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

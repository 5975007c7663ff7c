/**
 * The fingerprint that tells a redelivered span (same bytes) from another
 * span reusing its ids: equal for equal bytes wherever they sit, different
 * when any single byte differs (each block step of the four lanes is a bijection of
 * the state, so one changed byte always changes the 128-bit hash; 52 of
 * its bits are kept).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spanFingerprint } from '../../../src/gateway/pipeline/span-fingerprint.js';
import { spanFingerprint as twoLaneFingerprint } from './reference/span-fingerprint-two-lane.js';

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

/**
 * MurmurHash3_x86_128 as its C reference writes it (lanes in a loop, every
 * word read byte by byte), all four lanes.
 */
function murmur3x86x128(bytes: Uint8Array, seed: number): number[] {
  const c = [0x239b961b, 0xab0e9789, 0x38b34ae5, 0xa1e38b93];
  const rotK = [15, 16, 17, 18];
  const rotH = [19, 17, 15, 13];
  const add = [0x561ccd1b, 0x0bcaa747, 0x96cd1c35, 0x32ac3b17];
  const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));
  const fmix = (x: number): number => {
    x ^= x >>> 16;
    x = Math.imul(x, 0x85ebca6b);
    x ^= x >>> 13;
    x = Math.imul(x, 0xc2b2ae35);
    return x ^ (x >>> 16);
  };
  const at = (i: number): number =>
    (bytes[i] as number) |
    ((bytes[i + 1] as number) << 8) |
    ((bytes[i + 2] as number) << 16) |
    ((bytes[i + 3] as number) << 24);
  const h = [seed | 0, seed | 0, seed | 0, seed | 0];
  const get = (l: number): number => h[l] as number;
  const length = bytes.length;
  const blocks = Math.floor(length / 16);
  for (let b = 0; b < blocks; b += 1) {
    for (let l = 0; l < 4; l += 1) {
      let k = at(b * 16 + l * 4);
      k = Math.imul(k, c[l] as number);
      k = rotl(k, rotK[l] as number);
      k = Math.imul(k, c[(l + 1) % 4] as number);
      h[l] = rotl(get(l) ^ k, rotH[l] as number);
      h[l] = (Math.imul(get(l) + get((l + 1) % 4), 5) + (add[l] as number)) | 0;
    }
  }
  const k = [0, 0, 0, 0];
  const rest = length & 15;
  for (let i = 0; i < rest; i += 1) {
    k[i >> 2] =
      (k[i >> 2] as number) ^
      ((bytes[blocks * 16 + i] as number) << (8 * (i & 3)));
  }
  for (let l = 3; l >= 0; l -= 1) {
    if (rest <= l * 4) continue;
    let kl = Math.imul(k[l] as number, c[l] as number);
    kl = rotl(kl, rotK[l] as number);
    h[l] = get(l) ^ Math.imul(kl, c[(l + 1) % 4] as number);
  }
  for (let l = 0; l < 4; l += 1) h[l] = get(l) ^ length;
  h[0] = (get(0) + get(1) + get(2) + get(3)) | 0;
  for (let l = 1; l < 4; l += 1) h[l] = (get(l) + get(0)) | 0;
  for (let l = 0; l < 4; l += 1) h[l] = fmix(get(l));
  h[0] = (get(0) + get(1) + get(2) + get(3)) | 0;
  for (let l = 1; l < 4; l += 1) h[l] = (get(l) + get(0)) | 0;
  return h.map(x => x >>> 0);
}

/** The fingerprint from the reference: the first lane and 20 bits of the second. */
function referenceFingerprint(bytes: Uint8Array): number {
  const [h1, h2] = murmur3x86x128(bytes, 0x9747b28c);
  return (h1 as number) * 0x100000 + ((h2 as number) >>> 12);
}

describe('the MurmurHash3_x86_128 reference', () => {
  it('gives the published values', () => {
    const hex = (bytes: Uint8Array, seed: number): string =>
      murmur3x86x128(bytes, seed)
        .map(x => x.toString(16).padStart(8, '0'))
        .join('');
    const text = (s: string): Uint8Array => new TextEncoder().encode(s);
    expect(hex(text(''), 0)).toBe('00000000000000000000000000000000');
    expect(hex(text('The quick brown fox jumps over the lazy dog'), 0)).toBe(
      '2f1583c3ecee2c675d7bf66ce5e91d2c',
    );
    expect(hex(text('Hello, world!'), 123)).toBe(
      '61c9129e5a1aacd7a41621629e37c886',
    );
  });
});

/**
 * Spans told apart by the fingerprint before the fifth pass (two lanes over
 * 4-byte words) are told apart now, and the same bytes still match: the
 * decider's answers (same span again, or another span under its ids) do
 * not change.
 */
describe('spanFingerprint against the two-lane fingerprint it replaced', () => {
  it('tells apart the same pairs of spans', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 1200 }),
        fc.oneof(
          fc.constant<'same'>('same'),
          fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })),
          fc.uint8Array({ maxLength: 1200 }),
          fc.nat({ max: 40 }),
        ),
        (bytes, change) => {
          let other: Uint8Array;
          if (change === 'same') other = Uint8Array.from(bytes);
          else if (typeof change === 'number') {
            // Cut or extended with zeros: a length change alone.
            other = new Uint8Array(Math.max(0, bytes.length - 20 + change));
            other.set(bytes.subarray(0, other.length));
          } else if (Array.isArray(change)) {
            other = Uint8Array.from(bytes);
            if (other.length > 0) {
              const index = change[0] % other.length;
              other[index] = ((other[index] as number) + change[1]) & 0xff;
            }
          } else other = change;
          expect(spanFingerprint(other) === spanFingerprint(bytes)).toBe(
            twoLaneFingerprint(other) === twoLaneFingerprint(bytes),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });
});

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

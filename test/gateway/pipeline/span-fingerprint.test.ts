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

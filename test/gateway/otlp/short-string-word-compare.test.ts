/**
 * The short-string cache compares bytes four at a time (then the last
 * ones one by one): a string that differs from the one it is compared
 * with in a single byte, at any position of any length up to the cached
 * maximum, at any alignment of the body, is never taken for it, whether
 * met as the string that usually comes next (no hash), in its hash slot,
 * or as a key's remembered value.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShortStringCache } from '../../../src/gateway/otlp/short-string-cache.js';

const base = fc.uint8Array({ minLength: 1, maxLength: 64 });

describe('ShortStringCache compares every byte', () => {
  it('tells apart strings one byte apart, at any position and alignment', () => {
    fc.assert(
      fc.property(
        base,
        fc.nat(63),
        fc.integer({ min: 1, max: 255 }),
        fc.nat(7),
        (bytes, at, delta, offset) => {
          const position = at % bytes.length;
          const original = Buffer.from(bytes);
          const variant = Buffer.from(bytes);
          variant[position] = ((variant[position] as number) + delta) & 0xff;
          const key = Buffer.from('gen_ai.request.model');
          const body = Buffer.concat([
            Buffer.alloc(offset, 0x20),
            key,
            original,
            key,
            variant,
          ]);
          const keyAt = offset;
          const firstAt = keyAt + key.length;
          const secondKeyAt = firstAt + original.length;
          const secondAt = secondKeyAt + key.length;
          const text = (start: number, end: number): string =>
            body.toString('utf8', start, end);
          const cache = new ShortStringCache();
          // key then original (original becomes the guess after key)...
          for (let round = 0; round < 2; round++) {
            expect(cache.read(body, keyAt, firstAt)).toBe(text(keyAt, firstAt));
            expect(cache.read(body, firstAt, secondKeyAt)).toBe(
              text(firstAt, secondKeyAt),
            );
          }
          // ...then key then variant: compared with the guess, then hashed.
          expect(cache.read(body, secondKeyAt, secondAt)).toBe(
            text(secondKeyAt, secondAt),
          );
          expect(cache.read(body, secondAt, body.length)).toBe(
            text(secondAt, body.length),
          );
          // As values after the key: the original remembered, the variant not it.
          const values = new ShortStringCache();
          values.read(body, keyAt, firstAt);
          expect(values.readValue(body, firstAt, secondKeyAt)).toBe(
            text(firstAt, secondKeyAt),
          );
          values.read(body, secondKeyAt, secondAt);
          expect(values.readValue(body, secondAt, body.length)).toBe(
            text(secondAt, body.length),
          );
          values.read(body, keyAt, firstAt);
          expect(values.readValue(body, firstAt, secondKeyAt)).toBe(
            text(firstAt, secondKeyAt),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});

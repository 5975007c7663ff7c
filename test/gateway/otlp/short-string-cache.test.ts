/**
 * The short-string cache gives exactly what decoding gives, for any bytes
 * (invalid UTF-8 included), however many strings share its slots.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShortStringCache } from '../../../src/gateway/otlp/short-string-cache.js';

describe('ShortStringCache', () => {
  it('reads every byte range as Buffer#toString does, seen or not', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 3000 }),
        fc.nat(7),
        (ranges, offset) => {
          const cache = new ShortStringCache();
          const body = Buffer.concat([
            Buffer.alloc(offset, 0x61),
            ...ranges.map(bytes => Buffer.from(bytes)),
          ]);
          for (let round = 0; round < 2; round++) {
            let at = offset;
            for (const bytes of ranges) {
              const end = at + bytes.length;
              expect(cache.read(body, at, end)).toBe(
                body.toString('utf8', at, end),
              );
              at = end;
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('tells apart strings of the same length in the same slot', () => {
    const cache = new ShortStringCache();
    const keys = Array.from({ length: 5000 }, (_, i) =>
      `key.${i}`.padEnd(12, 'x'),
    );
    for (let round = 0; round < 2; round++) {
      for (const key of keys) {
        const bytes = Buffer.from(key);
        expect(cache.read(bytes, 0, bytes.length)).toBe(key);
      }
    }
  });
});

/**
 * `ShortStringCache#readValue` (an attribute's value read after its key,
 * given back from the key's slot when its bytes are the same) gives
 * exactly what decoding gives, for any bytes (invalid UTF-8 included),
 * values that differ in one byte or in length only, long values, and keys
 * that share slots or are too long to be cached.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShortStringCache } from '../../../src/gateway/otlp/short-string-cache.js';

/** Small alphabets, so keys and values repeat and nearly repeat. */
const bytesOf = (maxLength: number): fc.Arbitrary<Buffer> =>
  fc
    .array(fc.constantFrom(0x61, 0x62, 0xc3, 0xa9, 0xff, 0x00), {
      maxLength,
    })
    .map(bytes => Buffer.from(bytes));

const pair = fc.tuple(
  fc.oneof(bytesOf(3), bytesOf(70)),
  fc.oneof(bytesOf(4), bytesOf(66), fc.uint8Array({ maxLength: 90 })),
);

describe('ShortStringCache#readValue', () => {
  it('reads every value as Buffer#toString does, after any key', () => {
    fc.assert(
      fc.property(
        fc.array(pair, { maxLength: 400 }),
        fc.nat(7),
        (pairs, offset) => {
          const cache = new ShortStringCache();
          const body = Buffer.concat([
            Buffer.alloc(offset, 0x61),
            ...pairs.flatMap(([key, value]) => [key, value]),
          ]);
          for (let round = 0; round < 2; round++) {
            let at = offset;
            for (const [key, value] of pairs) {
              const keyEnd = at + key.length;
              expect(cache.read(body, at, keyEnd)).toBe(
                body.toString('utf8', at, keyEnd),
              );
              const end = keyEnd + value.length;
              expect(cache.readValue(body, keyEnd, end)).toBe(
                body.toString('utf8', keyEnd, end),
              );
              at = end;
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('tells apart values of one key that differ in their last byte or in length', () => {
    const cache = new ShortStringCache();
    const key = Buffer.from('gen_ai.request.model');
    const values = ['gpt-4o', 'gpt-4o-mini', 'gpt-4o', 'gpt-4a', 'gpt-4', ''];
    for (let round = 0; round < 3; round++) {
      for (const text of values) {
        const body = Buffer.concat([key, Buffer.from(text)]);
        cache.read(body, 0, key.length);
        expect(cache.readValue(body, key.length, body.length)).toBe(text);
      }
    }
  });
});

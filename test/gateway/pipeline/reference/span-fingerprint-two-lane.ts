/**
 * Reference copy (test only) of src/gateway/pipeline/span-fingerprint.ts as
 * of 9f95c47, before the fifth performance pass replaced its two lanes
 * over 4-byte words with MurmurHash3_x86_128's four lanes over 16-byte
 * blocks: span-fingerprint.test.ts checks that the two tell the same
 * spans apart.
 */
/**
 * A 52-bit fingerprint of a span's encoded bytes, to tell a span delivered
 * again (the same bytes: OTLP senders retry the same payload, the Collector
 * re-encodes the same data identically, and OTLP/JSON is converted to
 * protobuf deterministically) from a different span that reuses its trace
 * and span id. Every field counts, so no list of "fields that matter" can
 * drift from the readers.
 *
 * Not cryptographic: two murmur3-style 32-bit lanes over 4-byte words,
 * about 0.3 µs for a 500-byte span. Two different spans with the same ids
 * collide with probability 2^-52; a sender crafting a collision only
 * affects its own span (which it could as well leave out). The result is
 * an exact integer below 2^52, so it fits a double.
 *
 * The words are read little-endian: on a little-endian machine (x86,
 * ARM) from an aligned copy of the bytes (one native copy, then one load
 * a word instead of four), else (or past 64 KiB) byte by byte; the same
 * result either way.
 */
export function spanFingerprint(bytes: Uint8Array): number {
  const length = bytes.length;
  const wordsEnd = length & ~3;
  if (!LITTLE_ENDIAN || length > MAX_COPIED_BYTES) {
    return fingerprintBytes(bytes);
  }
  if (wordBytes.length < length) {
    words = new Uint32Array((length + 3) >>> 2);
    wordBytes = new Uint8Array(words.buffer);
  }
  wordBytes.set(bytes);
  let h1 = 0x9747b28c | 0;
  let h2 = 0x85ebca6b | 0;
  const count = wordsEnd >>> 2;
  for (let w = 0; w < count; w += 1) {
    let k = words[w] as number;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h1 ^= k;
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    h2 = Math.imul(h2 ^ k, 0x27d4eb2f);
    h2 ^= h2 >>> 15;
  }
  return finish(bytes, wordsEnd, h1, h2);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Larger spans are read byte by byte (the copy stays small). */
const MAX_COPIED_BYTES = 65_536;
/** The aligned copy, grown to the largest span copied. */
let words = new Uint32Array(256);
let wordBytes = new Uint8Array(words.buffer);

/** The same fingerprint, the words read byte by byte. */
function fingerprintBytes(bytes: Uint8Array): number {
  let h1 = 0x9747b28c | 0;
  let h2 = 0x85ebca6b | 0;
  const wordsEnd = bytes.length & ~3;
  for (let i = 0; i < wordsEnd; i += 4) {
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
  return finish(bytes, wordsEnd, h1, h2);
}

/** The last bytes (fewer than four) and the final mix. */
function finish(
  bytes: Uint8Array,
  wordsEnd: number,
  h1: number,
  h2: number,
): number {
  const length = bytes.length;
  for (let i = wordsEnd; i < length; i++) {
    const byte = bytes[i] as number;
    h1 = Math.imul(h1 ^ byte, 0x01000193);
    h2 = Math.imul(h2 ^ byte, 0x5bd1e995);
  }
  h1 = finalMix(h1 ^ length);
  h2 = finalMix(h2 ^ Math.imul(length, 0x9e3779b1));
  return (h1 >>> 0) * 0x100000 + (h2 >>> 12);
}

function finalMix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

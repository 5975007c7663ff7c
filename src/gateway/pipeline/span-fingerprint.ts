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
 */
export function spanFingerprint(bytes: Uint8Array): number {
  let h1 = 0x9747b28c | 0;
  let h2 = 0x85ebca6b | 0;
  const length = bytes.length;
  const wordsEnd = length & ~3;
  let i = 0;
  for (; i < wordsEnd; i += 4) {
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

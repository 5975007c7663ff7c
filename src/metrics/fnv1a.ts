const OFFSET_BASIS = 0x811c9dc5;
const PRIME = 0x01000193;
const encoder = new TextEncoder();

/**
 * 32-bit FNV-1a over the UTF-8 bytes of `text`, as an unsigned integer.
 * Stable across processes, replicas and releases: the same tenant id lands
 * in the same hash bucket everywhere.
 */
export function fnv1a32(text: string): number {
  let hash = OFFSET_BASIS;
  // ASCII (the usual tenant id): its UTF-8 bytes are its char codes.
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) {
      ascii = false;
      break;
    }
    hash ^= code;
    hash = Math.imul(hash, PRIME);
  }
  if (ascii) return hash >>> 0;
  hash = OFFSET_BASIS;
  for (const byte of encoder.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, PRIME);
  }
  return hash >>> 0;
}

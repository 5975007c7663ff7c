import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';

const MiB = 1024 * 1024;
const MEMBER = gzipSync(Buffer.alloc(MiB), { level: 9 });

export interface GzipBomb {
  readonly stream: Readable;
  /** Compressed bytes handed out so far. */
  pulled(): number;
}

/**
 * A gzip bomb of `decompressedBytes` zeros, produced lazily: one gzip member
 * of 1 MiB of zeros (about 1 KB) repeated, which is a valid gzip stream
 * (RFC 1952 allows several members) that decompresses to the full size.
 * Nothing large is ever held in memory and no CPU is spent compressing.
 */
export function gzipBomb(decompressedBytes: number): GzipBomb {
  let members = Math.ceil(decompressedBytes / MiB);
  let pulled = 0;
  const stream = new Readable({
    highWaterMark: 16 * 1024,
    read() {
      if (members-- <= 0) {
        this.push(null);
        return;
      }
      pulled += MEMBER.length;
      this.push(MEMBER);
    },
  });
  return { stream, pulled: () => pulled };
}

/** Compressed size of the whole bomb. */
export function gzipBombSize(decompressedBytes: number): number {
  return Math.ceil(decompressedBytes / MiB) * MEMBER.length;
}

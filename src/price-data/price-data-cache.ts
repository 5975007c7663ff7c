import { createHash, randomBytes } from 'node:crypto';
import { lstatSync, readFileSync } from 'node:fs';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isUrlSource, PriceDataFailure } from './price-data-failure.js';

/**
 * The default cache of a URL source: `<os.tmpdir()>/otel-genai-cost-<uid>/
 * price-data-<first 16 hex of sha256(url)>.json` (one directory per user,
 * so users of one machine never share one; one file per URL, the URL
 * itself never written). A file source has none: it is on disk already.
 */
export function defaultPriceDataCacheFile(source: string): string | undefined {
  if (!isUrlSource(source)) return undefined;
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const uid = process.getuid?.();
  const dir = uid === undefined ? 'otel-genai-cost' : `otel-genai-cost-${uid}`;
  return join(tmpdir(), dir, `price-data-${hash}.json`);
}

/**
 * Why someone else could replace files in `dir` (and so set our prices,
 * or point our cache at another of our files through a symbolic link), or
 * undefined: it must be a real directory (not a link) owned by us or by
 * root, writable by others only when sticky (as /tmp is), where the
 * system has user ids (not on Windows, whose mode bits mean nothing
 * here). Throws ENOENT.
 */
function untrustedDirectory(dir: string): string | undefined {
  const info = lstatSync(dir);
  if (!info.isDirectory()) return 'is not a directory';
  // Without user ids (Windows) the mode bits say nothing: no check.
  const uid = process.getuid?.();
  if (uid === undefined) return undefined;
  if (info.uid !== uid && info.uid !== 0) return 'belongs to another user';
  if ((info.mode & 0o022) !== 0 && (info.mode & 0o1000) === 0) {
    return 'is writable by other users';
  }
  return undefined;
}

/**
 * The cached bytes, or `undefined` when there is no cache file yet. Read
 * synchronously at start (a file of about 0.5 MB), so the first spans are
 * already priced by it. Throws `PriceDataFailure` (`cache_unreadable`),
 * also for a symbolic link, a file that belongs to another user, or one
 * in a directory others can write to (`untrustedDirectory`).
 */
export function readPriceDataCache(
  file: string,
  maxBytes: number,
): Buffer | undefined {
  try {
    const problem = untrustedDirectory(dirname(file));
    if (problem !== undefined) {
      throw new PriceDataFailure(
        'cache_unreadable',
        `cache directory ${dirname(file)} ${problem}`,
      );
    }
    // lstat: a symbolic link is not followed (it is not a file).
    const info = lstatSync(file);
    if (!info.isFile() || info.size > maxBytes) {
      throw new PriceDataFailure(
        'cache_unreadable',
        `cache ${file} is not a file of at most ${maxBytes} bytes`,
      );
    }
    // In a shared temporary directory, a file planted by another user
    // would set our prices: only our own file is read.
    const uid = process.getuid?.();
    if (uid !== undefined && info.uid !== uid) {
      throw new PriceDataFailure(
        'cache_unreadable',
        `cache ${file} belongs to another user`,
      );
    }
    return readFileSync(file);
  } catch (error) {
    if (error instanceof PriceDataFailure) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new PriceDataFailure(
      'cache_unreadable',
      `cannot read cache ${file} (${code ?? (error as Error).message})`,
    );
  }
}

/**
 * Writes the cache: to a temporary file next to it, then renamed over it,
 * so a crash never leaves half a file (at worst a stray `.tmp`). The
 * directory is created private (0700), the file 0600; a directory others
 * could write to is not used (`untrustedDirectory`).
 */
export async function writePriceDataCache(
  file: string,
  bytes: Buffer,
): Promise<void> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const problem = untrustedDirectory(dirname(file));
    if (problem !== undefined) {
      throw new PriceDataFailure(
        'cache_write',
        `cannot write cache ${file}: its directory ${problem}`,
      );
    }
    // `wx`: never through a file or link someone placed there.
    await writeFile(temp, bytes, { mode: 0o600, flag: 'wx' });
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    if (error instanceof PriceDataFailure) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new PriceDataFailure(
      'cache_write',
      `cannot write cache ${file} (${code ?? (error as Error).message})`,
    );
  }
}

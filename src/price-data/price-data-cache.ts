import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isUrlSource, PriceDataFailure } from './price-data-failure.js';

/**
 * The default cache of a URL source: `<os.tmpdir()>/otel-genai-cost/
 * price-data-<first 16 hex of sha256(url)>.json` (one file per URL, the
 * URL itself never written). A file source has none: it is on disk already.
 */
export function defaultPriceDataCacheFile(source: string): string | undefined {
  if (!isUrlSource(source)) return undefined;
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  return join(tmpdir(), 'otel-genai-cost', `price-data-${hash}.json`);
}

/**
 * The cached bytes, or `undefined` when there is no cache file yet. Read
 * synchronously at start (a file of about 0.5 MB), so the first spans are
 * already priced by it. Throws `PriceDataFailure` (`cache_unreadable`),
 * also for a file that belongs to another user.
 */
export function readPriceDataCache(
  file: string,
  maxBytes: number,
): Buffer | undefined {
  try {
    const info = statSync(file);
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
 * directory is created private (0700), the file 0600.
 */
export async function writePriceDataCache(
  file: string,
  bytes: Buffer,
): Promise<void> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(temp, bytes, { mode: 0o600 });
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    throw new PriceDataFailure(
      'cache_write',
      `cannot write cache ${file} (${code ?? (error as Error).message})`,
    );
  }
}

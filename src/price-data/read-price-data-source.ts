import { readFile, stat } from 'node:fs/promises';
import {
  isUrlSource,
  PriceDataFailure,
  shownSource,
  withoutUrls,
} from './price-data-failure.js';

/** What one read gave: the raw bytes, or "unchanged since last time". */
export type SourceRead =
  | {
      readonly kind: 'data';
      readonly bytes: Buffer;
      /** Validators for the next conditional request. */
      readonly etag: string | undefined;
      readonly lastModified: string | undefined;
    }
  | { readonly kind: 'not_modified' };

export interface SourceReadOptions {
  readonly maxBytes: number;
  /** Aborts the read (timeout or shutdown). */
  readonly signal: AbortSignal;
  readonly etag?: string | undefined;
  readonly lastModified?: string | undefined;
}

/**
 * Reads a price data source, a path or an http(s) URL, bounded in size
 * (declared and actual) and time (`signal`). URLs are asked conditionally
 * when validators are given (304: `not_modified`). Every failure is a
 * `PriceDataFailure` with its kind.
 */
export async function readPriceDataSource(
  source: string,
  options: SourceReadOptions,
): Promise<SourceRead> {
  return isUrlSource(source)
    ? readUrl(source, options)
    : { kind: 'data', ...(await readPath(source, options.maxBytes)) };
}

async function readPath(
  path: string,
  maxBytes: number,
): Promise<{ bytes: Buffer; etag: undefined; lastModified: undefined }> {
  try {
    const info = await stat(path);
    if (!info.isFile()) {
      throw new PriceDataFailure('unreadable', `${path} is not a file`);
    }
    if (info.size > maxBytes) throw tooLarge(path, maxBytes);
    const bytes = await readFile(path);
    if (bytes.byteLength > maxBytes) throw tooLarge(path, maxBytes);
    return { bytes, etag: undefined, lastModified: undefined };
  } catch (error) {
    if (error instanceof PriceDataFailure) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new PriceDataFailure(
      'unreadable',
      `cannot read ${path} (${code ?? (error as Error).message})`,
    );
  }
}

async function readUrl(
  url: string,
  options: SourceReadOptions,
): Promise<SourceRead> {
  const shown = shownSource(url);
  const { target, authorization } = withCredentialsApart(url);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (authorization !== undefined) headers['authorization'] = authorization;
  if (options.etag !== undefined) headers['if-none-match'] = options.etag;
  if (options.lastModified !== undefined)
    headers['if-modified-since'] = options.lastModified;
  try {
    const response = await fetch(target, {
      signal: options.signal,
      redirect: 'follow',
      headers,
    });
    if (response.status === 304) {
      await response.body?.cancel();
      return { kind: 'not_modified' };
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new PriceDataFailure(
        `http_${response.status}`,
        `${shown} answered HTTP ${response.status}`,
      );
    }
    const declared = Number(response.headers.get('content-length'));
    if (declared > options.maxBytes) {
      await response.body?.cancel();
      throw tooLarge(shown, options.maxBytes);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (response.body !== null) {
      for await (const chunk of response.body) {
        size += chunk.byteLength;
        if (size > options.maxBytes) {
          await response.body.cancel().catch(() => undefined);
          throw tooLarge(shown, options.maxBytes);
        }
        chunks.push(chunk);
      }
    }
    return {
      kind: 'data',
      bytes: Buffer.concat(chunks),
      etag: response.headers.get('etag') ?? undefined,
      lastModified: response.headers.get('last-modified') ?? undefined,
    };
  } catch (error) {
    if (error instanceof PriceDataFailure) throw error;
    if (options.signal.aborted) {
      const reason: unknown = options.signal.reason;
      const timedOut =
        reason instanceof DOMException && reason.name === 'TimeoutError';
      throw timedOut
        ? new PriceDataFailure('timeout', `${shown} did not answer in time`)
        : new PriceDataFailure('aborted', `reading ${shown} was stopped`);
    }
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new PriceDataFailure(
      'unreachable',
      `cannot read ${shown} (${cause ?? withoutUrls((error as Error).message)})`,
    );
  }
}

/**
 * `https://user:pass@host/...`: fetch refuses a URL with credentials (and
 * its error repeats the URL), so they are sent as HTTP Basic
 * authentication instead (dropped by fetch on a redirect to another
 * origin).
 */
function withCredentialsApart(url: string): {
  target: string;
  authorization: string | undefined;
} {
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') {
      return { target: url, authorization: undefined };
    }
    const user = decodeURIComponent(parsed.username);
    const password = decodeURIComponent(parsed.password);
    parsed.username = '';
    parsed.password = '';
    const basic = Buffer.from(`${user}:${password}`).toString('base64');
    return { target: parsed.href, authorization: `Basic ${basic}` };
  } catch {
    // Not a URL, or credentials not percent-encoded: fetch says why.
    return { target: url, authorization: undefined };
  }
}

function tooLarge(source: string, maxBytes: number): PriceDataFailure {
  return new PriceDataFailure(
    'too_large',
    `${source} is larger than ${maxBytes} bytes`,
  );
}

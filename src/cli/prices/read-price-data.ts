import { readFile, stat } from 'node:fs/promises';
import type { Provider } from '@pydantic/genai-prices';
import {
  parsePriceData,
  PriceDataShapeError,
} from '../../core/price/price-data-shape.js';

/** Largest data file or response read (genai-prices' data.json is ~1 MB). */
export const MAX_PRICE_DATA_BYTES = 32 * 1024 * 1024;
/** How long a URL may take, headers and body together. */
export const PRICE_DATA_TIMEOUT_MS = 15_000;

/** A file or URL that is not usable genai-prices data; the message says why. */
export class PriceDataError extends Error {}

/**
 * Reads a genai-prices data file (the `data.json` it publishes: a list of
 * providers, each with its models and their prices) from a path or an
 * http(s) URL, bounded in size and time.
 */
export async function readPriceData(
  source: string,
  timeoutMs = PRICE_DATA_TIMEOUT_MS,
): Promise<Provider[]> {
  const text = /^https?:\/\//i.test(source)
    ? await readUrl(source, timeoutMs)
    : await readPath(source);
  return validate(text, source);
}

async function readPath(path: string): Promise<string> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new PriceDataError(`${path} is not a file`);
    if (info.size > MAX_PRICE_DATA_BYTES) throw tooLarge(path);
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof PriceDataError) throw error;
    throw new PriceDataError(
      `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
}

async function readUrl(url: string, timeoutMs: number): Promise<string> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, { signal, redirect: 'follow' });
    if (!response.ok) {
      await response.body?.cancel();
      throw new PriceDataError(`${url} answered HTTP ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length'));
    if (declared > MAX_PRICE_DATA_BYTES) {
      await response.body?.cancel();
      throw tooLarge(url);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (response.body !== null) {
      for await (const chunk of response.body) {
        size += chunk.byteLength;
        if (size > MAX_PRICE_DATA_BYTES) {
          await response.body.cancel().catch(() => undefined);
          throw tooLarge(url);
        }
        chunks.push(chunk);
      }
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (error) {
    if (error instanceof PriceDataError) throw error;
    if (signal.aborted) {
      throw new PriceDataError(`${url} did not answer within ${timeoutMs} ms`);
    }
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new PriceDataError(
      `cannot read ${url} (${cause ?? (error as Error).message})`,
    );
  }
}

function tooLarge(source: string): PriceDataError {
  return new PriceDataError(
    `${source} is larger than ${MAX_PRICE_DATA_BYTES} bytes`,
  );
}

/** The shape the genai-prices engine needs; anything else is refused. */
function validate(text: string, source: string): Provider[] {
  try {
    return parsePriceData(text);
  } catch (error) {
    if (!(error instanceof PriceDataShapeError)) throw error;
    throw new PriceDataError(`${source} is ${error.message}`);
  }
}

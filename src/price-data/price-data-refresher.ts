import { diag } from '@opentelemetry/api';
import { parsePriceData } from '../core/price/price-data-shape.js';
import type { PriceData } from '../core/price/pricer.js';
import { readPriceDataCache, writePriceDataCache } from './price-data-cache.js';
import { PriceDataFailure, shownSource } from './price-data-failure.js';
import { priceDataVersion } from './price-data-version.js';
import { readPriceDataSource } from './read-price-data-source.js';

/** Largest data file, response or cache read (genai-prices': ~0.5 MB). */
export const MAX_PRICE_DATA_BYTES = 32 * 1024 * 1024;

export interface PriceDataRefresherOptions {
  /** A genai-prices `data.json`: an http(s) URL or a file path. */
  readonly source: string;
  readonly refreshMillis: number;
  readonly timeoutMillis: number;
  /** Where the last good data is kept; undefined: nowhere. */
  readonly cacheFile: string | undefined;
  readonly maxBytes?: number;
  /** Called with each valid data set that differs from the one in use. */
  readonly onData: (data: PriceData) => void;
}

/** What `/healthz` shows of the refresh. */
export interface PriceDataStatus {
  /** The data in use (undefined: still the bundled data). */
  readonly version: string | undefined;
  /** `ok`, `not_modified`, `cache`, or the last failure's kind. */
  readonly lastOutcome: string | undefined;
  readonly lastAttemptAt: string | undefined;
  readonly lastSuccessAt: string | undefined;
}

/**
 * Keeps the price data fresh from a source: the cache at `start()`
 * (synchronously, so the first spans use it), then the source at once and
 * every `refreshMillis`. Valid data different from the current data goes
 * to `onData` and to the cache. Whatever fails (unreachable, HTTP error,
 * timeout, too large, not genai-prices data, bad cache) keeps the data in
 * use, is logged once per kind until the next success, and never throws.
 * Holds one data set (in `onData`'s pricer) plus the one being read.
 */
export class PriceDataRefresher {
  private readonly _options: PriceDataRefresherOptions;
  private readonly _maxBytes: number;
  private readonly _warned = new Set<string>();
  private _version: string | undefined;
  private _etag: string | undefined;
  private _lastModified: string | undefined;
  private _lastOutcome: string | undefined;
  private _lastAttemptAt: string | undefined;
  private _lastSuccessAt: string | undefined;
  private _timer: NodeJS.Timeout | undefined;
  private _inFlight: Promise<void> | undefined;
  private _abort: AbortController | undefined;
  private _stopped = false;

  constructor(options: PriceDataRefresherOptions) {
    this._options = options;
    this._maxBytes = options.maxBytes ?? MAX_PRICE_DATA_BYTES;
  }

  /** Uses the cache if valid, then fetches now and every `refreshMillis`. */
  start(): void {
    this._loadCache();
    void this.refreshNow();
  }

  /** One read of the source (joins one in progress); never rejects. */
  refreshNow(): Promise<void> {
    if (this._stopped) return Promise.resolve();
    this._inFlight ??= this._refresh().finally(() => {
      this._inFlight = undefined;
      this._schedule();
    });
    return this._inFlight;
  }

  status(): PriceDataStatus {
    return {
      version: this._version,
      lastOutcome: this._lastOutcome,
      lastAttemptAt: this._lastAttemptAt,
      lastSuccessAt: this._lastSuccessAt,
    };
  }

  /** Stops the timer and aborts a read in progress. */
  shutdown(): void {
    this._stopped = true;
    clearTimeout(this._timer);
    this._timer = undefined;
    this._abort?.abort();
  }

  /**
   * The next read. The timer holds the refresher weakly: a processor (or
   * exporter) dropped without `shutdown()` is collected with its data set
   * and stops reading, instead of being kept, and reading, for ever.
   */
  private _schedule(): void {
    if (this._stopped) return;
    clearTimeout(this._timer);
    const self = new WeakRef(this);
    this._timer = setTimeout(
      () => void self.deref()?.refreshNow(),
      this._options.refreshMillis,
    );
    this._timer.unref();
  }

  private _loadCache(): void {
    const file = this._options.cacheFile;
    if (file === undefined) return;
    try {
      const bytes = readPriceDataCache(file, this._maxBytes);
      if (bytes === undefined) return;
      this._use(bytes, 'cache_invalid', `cache ${file}`);
      this._lastOutcome = 'cache';
    } catch (error) {
      this._fail(error);
    }
  }

  private async _refresh(): Promise<void> {
    const source = this._options.source;
    this._lastAttemptAt = new Date().toISOString();
    const abort = new AbortController();
    this._abort = abort;
    try {
      const read = await readPriceDataSource(source, {
        maxBytes: this._maxBytes,
        signal: AbortSignal.any([
          abort.signal,
          AbortSignal.timeout(this._options.timeoutMillis),
        ]),
        etag: this._etag,
        lastModified: this._lastModified,
      });
      if (this._stopped) return;
      if (read.kind === 'data') {
        const changed = this._use(read.bytes, 'invalid', shownSource(source));
        this._etag = read.etag;
        this._lastModified = read.lastModified;
        const file = this._options.cacheFile;
        if (changed && file !== undefined) {
          await writePriceDataCache(file, read.bytes).catch((error: unknown) =>
            this._fail(error),
          );
        }
      }
      this._lastOutcome = read.kind === 'data' ? 'ok' : 'not_modified';
      this._lastSuccessAt = new Date().toISOString();
      this._warned.clear();
    } catch (error) {
      if (!this._stopped) this._fail(error);
    } finally {
      if (this._abort === abort) this._abort = undefined;
    }
  }

  /**
   * Checks and hands over the data; true when it differs from the data in
   * use. Throws `PriceDataFailure(kind)` when it is not usable.
   */
  private _use(bytes: Buffer, kind: string, from: string): boolean {
    const version = priceDataVersion(bytes);
    if (version === this._version) return false;
    let providers;
    try {
      providers = parsePriceData(bytes.toString('utf8'));
    } catch (error) {
      throw new PriceDataFailure(
        kind,
        `${from} is ${(error as Error).message}`,
      );
    }
    if (!providers.some(provider => provider.models.length > 0)) {
      throw new PriceDataFailure(kind, `${from} holds no model`);
    }
    this._options.onData({ providers, version });
    this._version = version;
    return true;
  }

  /** One warning per failure kind until the next success. */
  private _fail(error: unknown): void {
    const failure =
      error instanceof PriceDataFailure
        ? error
        : new PriceDataFailure('error', String(error));
    this._lastOutcome = failure.kind;
    if (this._warned.has(failure.kind)) return;
    this._warned.add(failure.kind);
    diag.warn(
      `otel-genai-cost: price data refresh: ${failure.message}; keeping ${this._version ?? 'the bundled price data'}`,
    );
  }
}

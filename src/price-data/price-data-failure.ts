/**
 * Why price data could not be used. `kind` groups failures for the
 * one-warning-per-kind rule: `timeout`, `http_<status>`, `too_large`,
 * `unreachable`, `unreadable`, `invalid`, `cache_unreadable`,
 * `cache_invalid`, `cache_write`, `aborted`.
 */
export class PriceDataFailure extends Error {
  override name = 'PriceDataFailure';
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

/** A source for messages: a URL without credentials or query, or a path. */
export function shownSource(source: string): string {
  if (!isUrlSource(source)) return source;
  try {
    const url = new URL(source);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/**
 * An error text with every URL in it replaced by `<url>`: the fetch
 * implementation repeats the requested URL (credentials and query
 * included) in some of its messages, and a warning must never carry them.
 */
export function withoutUrls(text: string): string {
  return text.replace(/[a-z][a-z0-9+.-]*:\/\/\S*/gi, '<url>');
}

/** `http://` or `https://` (any case): fetched; anything else is a path. */
export function isUrlSource(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

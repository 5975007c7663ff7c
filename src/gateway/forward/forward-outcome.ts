/** What happened to one forwarded request. */
export type ForwardOutcome =
  | { readonly kind: 'ok'; readonly warning: string | undefined }
  | {
      /** Down, overloaded or timed out: the client should retry later. */
      readonly kind: 'retryable';
      readonly retryAfterSeconds: number | undefined;
      readonly message: string;
    }
  | {
      /** The next hop refused the data for good (4xx other than 429). */
      readonly kind: 'permanent';
      readonly status: number;
      readonly message: string;
    };

/** OTLP/HTTP: exactly these statuses may be retried. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

/**
 * A `Retry-After` header as seconds (integer seconds or an HTTP date), or
 * undefined when absent or unreadable.
 */
export function parseRetryAfter(
  header: string | undefined,
  nowMillis: number,
): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - nowMillis) / 1000));
}

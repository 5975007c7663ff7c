/**
 * When a webhook attempt is tried again, and how long to wait: the one
 * place these rules live.
 */

/** 408, 425, 429 and every 5xx: the receiver may take it later. Other answers are final. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** Seconds (`120`) or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMillis(
  header: string | null | undefined,
  nowMillis: number,
): number | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMillis);
}

export interface BackoffOptions {
  readonly initialBackoffMillis: number;
  readonly maxBackoffMillis: number;
}

/**
 * The wait after failed attempt number `attempt` (1 = the first):
 * exponential (`initial * 2^(attempt-1)`, capped at `max`) with equal
 * jitter (half fixed, half random) so replicas retrying together spread
 * out. A receiver's `Retry-After` is honored when longer, up to `max`.
 */
export function retryDelayMillis(
  attempt: number,
  options: BackoffOptions,
  random: () => number,
  retryAfter?: number,
): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const ceiling = Math.min(
    options.maxBackoffMillis,
    options.initialBackoffMillis * 2 ** exponent,
  );
  const jittered = ceiling / 2 + (random() * ceiling) / 2;
  const asked =
    retryAfter === undefined
      ? 0
      : Math.min(retryAfter, options.maxBackoffMillis);
  return Math.round(Math.max(jittered, asked));
}

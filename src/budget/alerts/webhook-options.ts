/** Where budget alerts are POSTed, and how hard delivery tries. */
export interface BudgetWebhookOptions {
  /** `http:` or `https:` URL that receives the POST. */
  readonly url: string;
  /** Shared secret of the HMAC-SHA256 signature (see `verifyBudgetWebhook`). */
  readonly secret: string;
  /** Attempts per alert, the first included. @defaultValue 8 */
  readonly maxAttempts?: number;
  /** Wait before the first retry; doubles each time (with jitter). @defaultValue 1000 */
  readonly initialBackoffMillis?: number;
  /** Longest wait between attempts (also caps a `Retry-After`). @defaultValue 60000 */
  readonly maxBackoffMillis?: number;
  /** Time one attempt may take, answer included. @defaultValue 10000 */
  readonly timeoutMillis?: number;
  /**
   * Alerts held at most, waiting, retrying or in flight (about 1 KB each);
   * more are dropped and counted. @defaultValue 1000
   */
  readonly maxQueuedAlerts?: number;
  /** Requests in flight at once. @defaultValue 4 */
  readonly maxConcurrentRequests?: number;
}

/** Every webhook option with its value. */
export interface ResolvedWebhookOptions {
  readonly url: URL;
  readonly secret: string;
  readonly maxAttempts: number;
  readonly initialBackoffMillis: number;
  readonly maxBackoffMillis: number;
  readonly timeoutMillis: number;
  readonly maxQueuedAlerts: number;
  readonly maxConcurrentRequests: number;
}

export const WEBHOOK_DEFAULTS = {
  maxAttempts: 8,
  initialBackoffMillis: 1000,
  maxBackoffMillis: 60_000,
  timeoutMillis: 10_000,
  maxQueuedAlerts: 1000,
  maxConcurrentRequests: 4,
} as const;

/** A webhook option that cannot work (thrown when the guard is built). */
export class BudgetWebhookConfigError extends Error {
  override readonly name = 'BudgetWebhookConfigError';
}

function whole(
  name: keyof typeof WEBHOOK_DEFAULTS,
  value: number | undefined,
  min: number,
  max: number,
): number {
  const resolved = value ?? WEBHOOK_DEFAULTS[name];
  if (!Number.isInteger(resolved) || resolved < min || resolved > max) {
    throw new BudgetWebhookConfigError(
      `webhook.${name}: expected a whole number from ${min} to ${max}, got ${String(value)}`,
    );
  }
  return resolved;
}

/** Checks and completes the options; the URL is never repeated in a message (it may hold a token). */
export function resolveWebhookOptions(
  options: BudgetWebhookOptions,
): ResolvedWebhookOptions {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new BudgetWebhookConfigError('webhook.url: not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BudgetWebhookConfigError(
      `webhook.url: expected http: or https:, got ${url.protocol}`,
    );
  }
  if (typeof options.secret !== 'string' || options.secret === '') {
    throw new BudgetWebhookConfigError(
      'webhook.secret: required (the receiver verifies the signature with it)',
    );
  }
  const initial = whole(
    'initialBackoffMillis',
    options.initialBackoffMillis,
    1,
    3_600_000,
  );
  return {
    url,
    secret: options.secret,
    maxAttempts: whole('maxAttempts', options.maxAttempts, 1, 100),
    initialBackoffMillis: initial,
    maxBackoffMillis: whole(
      'maxBackoffMillis',
      options.maxBackoffMillis,
      initial,
      3_600_000,
    ),
    timeoutMillis: whole('timeoutMillis', options.timeoutMillis, 1, 600_000),
    maxQueuedAlerts: whole(
      'maxQueuedAlerts',
      options.maxQueuedAlerts,
      1,
      1_000_000,
    ),
    maxConcurrentRequests: whole(
      'maxConcurrentRequests',
      options.maxConcurrentRequests,
      1,
      256,
    ),
  };
}

import type {
  DeliveryVerdict,
  ExportDestination,
  ExportRequest,
} from './destinations/export-destination.js';
import { ExportError } from './export-error.js';

/** How hard one event is pushed before the export stops. */
export interface RetryPolicy {
  /** Tries per event, the first included (default 5). */
  readonly maxAttempts: number;
  /** First wait after a retryable failure; doubles each time (default 500 ms). */
  readonly baseDelayMillis: number;
  /** Longest wait between two tries, `Retry-After` included (default 60 s). */
  readonly maxDelayMillis: number;
  /** Per request (default 30 s). */
  readonly timeoutMillis: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMillis: 500,
  maxDelayMillis: 60_000,
  timeoutMillis: 30_000,
};

/** What came of sending one event. */
export interface Delivery {
  readonly verdict: Extract<DeliveryVerdict, 'accepted' | 'duplicate'>;
  readonly status: number;
  readonly attempts: number;
}

/** `Retry-After` as ms (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMillis(
  header: string | null,
  nowMillis: number,
): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMillis);
}

const sleep = (millis: number): Promise<void> =>
  new Promise(resolve => setTimeout(resolve, millis));

/** The start of a vendor's answer, for a message (never our request). */
function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}...` : flat;
}

/**
 * Sends one request; retries network failures, 408, 429 and 5xx with
 * exponential backoff, honoring `Retry-After` (a wait longer than
 * `maxDelayMillis` is not waited: the export stops). Resolves once the
 * destination accepted the event or said it already had it; any other
 * answer, or too many tries, is an `ExportError` naming the status and
 * the vendor's message.
 */
export async function sendEvent(
  destination: ExportDestination,
  request: ExportRequest,
  apiKey: string | undefined,
  policy: RetryPolicy,
  onAttempt: () => Promise<void>,
): Promise<Delivery> {
  const headers: Record<string, string> = { ...request.headers };
  if (apiKey !== undefined) headers['authorization'] = `Bearer ${apiKey}`;
  let last = '';
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt += 1) {
    await onAttempt();
    let wait: number | undefined;
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers,
        body: request.body,
        redirect: 'error',
        signal: AbortSignal.timeout(policy.timeoutMillis),
      });
      const text = await response.text();
      const verdict = destination.verdict(response.status, text);
      if (verdict === 'accepted' || verdict === 'duplicate')
        return { verdict, status: response.status, attempts: attempt };
      last = `HTTP ${response.status}: ${excerpt(text)}`;
      if (verdict === 'fail') {
        throw new ExportError(
          `${destination.target} refused the event (${last}); stopped, nothing after it was sent`,
        );
      }
      wait = retryAfterMillis(response.headers.get('retry-after'), Date.now());
      if (wait !== undefined && wait > policy.maxDelayMillis) {
        throw new ExportError(
          `${destination.target} asked to wait ${Math.ceil(wait / 1000)} s (Retry-After), longer than the ${policy.maxDelayMillis / 1000} s allowed; stopped, run the export again later`,
        );
      }
    } catch (error) {
      if (error instanceof ExportError) throw error;
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      last = `${(error as Error).name === 'TimeoutError' ? 'no answer in time' : 'unreachable'}${cause === undefined ? '' : ` (${cause})`}`;
    }
    if (attempt === policy.maxAttempts) break;
    await sleep(
      wait ??
        Math.min(
          policy.maxDelayMillis,
          policy.baseDelayMillis * 2 ** (attempt - 1),
        ),
    );
  }
  throw new ExportError(
    `${destination.target}: gave up after ${policy.maxAttempts} tries (last: ${last}); the event stays pending and is re-sent with the same key next run`,
  );
}

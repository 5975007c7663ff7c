import { diag } from '@opentelemetry/api';
import type { AlertDeliveryFailure } from './alert-metrics.js';
import {
  isRetryableStatus,
  retryAfterMillis,
  retryDelayMillis,
} from './retry-policy.js';
import type { ResolvedWebhookOptions } from './webhook-options.js';
import {
  BUDGET_WEBHOOK_EVENT_ID_HEADER,
  BUDGET_WEBHOOK_SIGNATURE_HEADER,
  signBudgetWebhook,
} from './webhook-signature.js';

/** One alert on its way: the same body (and event id) on every attempt. */
interface Pending {
  readonly id: string;
  readonly body: string;
  attempts: number;
  timer?: NodeJS.Timeout;
}

type Outcome =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly retryable: boolean;
      readonly detail: string;
      readonly retryAfter?: number | undefined;
    };

/** What the sender did so far (live object). */
export interface WebhookStats {
  /** Alerts the receiver accepted (a 2xx). */
  delivered: number;
  /** Attempts that failed and were scheduled again. */
  retries: number;
  /** Alerts held now: waiting, backing off or in flight. */
  queued: number;
}

export interface WebhookSenderDeps {
  readonly failure: (reason: AlertDeliveryFailure) => void;
  readonly random?: () => number;
  readonly now?: () => number;
}

/**
 * POSTs signed alert bodies: a bounded queue (overflow dropped and
 * counted), a few requests at once, retries with exponential backoff and
 * jitter on network errors, timeouts, 408/425/429 and 5xx. `send` never
 * blocks and never throws.
 */
export class WebhookSender {
  readonly stats: WebhookStats = { delivered: 0, retries: 0, queued: 0 };
  private readonly _o: ResolvedWebhookOptions;
  private readonly _deps: WebhookSenderDeps;
  private readonly _origin: string;
  private readonly _ready: Pending[] = [];
  private readonly _waiting = new Set<Pending>();
  private readonly _controllers = new Set<AbortController>();
  private _idle: (() => void)[] = [];
  private _inFlight = 0;
  private _closed = false;
  private _warned = false;

  constructor(options: ResolvedWebhookOptions, deps: WebhookSenderDeps) {
    this._o = options;
    this._deps = deps;
    this._origin = options.url.origin; // never the path or query (a token may hide there)
  }

  /** Alerts held: waiting, backing off or in flight. */
  get size(): number {
    return this._ready.length + this._waiting.size + this._inFlight;
  }

  /** Queues the alert `build` makes (called only when there is room). */
  send(build: () => { readonly id: string; readonly body: string }): void {
    if (this._closed) return this._deps.failure('shutdown');
    if (this.size >= this._o.maxQueuedAlerts) {
      this._warn(
        `${this.size} alerts are waiting (maxQueuedAlerts); new ones are dropped`,
      );
      return this._deps.failure('queue_full');
    }
    const { id, body } = build();
    this._ready.push({ id, body, attempts: 0 });
    this._pump();
  }

  /** Resolves true once nothing is held, false after `timeoutMillis`. */
  async flush(timeoutMillis: number): Promise<boolean> {
    if (this.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      new Promise<boolean>(resolve => this._idle.push(() => resolve(true))),
      new Promise<boolean>(resolve => {
        timer = setTimeout(() => resolve(false), timeoutMillis);
      }),
    ]);
    clearTimeout(timer);
    return drained;
  }

  /**
   * Gives every held alert one last attempt now (no more backoff), waits up
   * to `timeoutMillis`, then drops what is left (counted as `shutdown`).
   */
  async shutdown(timeoutMillis: number): Promise<void> {
    if (this._closed) return;
    this._closed = true;
    for (const pending of this._waiting) {
      clearTimeout(pending.timer);
      this._ready.push(pending);
    }
    this._waiting.clear();
    this._pump();
    if (await this.flush(timeoutMillis)) return;
    for (const _ of this._ready.splice(0)) this._deps.failure('shutdown');
    for (const controller of this._controllers) controller.abort();
    this._settle();
    await this.flush(1000);
  }

  private _pump(): void {
    while (
      this._inFlight < this._o.maxConcurrentRequests &&
      this._ready.length > 0
    ) {
      const pending = this._ready.shift() as Pending;
      this._inFlight += 1;
      this._attempt(pending).then(undefined, (error: unknown) => {
        diag.error('otel-genai-cost: budget webhook sender failed', error);
      });
    }
    this._settle();
  }

  private async _attempt(pending: Pending): Promise<void> {
    pending.attempts += 1;
    const outcome = await this._post(pending);
    this._inFlight -= 1;
    if (outcome.ok) {
      this.stats.delivered += 1;
      this._warned = false;
    } else if (!outcome.retryable) {
      this._warn(`${outcome.detail}; the alert is dropped (final answer)`);
      this._deps.failure('rejected');
    } else if (this._closed) {
      this._deps.failure('shutdown');
    } else if (pending.attempts >= this._o.maxAttempts) {
      this._warn(
        `${outcome.detail}; an alert is dropped after ${pending.attempts} attempts`,
      );
      this._deps.failure('retries_exhausted');
    } else {
      this._warn(`${outcome.detail}; retrying with backoff`);
      this.stats.retries += 1;
      this._retryLater(pending, outcome.retryAfter);
    }
    this._pump();
  }

  private _retryLater(pending: Pending, retryAfter: number | undefined): void {
    const delay = retryDelayMillis(
      pending.attempts,
      this._o,
      this._deps.random ?? Math.random,
      retryAfter,
    );
    this._waiting.add(pending);
    pending.timer = setTimeout(() => {
      this._waiting.delete(pending);
      this._ready.push(pending);
      this._pump();
    }, delay);
    pending.timer.unref();
  }

  private async _post(pending: Pending): Promise<Outcome> {
    const now = (this._deps.now ?? Date.now)();
    const controller = new AbortController();
    this._controllers.add(controller);
    const timer = setTimeout(() => controller.abort(), this._o.timeoutMillis);
    try {
      const response = await fetch(this._o.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [BUDGET_WEBHOOK_EVENT_ID_HEADER]: pending.id,
          [BUDGET_WEBHOOK_SIGNATURE_HEADER]: signBudgetWebhook(
            this._o.secret,
            pending.body,
            now / 1000,
          ),
        },
        body: pending.body,
        signal: controller.signal,
        redirect: 'manual',
      });
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) return { ok: true };
      return {
        ok: false,
        retryable: isRetryableStatus(response.status),
        detail: `HTTP ${response.status}`,
        retryAfter: retryAfterMillis(response.headers.get('retry-after'), now),
      };
    } catch (error) {
      const detail = controller.signal.aborted
        ? `no answer within ${this._o.timeoutMillis} ms`
        : error instanceof Error
          ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}`
          : String(error);
      return { ok: false, retryable: true, detail };
    } finally {
      clearTimeout(timer);
      this._controllers.delete(controller);
    }
  }

  private _settle(): void {
    this.stats.queued = this.size;
    if (this.size > 0 || this._idle.length === 0) return;
    const idle = this._idle;
    this._idle = [];
    for (const resolve of idle) resolve();
  }

  /** One warning per run of failures (a delivered alert ends the run). */
  private _warn(detail: string): void {
    if (this._warned) return;
    this._warned = true;
    diag.warn(
      `otel-genai-cost: budget alert webhook ${this._origin}: ${detail} (further failures are counted in otel_genai_cost.budget.alert_delivery_failures until one is delivered)`,
    );
  }
}

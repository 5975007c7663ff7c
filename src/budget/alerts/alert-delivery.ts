import { diag, type MeterProvider } from '@opentelemetry/api';
import type { AlertDelivery, BudgetAlert } from '../budget-types.js';
import { AlertMetrics, type AlertDeliveryFailure } from './alert-metrics.js';
import { alertEvent } from './alert-payload.js';
import {
  resolveWebhookOptions,
  type BudgetWebhookOptions,
} from './webhook-options.js';
import { WebhookSender, type WebhookStats } from './webhook-sender.js';

export interface AlertDeliveryOptions {
  /** Called once per fired alert; a throw or rejection is logged and counted, never propagated. */
  readonly onAlert?: ((alert: BudgetAlert) => unknown) | undefined;
  /** POST each alert as signed JSON (see `verifyBudgetWebhook`). */
  readonly webhook?: BudgetWebhookOptions | undefined;
  /** Where the alert counters go. @defaultValue the global meter provider */
  readonly meterProvider?: MeterProvider | undefined;
  /** Longest wait of `flush` and `shutdown` for alerts still on their way. @defaultValue 5000 */
  readonly flushTimeoutMillis?: number | undefined;
}

/** What delivery did so far (live object). */
export interface AlertDeliveryStats {
  /** Alerts handed to delivery. */
  fired: number;
  /** Alerts not delivered, by reason (each also counted in the metric). */
  failed: Record<AlertDeliveryFailure, number>;
  /** The webhook's own numbers (zeros without a webhook). */
  webhook: WebhookStats;
}

/** An `AlertDelivery` that can be drained and closed. */
export type AlertDeliveryHandle = AlertDelivery & {
  readonly stats: AlertDeliveryStats;
  /** Waits (up to `flushTimeoutMillis`) for callbacks and webhook posts in progress. */
  flush(): Promise<void>;
  /** Last attempts for held alerts, then drops the rest (counted); later alerts are dropped. */
  shutdown(): Promise<void>;
};

const MAX_TRACKED_CALLBACKS = 1000;
export const DEFAULT_FLUSH_TIMEOUT_MILLIS = 5000;

/**
 * Delivers each alert the store decided fires now: counts it
 * (`gen_ai.client.cost.budget_alerts`), calls `onAlert`, and queues the
 * signed webhook POST. Returns at once; never throws. Throws only when
 * built with webhook options that cannot work.
 */
export function createAlertDelivery(
  options: AlertDeliveryOptions = {},
): AlertDeliveryHandle {
  const flushTimeout =
    options.flushTimeoutMillis ?? DEFAULT_FLUSH_TIMEOUT_MILLIS;
  const metrics = new AlertMetrics(options.meterProvider);
  const stats: AlertDeliveryStats = {
    fired: 0,
    failed: {
      callback_failed: 0,
      rejected: 0,
      retries_exhausted: 0,
      queue_full: 0,
      shutdown: 0,
    },
    webhook: { delivered: 0, retries: 0, queued: 0 },
  };
  const failure = (reason: AlertDeliveryFailure): void => {
    stats.failed[reason] += 1;
    try {
      metrics.failure(reason);
    } catch (error) {
      diag.error('otel-genai-cost: budget alert counter failed', error);
    }
  };
  const sender =
    options.webhook === undefined
      ? undefined
      : new WebhookSender(resolveWebhookOptions(options.webhook), { failure });
  if (sender !== undefined) stats.webhook = sender.stats;
  const callbacks = new Set<Promise<unknown>>();
  let warnedCallback = false;
  const callbackFailed = (error: unknown): void => {
    failure('callback_failed');
    if (warnedCallback) return;
    warnedCallback = true;
    diag.warn(
      'otel-genai-cost: the budget onAlert callback failed (further failures are only counted in otel_genai_cost.budget.alert_delivery_failures)',
      error,
    );
  };

  const deliver = (alert: BudgetAlert): void => {
    stats.fired += 1;
    try {
      metrics.alert(alert);
    } catch (error) {
      diag.error('otel-genai-cost: budget alert counter failed', error);
    }
    if (options.onAlert !== undefined) callOnAlert(options.onAlert, alert);
    if (sender !== undefined) {
      try {
        sender.send(() => {
          const event = alertEvent(alert, Date.now());
          return { id: event.id, body: JSON.stringify(event) };
        });
      } catch (error) {
        diag.error('otel-genai-cost: budget alert could not be queued', error);
      }
    }
  };

  function callOnAlert(
    onAlert: (alert: BudgetAlert) => unknown,
    alert: BudgetAlert,
  ): void {
    let result: unknown;
    try {
      result = onAlert(alert);
    } catch (error) {
      callbackFailed(error);
      return;
    }
    if (!isThenable(result)) return;
    const settled = Promise.resolve(result).then(undefined, callbackFailed);
    if (callbacks.size >= MAX_TRACKED_CALLBACKS) return;
    callbacks.add(settled);
    void settled.finally(() => callbacks.delete(settled));
  }

  const waitForCallbacks = async (): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...callbacks]),
      new Promise<void>(resolve => {
        timer = setTimeout(resolve, flushTimeout);
      }),
    ]);
    clearTimeout(timer);
  };

  return Object.assign(deliver, {
    stats,
    async flush(): Promise<void> {
      await Promise.all([waitForCallbacks(), sender?.flush(flushTimeout)]);
    },
    async shutdown(): Promise<void> {
      await Promise.all([waitForCallbacks(), sender?.shutdown(flushTimeout)]);
    },
  });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

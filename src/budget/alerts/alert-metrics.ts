import { metrics, type Counter, type MeterProvider } from '@opentelemetry/api';
import type { BudgetAlert } from '../budget-types.js';
import { windowKind } from './alert-payload.js';

/**
 * Counter, `{alert}`, by `scope`, `threshold` and `window` (day, week,
 * month, rolling): never a user or tenant id. Prometheus:
 * `gen_ai_client_cost_budget_alerts_total`.
 */
export const METRIC_BUDGET_ALERTS = 'gen_ai.client.cost.budget_alerts';

/**
 * Counter, `{alert}`, by `reason`: alerts a callback or the webhook did not
 * take. Prometheus: `otel_genai_cost_budget_alert_delivery_failures_total`.
 */
export const METRIC_BUDGET_ALERT_DELIVERY_FAILURES =
  'otel_genai_cost.budget.alert_delivery_failures';

/**
 * Why an alert was not delivered: `callback_failed` (onAlert threw or
 * rejected), `rejected` (the webhook answered a final 3xx or 4xx),
 * `retries_exhausted`, `queue_full` (too many alerts waiting) or
 * `shutdown` (still waiting when delivery was shut down).
 */
export type AlertDeliveryFailure =
  | 'callback_failed'
  | 'rejected'
  | 'retries_exhausted'
  | 'queue_full'
  | 'shutdown';

/** The alert counters, made on first use (a meter provider registered after the guard is still used). */
export class AlertMetrics {
  private readonly _provider: MeterProvider | undefined;
  private _alerts: Counter | undefined;
  private _failures: Counter | undefined;

  constructor(provider: MeterProvider | undefined) {
    this._provider = provider;
  }

  alert(alert: BudgetAlert): void {
    this._alerts ??= this._meter().createCounter(METRIC_BUDGET_ALERTS, {
      unit: '{alert}',
      description:
        'Budget thresholds crossed, each once per subject and window, by scope, threshold and window kind.',
    });
    this._alerts.add(1, {
      scope: alert.scope,
      threshold: String(alert.threshold),
      window: windowKind(alert.budget.window),
    });
  }

  failure(reason: AlertDeliveryFailure, count = 1): void {
    this._failures ??= this._meter().createCounter(
      METRIC_BUDGET_ALERT_DELIVERY_FAILURES,
      {
        unit: '{alert}',
        description:
          'Budget alerts not delivered, by reason (callback_failed, rejected, retries_exhausted, queue_full, shutdown).',
      },
    );
    this._failures.add(count, { reason });
  }

  private _meter() {
    return (this._provider ?? metrics.getMeterProvider()).getMeter(
      'otel-genai-cost',
    );
  }
}

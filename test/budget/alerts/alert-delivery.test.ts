import { diag, type DiagLogger } from '@opentelemetry/api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAlertDelivery } from '../../../src/budget/alerts/alert-delivery.js';
import {
  METRIC_BUDGET_ALERTS,
  METRIC_BUDGET_ALERT_DELIVERY_FAILURES,
} from '../../../src/budget/alerts/alert-metrics.js';
import { BudgetWebhookConfigError } from '../../../src/budget/alerts/webhook-options.js';
import { pointsByMetric, setupMeter } from '../../metrics/collecting-reader.js';
import { alertOf, until } from './alert-fixtures.js';
import {
  startWebhookReceiver,
  type Answer,
  type WebhookReceiver,
} from './webhook-receiver.js';

const SECRET = 'whsec_test_8f2c1e';
const FAST = { initialBackoffMillis: 5, maxBackoffMillis: 40 } as const;
let receiver: WebhookReceiver | undefined;

afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  diag.disable();
});

function captureWarnings(): string[] {
  const warnings: string[] = [];
  const logger: DiagLogger = {
    error: (message: string) => warnings.push(`error: ${message}`),
    warn: (message: string) => warnings.push(message),
    info: () => undefined,
    debug: () => undefined,
    verbose: () => undefined,
  };
  diag.setLogger(logger);
  return warnings;
}

describe('webhook', () => {
  it('POSTs each alert as JSON signed with HMAC-SHA256 over "<t>.<body>", the event id in a header and the body', async () => {
    receiver = await startWebhookReceiver(SECRET);
    const delivery = createAlertDelivery({
      webhook: { url: receiver.url, secret: SECRET },
    });
    const before = Math.floor(Date.now() / 1000);
    delivery(alertOf());
    await delivery.flush();
    expect(receiver.requests).toHaveLength(1);
    const request = receiver.requests[0]!;
    expect(request.signed).toBe(true);
    expect(request.timestamp).toBeGreaterThanOrEqual(before);
    expect(request.headers['content-type']).toBe('application/json');
    const event = JSON.parse(request.body) as Record<string, unknown>;
    expect(event).toMatchObject({
      type: 'budget.threshold_crossed',
      scope: 'user',
      subjectId: 'u-1',
      threshold: 0.8,
      spentUsd: 8.25,
      limitUsd: 10,
      windowStart: '2026-11-30T00:00:00.000Z',
      windowEnd: '2026-12-01T00:00:00.000Z',
      budget: { scope: 'user', limitUsd: 10, window: 'day', timezone: 'UTC' },
    });
    expect(event['id']).toMatch(/^[0-9a-f]{32}$/);
    expect(request.headers['x-otel-genai-cost-event-id']).toBe(event['id']);
    // The id does not reveal the subject.
    expect(String(event['id'])).not.toContain('u-1');
    await delivery.shutdown();
  });

  it('retries network errors, 5xx and 429 with backoff: each alert processed once per event id, with a fresh signature on every attempt', async () => {
    // Per event: 503, then a reset connection, then 429 (Retry-After 0), then 204.
    const attemptsById = new Map<string, number>();
    receiver = await startWebhookReceiver(SECRET, (_n, body): Answer => {
      const id = (JSON.parse(body) as { id: string }).id;
      const attempt = (attemptsById.get(id) ?? 0) + 1;
      attemptsById.set(id, attempt);
      if (attempt === 1) return { status: 503 };
      if (attempt === 2) return 'reset';
      if (attempt === 3)
        return { status: 429, headers: { 'retry-after': '0' } };
      return { status: 204 };
    });
    const delivery = createAlertDelivery({
      webhook: { url: receiver.url, secret: SECRET, ...FAST },
    });
    const alerts = [
      alertOf(),
      alertOf({ threshold: 1, spentUsd: 10.5 }),
      alertOf({ id: 'u-2', threshold: 0.5, spentUsd: 5.01 }),
    ];
    for (const alert of alerts) delivery(alert);
    await until(() => receiver!.processed.length === 3, '3 processed events');
    await delivery.flush();
    expect(receiver.duplicates).toBe(0);
    expect(new Set(receiver.processed).size).toBe(3);
    expect(receiver.requests).toHaveLength(12);
    expect(receiver.requests.every(request => request.signed)).toBe(true);
    // Every attempt of one event carries the same body.
    for (const id of receiver.processed) {
      const bodies = new Set(
        receiver.requests.filter(r => r.eventId === id).map(r => r.body),
      );
      expect(bodies.size).toBe(1);
    }
    expect(delivery.stats.webhook).toMatchObject({
      delivered: 3,
      retries: 9,
      queued: 0,
    });
    expect(delivery.stats.failed.retries_exhausted).toBe(0);
    await delivery.shutdown();
  });

  it('gives up after maxAttempts (counted), and never retries a final 4xx', async () => {
    const warnings = captureWarnings();
    const { reader, meterProvider } = setupMeter();
    receiver = await startWebhookReceiver(SECRET, (_n, body) =>
      body.includes('"threshold":1') ? { status: 400 } : { status: 500 },
    );
    const delivery = createAlertDelivery({
      webhook: { url: receiver.url, secret: SECRET, maxAttempts: 3, ...FAST },
      meterProvider,
    });
    delivery(alertOf({ threshold: 0.5 }));
    delivery(alertOf({ threshold: 1 }));
    await until(
      () =>
        delivery.stats.failed.retries_exhausted +
          delivery.stats.failed.rejected ===
        2,
      'both given up',
    );
    expect(
      receiver.requests.filter(r => r.body.includes('"threshold":0.5')),
    ).toHaveLength(3);
    expect(
      receiver.requests.filter(r => r.body.includes('"threshold":1')),
    ).toHaveLength(1);
    const failures = pointsByMetric(await reader.collect()).get(
      METRIC_BUDGET_ALERT_DELIVERY_FAILURES,
    );
    expect(
      failures?.map(p => [p.attributes['reason'], p.value]).sort(),
    ).toEqual([
      ['rejected', 1],
      ['retries_exhausted', 1],
    ]);
    // One warning for the run of failures, naming the origin only.
    const webhookWarnings = warnings.filter(w => w.includes('webhook'));
    expect(webhookWarnings).toHaveLength(1);
    expect(webhookWarnings[0]).toContain(new URL(receiver.url).origin);
    expect(webhookWarnings[0]).not.toContain('/hooks/budget');
    await delivery.shutdown();
    await meterProvider.shutdown();
  });

  it('a dead webhook never blocks the caller and holds at most maxQueuedAlerts (the rest dropped and counted)', async () => {
    captureWarnings();
    // Accepts connections and never answers.
    receiver = await startWebhookReceiver(SECRET, () => 'hang');
    const delivery = createAlertDelivery({
      webhook: {
        url: receiver.url,
        secret: SECRET,
        maxQueuedAlerts: 50,
        maxConcurrentRequests: 2,
        timeoutMillis: 60_000,
      },
      flushTimeoutMillis: 200,
    });
    let maxHeld = 0;
    for (let i = 0; i < 5000; i += 1) {
      const returned: unknown = delivery(
        alertOf({ id: `user-${i}`, spentUsd: 8 + i / 10_000 }),
      );
      expect(returned).toBeUndefined();
      maxHeld = Math.max(maxHeld, delivery.stats.webhook.queued);
    }
    expect(maxHeld).toBe(50);
    expect(delivery.stats.failed.queue_full).toBe(4950);
    await until(
      () => receiver!.requests.length === 2,
      'two requests in flight',
    );
    // shutdown gives up after flushTimeoutMillis and counts what it drops.
    await delivery.shutdown();
    expect(delivery.stats.webhook.queued).toBe(0);
    expect(delivery.stats.failed.shutdown).toBe(50);
    expect(delivery.stats.webhook.delivered).toBe(0);
    delivery(alertOf({ id: 'late' }));
    expect(delivery.stats.failed.shutdown).toBe(51);
  });

  it('a refused connection is retried, then the alert is dropped; flush returns within its timeout', async () => {
    captureWarnings();
    receiver = await startWebhookReceiver(SECRET);
    const url = receiver.url;
    await receiver.close();
    receiver = undefined;
    const delivery = createAlertDelivery({
      webhook: { url, secret: SECRET, maxAttempts: 4, ...FAST },
      flushTimeoutMillis: 5000,
    });
    delivery(alertOf());
    await delivery.flush();
    expect(delivery.stats.failed.retries_exhausted).toBe(1);
    expect(delivery.stats.webhook.retries).toBe(3);
    await delivery.shutdown();
  });

  it('refuses options that cannot work, never echoing the URL', () => {
    expect(() =>
      createAlertDelivery({
        webhook: { url: 'ftp://token@example.com/x', secret: SECRET },
      }),
    ).toThrow(BudgetWebhookConfigError);
    expect(() =>
      createAlertDelivery({
        webhook: { url: 'https://example.com/secret-token', secret: '' },
      }),
    ).toThrow(/webhook\.secret/);
    try {
      createAlertDelivery({
        webhook: { url: 'not a url secret-token', secret: SECRET },
      });
    } catch (error) {
      expect(String(error)).not.toContain('secret-token');
    }
    expect(() =>
      createAlertDelivery({
        webhook: { url: 'https://example.com', secret: SECRET, maxAttempts: 0 },
      }),
    ).toThrow(/maxAttempts/);
  });
});

describe('onAlert and the alert counter', () => {
  it('calls onAlert once per alert; a throwing or rejecting callback is counted and warned once, and the webhook still goes out', async () => {
    const warnings = captureWarnings();
    receiver = await startWebhookReceiver(SECRET);
    const seen: number[] = [];
    const delivery = createAlertDelivery({
      onAlert: alert => {
        seen.push(alert.threshold);
        if (alert.threshold === 0.5) throw new Error('callback bug');
        if (alert.threshold === 0.8)
          return Promise.reject(new Error('async bug'));
        return undefined;
      },
      webhook: { url: receiver.url, secret: SECRET },
    });
    for (const threshold of [0.5, 0.8, 1]) delivery(alertOf({ threshold }));
    await delivery.flush();
    expect(seen).toEqual([0.5, 0.8, 1]);
    expect(delivery.stats.failed.callback_failed).toBe(2);
    expect(warnings.filter(w => w.includes('onAlert'))).toHaveLength(1);
    expect(receiver.processed).toHaveLength(3);
    await delivery.shutdown();
  });

  it('counts gen_ai.client.cost.budget_alerts by scope, threshold and window kind, never by subject id', async () => {
    const { reader, meterProvider } = setupMeter();
    const delivery = createAlertDelivery({ meterProvider });
    delivery(alertOf({ id: 'alice@example.com', threshold: 0.5 }));
    delivery(alertOf({ id: 'bob', threshold: 0.5 }));
    delivery(
      alertOf({
        scope: 'tenant',
        id: 'acme',
        threshold: 1,
        budget: {
          scope: 'tenant',
          limitUsd: 500,
          window: { rollingHours: 24 },
        },
      }),
    );
    const points = pointsByMetric(await reader.collect()).get(
      METRIC_BUDGET_ALERTS,
    );
    expect(points?.map(p => ({ ...p.attributes, value: p.value }))).toEqual(
      expect.arrayContaining([
        { scope: 'user', threshold: '0.5', window: 'day', value: 2 },
        { scope: 'tenant', threshold: '1', window: 'rolling', value: 1 },
      ]),
    );
    expect(points).toHaveLength(2);
    expect(JSON.stringify(points)).not.toMatch(/alice|bob|acme/);
    await delivery.shutdown();
    await meterProvider.shutdown();
  });

  it('a counter registered after the delivery was made is still used (made on first alert)', async () => {
    const delivery = createAlertDelivery();
    const { metrics } = await import('@opentelemetry/api');
    const { reader, meterProvider } = setupMeter();
    metrics.setGlobalMeterProvider(meterProvider);
    try {
      delivery(alertOf());
      const points = pointsByMetric(await reader.collect()).get(
        METRIC_BUDGET_ALERTS,
      );
      expect(points?.[0]?.value).toBe(1);
    } finally {
      metrics.disable();
      await meterProvider.shutdown();
    }
  });

  it('without onAlert or webhook, an alert is only counted (flush and shutdown resolve at once)', async () => {
    const spy = vi.fn();
    const delivery = createAlertDelivery({ onAlert: spy });
    delivery(alertOf());
    await delivery.flush();
    await delivery.shutdown();
    expect(spy).toHaveBeenCalledTimes(1);
    expect(delivery.stats.fired).toBe(1);
  });
});

import type { ExportEvent } from '../export-event.js';
import {
  joinUrl,
  retryable,
  type ExportDestination,
} from './export-destination.js';

/** Stripe takes meter events up to 35 days back. */
export const STRIPE_MAX_EVENT_AGE_SECONDS = 35 * 86_400;

/**
 * Stripe Billing meter events (`POST /v1/billing/meter_events`,
 * form-encoded): `event_name`, `identifier` (our key, at most 100
 * characters; Stripe refuses a second event with it for at least 24 h),
 * `timestamp` (Unix seconds), `payload[stripe_customer_id]` and
 * `payload[value]` (payload values are strings). The same key goes in the
 * `Idempotency-Key` header. A repeated identifier answers 400 "An event
 * already exists with identifier ...": delivered before.
 */
export const STRIPE_DESTINATION: ExportDestination = {
  target: 'stripe',
  defaultEndpoint: 'https://api.stripe.com',
  defaultMeter: 'llm_cost_usd_micros',
  keyVariable: 'STRIPE_API_KEY',
  keyRequired: true,
  dedupeWindowHours: 24,
  maxEventAgeSeconds: STRIPE_MAX_EVENT_AGE_SECONDS,
  body(event: ExportEvent): string {
    return new URLSearchParams([
      ['event_name', event.meter],
      ['identifier', event.key],
      ['timestamp', String(event.timestampSeconds)],
      ['payload[stripe_customer_id]', event.vendorCustomer],
      ['payload[value]', String(event.valueMicroUsd)],
    ]).toString();
  },
  request(endpoint, body) {
    const identifier = new URLSearchParams(body).get('identifier') ?? '';
    return {
      method: 'POST',
      url: joinUrl(endpoint, '/v1/billing/meter_events'),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'idempotency-key': identifier,
      },
      body,
    };
  },
  verdict(status, text) {
    if (status >= 200 && status < 300) return 'accepted';
    if (status === 400 && /already exists with identifier/i.test(text))
      return 'duplicate';
    return retryable(status) ? 'retry' : 'fail';
  },
};

/**
 * A fake Stripe `POST /v1/billing/meter_events` enforcing the documented
 * rules (docs.stripe.com/api/billing/meter-event/create): a secret key
 * (`Bearer sk_...` or `rk_...`), form encoding, only the known parameters,
 * `event_name` (<= 100 characters), `identifier` (<= 100), `timestamp`
 * (Unix seconds, 35 days back to 5 minutes ahead of the fake's clock),
 * `payload[stripe_customer_id]` and `payload[value]` (a number written as
 * a string, at most 15 significant digits). An identifier seen in the
 * last 24 hours answers 400 "An event already exists with identifier";
 * the `Idempotency-Key` header replays the first answer for 24 hours.
 */
import {
  bearer,
  mediaType,
  startFakeBillingServer,
  type FakeAnswer,
  type FakeBillingOptions,
  type FakeBillingServer,
} from './fake-billing-server.js';

const DAY_MILLIS = 86_400_000;
const KNOWN = new Set([
  'event_name',
  'identifier',
  'timestamp',
  'payload[stripe_customer_id]',
  'payload[value]',
]);

function invalid(message: string, status = 400): FakeAnswer {
  return {
    status,
    body: { error: { type: 'invalid_request_error', message } },
  };
}

export function startFakeStripeServer(
  options: FakeBillingOptions = {},
): Promise<FakeBillingServer> {
  const replies = new Map<string, { at: number; answer: FakeAnswer }>();
  return startFakeBillingServer(request => {
    const { headers, nowMillis, state } = request;
    if (
      request.method !== 'POST' ||
      request.path !== '/v1/billing/meter_events'
    )
      return invalid('Unrecognized request URL', 404);
    if (!bearer(headers, /^(sk|rk)_(test|live)_\w+$/))
      return invalid('Invalid API Key provided', 401);
    if (mediaType(headers) !== 'application/x-www-form-urlencoded')
      return invalid('Invalid request: expected form encoding');
    const idempotencyKey = headers['idempotency-key'];
    if (typeof idempotencyKey === 'string') {
      const earlier = replies.get(idempotencyKey);
      if (earlier !== undefined && nowMillis - earlier.at < DAY_MILLIS)
        return { status: earlier.answer.status, body: earlier.answer.body };
    }
    const form = new URLSearchParams(request.body);
    for (const name of form.keys())
      if (!KNOWN.has(name))
        return invalid(`Received unknown parameter: ${name}`);
    const eventName = form.get('event_name') ?? '';
    const identifier = form.get('identifier') ?? '';
    const customer = form.get('payload[stripe_customer_id]') ?? '';
    const value = form.get('payload[value]');
    const timestamp = Number(form.get('timestamp'));
    if (eventName === '' || eventName.length > 100)
      return invalid('event_name: required, at most 100 characters');
    if (identifier === '' || identifier.length > 100)
      return invalid('identifier: at most 100 characters');
    if (!/^cus_\w+$/.test(customer))
      return invalid('payload[stripe_customer_id]: no such customer');
    if (
      value === null ||
      !/^\d+(\.\d+)?$/.test(value) ||
      value.replace(/\D/g, '').replace(/^0+/, '').length > 15
    )
      return invalid(
        'payload[value]: expected a number as a string, at most 15 digits',
      );
    if (!Number.isInteger(timestamp))
      return invalid('timestamp: expected Unix seconds');
    if (
      timestamp * 1000 < nowMillis - 35 * DAY_MILLIS ||
      timestamp * 1000 > nowMillis + 5 * 60_000
    )
      return invalid(
        'timestamp: must be within the past 35 days or up to 5 minutes in the future',
      );
    const seenAt = state.seen.get(identifier);
    if (seenAt !== undefined && nowMillis - seenAt < DAY_MILLIS)
      return invalid(`An event already exists with identifier ${identifier}.`);
    state.seen.set(identifier, nowMillis);
    const answer: FakeAnswer = {
      status: 200,
      body: {
        object: 'billing.meter_event',
        event_name: eventName,
        identifier,
        payload: { stripe_customer_id: customer, value },
        timestamp,
      },
      bill: {
        key: identifier,
        customer,
        value: Number(value),
        timestamp,
        body: Object.fromEntries(form),
      },
    };
    if (typeof idempotencyKey === 'string')
      replies.set(idempotencyKey, { at: nowMillis, answer });
    return answer;
  }, options);
}

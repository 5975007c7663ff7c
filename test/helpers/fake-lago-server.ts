/**
 * A fake Lago `POST /api/v1/events` enforcing the documented rules: a
 * `Bearer` API key, JSON, `{ event: { transaction_id,
 * external_subscription_id, code, timestamp, properties } }` with the
 * first three non-empty strings, a Unix-seconds timestamp and object
 * properties. A `transaction_id` already held for that subscription
 * answers 422 `value_already_exist`, for good.
 */
import {
  mediaType,
  startFakeBillingServer,
  type FakeAnswer,
  type FakeBillingOptions,
  type FakeBillingServer,
} from './fake-billing-server.js';

function unprocessable(details: Record<string, string[]>): FakeAnswer {
  return {
    status: 422,
    body: {
      status: 422,
      error: 'Unprocessable Entity',
      code: 'validation_errors',
      error_details: details,
    },
  };
}

const text = (value: unknown): value is string =>
  typeof value === 'string' && value.trim() !== '';

export function startFakeLagoServer(
  options: FakeBillingOptions & { readonly apiKey?: string } = {},
): Promise<FakeBillingServer> {
  const apiKey = options.apiKey ?? 'lago-test-key';
  return startFakeBillingServer(request => {
    const { headers, state } = request;
    if (request.method !== 'POST' || request.path !== '/api/v1/events')
      return { status: 404, body: { status: 404, error: 'Not Found' } };
    if (headers.authorization !== `Bearer ${apiKey}`)
      return { status: 401, body: { status: 401, error: 'Unauthorized' } };
    if (mediaType(headers) !== 'application/json')
      return { status: 400, body: { status: 400, error: 'BadRequest' } };
    let parsed: { event?: Record<string, unknown> };
    try {
      parsed = JSON.parse(request.body) as typeof parsed;
    } catch {
      return {
        status: 400,
        body: { status: 400, error: 'BadRequest: invalid JSON' },
      };
    }
    const event = parsed.event;
    if (typeof event !== 'object' || event === null)
      return {
        status: 400,
        body: { status: 400, error: 'BadRequest: event is missing' },
      };
    for (const field of ['transaction_id', 'external_subscription_id', 'code'])
      if (!text(event[field]))
        return unprocessable({ [field]: ['value_is_mandatory'] });
    const timestamp = Number(event['timestamp']);
    if (!Number.isFinite(timestamp))
      return unprocessable({ timestamp: ['invalid_format'] });
    const properties = event['properties'];
    if (
      typeof properties !== 'object' ||
      properties === null ||
      Array.isArray(properties)
    )
      return unprocessable({ properties: ['invalid_format'] });
    const subscription = String(event['external_subscription_id']);
    const key = `${subscription}\u0000${String(event['transaction_id'])}`;
    if (state.seen.has(key))
      return unprocessable({ transaction_id: ['value_already_exist'] });
    state.seen.set(key, request.nowMillis);
    return {
      status: 200,
      body: { event: { ...event, lago_id: `evt_${state.seen.size}` } },
      bill: {
        key,
        customer: subscription,
        value: Number(
          (properties as Record<string, unknown>)['cost_usd_micros'],
        ),
        timestamp,
        body: event,
      },
    };
  }, options);
}

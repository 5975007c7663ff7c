/**
 * A fake OpenMeter `POST /api/v1/events` enforcing the documented rules:
 * `Content-Type: application/cloudevents+json`, a CloudEvent with
 * `specversion` "1.0" and non-empty `id`, `source`, `type` and `subject`,
 * an RFC 3339 `time` when given, object `data`; with `token` set, a
 * `Bearer` key. Dedupe on (source, id) for 24 hours of the fake's clock:
 * a duplicate is answered 204 like any event and not billed (as OpenMeter
 * Cloud does; self-hosted OpenMeter does not dedupe by default).
 */
import {
  mediaType,
  startFakeBillingServer,
  type FakeAnswer,
  type FakeBillingOptions,
  type FakeBillingServer,
} from './fake-billing-server.js';

const DAY_MILLIS = 86_400_000;
const RFC3339 =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function problem(status: number, detail: string): FakeAnswer {
  return {
    status,
    body: { type: 'about:blank', title: 'Bad Request', status, detail },
  };
}

const text = (value: unknown): value is string =>
  typeof value === 'string' && value.trim() !== '';

export function startFakeOpenMeterServer(
  options: FakeBillingOptions & { readonly token?: string } = {},
): Promise<FakeBillingServer> {
  return startFakeBillingServer(request => {
    const { headers, nowMillis, state } = request;
    if (request.method !== 'POST' || request.path !== '/api/v1/events')
      return problem(404, 'not found');
    if (
      options.token !== undefined &&
      headers.authorization !== `Bearer ${options.token}`
    )
      return problem(401, 'unauthorized');
    if (mediaType(headers) !== 'application/cloudevents+json')
      return problem(400, 'expected Content-Type application/cloudevents+json');
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(request.body) as Record<string, unknown>;
    } catch {
      return problem(400, 'invalid JSON');
    }
    if (event['specversion'] !== '1.0')
      return problem(400, 'specversion must be 1.0');
    for (const field of ['id', 'source', 'type', 'subject'])
      if (!text(event[field])) return problem(400, `${field} is required`);
    if (
      event['time'] !== undefined &&
      !(typeof event['time'] === 'string' && RFC3339.test(event['time']))
    )
      return problem(400, 'time must be RFC 3339');
    const data = event['data'];
    if (typeof data !== 'object' || data === null || Array.isArray(data))
      return problem(400, 'data must be an object');
    const value = (data as Record<string, unknown>)['cost_usd_micros'];
    if (typeof value !== 'number')
      return problem(400, 'meter value $.cost_usd_micros is not a number');
    const key = `${String(event['source'])}\u0000${String(event['id'])}`;
    const seenAt = state.seen.get(key);
    if (seenAt !== undefined && nowMillis - seenAt < DAY_MILLIS)
      return { status: 204 };
    state.seen.set(key, nowMillis);
    return {
      status: 204,
      bill: {
        key,
        customer: String(event['subject']),
        value,
        timestamp:
          Date.parse(
            String(event['time'] ?? new Date(nowMillis).toISOString()),
          ) / 1000,
        body: event,
      },
    };
  }, options);
}

/**
 * Export to fake OpenMeter and Lago servers enforcing their documented
 * rules: the CloudEvents shape and content type (OpenMeter, dedupe on
 * source + id), Lago's 422 on a transaction id it holds. Twice is billed
 * once; a crash mid-export then a re-run bills each customer-day once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openMeterSource } from '../../../src/ledger/export/destinations/openmeter-destination.js';
import { exportUsage } from '../../../src/ledger/export/run-export.js';
import {
  newBillingState,
  type FakeBillingServer,
} from '../../helpers/fake-billing-server.js';
import { startFakeLagoServer } from '../../helpers/fake-lago-server.js';
import { startFakeOpenMeterServer } from '../../helpers/fake-openmeter-server.js';
import {
  NOW,
  expectedDaily,
  micro,
  tempLedger,
  type CallSpec,
  type TempLedger,
} from './export-fixture.js';

const FAST = { baseDelayMillis: 5, maxDelayMillis: 2_000, maxAttempts: 2 };
const CALLS: CallSpec[] = [
  { day: '2026-11-01', user: 'ann', input: 10_000, output: 2_000 },
  { day: '2026-11-01', user: 'bob', input: 1, output: 1 },
  { day: '2026-11-02', user: 'ann', input: 7, output: 0 },
  { day: '2026-11-15', user: 'cy', input: 400_000, output: 90_000 },
  { day: '2026-11-15', user: null, input: 3, output: 3 },
];

let ledger: TempLedger | undefined;
const servers: FakeBillingServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  await ledger?.close();
  ledger = undefined;
});

/** Subject → micro-dollars the vendor should bill, from published rates. */
function expectedBilled(prefix: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, nano] of expectedDaily(CALLS, 'user')) {
    const customer = `${prefix}${id.split('|')[0] as string}`;
    out.set(customer, (out.get(customer) ?? 0) + micro(nano));
  }
  return out;
}

/** Sum of the exact `cost_nusd` the vendor received, per customer. */
function nanoBilled(
  server: FakeBillingServer,
  pick: (body: unknown) => number,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const event of server.state.billed)
    out.set(event.customer, (out.get(event.customer) ?? 0) + pick(event.body));
  return out;
}

describe('export --to openmeter', () => {
  it('sends CloudEvents with a stable source; twice is billed once; totals match the ledger exactly', async () => {
    ledger = await tempLedger();
    await ledger.add(CALLS);
    const server = await startFakeOpenMeterServer({
      now: () => NOW,
      token: 'om_key',
    });
    servers.push(server);
    const options = {
      store: ledger.store,
      to: 'openmeter' as const,
      period: '2026-11',
      by: 'user' as const,
      customers: { kind: 'prefix' as const, prefix: '' },
      endpoint: server.endpoint,
      apiKey: 'om_key',
      now: () => NOW,
      retry: FAST,
    };
    const first = await exportUsage(options);
    expect(first.failure).toBeUndefined();
    expect(first.openDays).toEqual(['2026-11-30']);
    expect(first.events).toHaveLength(4);
    const body = server.state.billed[0]?.body as Record<string, unknown>;
    expect(body).toMatchObject({
      specversion: '1.0',
      type: 'llm_cost',
      source: openMeterSource('openmeter'),
      subject: 'ann',
      time: '2026-11-01T00:00:00.000Z',
      data: { cost_nusd: 10_000 * 2_500 + 2_000 * 10_000, calls: 1 },
    });
    expect(server.billedByCustomer()).toEqual(expectedBilled(''));
    const nano = nanoBilled(
      server,
      b => (b as { data: { cost_nusd: number } }).data.cost_nusd,
    );
    const ledgerNano = new Map<string, number>();
    for (const [id, n] of expectedDaily(CALLS, 'user')) {
      const user = id.split('|')[0] as string;
      ledgerNano.set(user, (ledgerNano.get(user) ?? 0) + n);
    }
    expect(nano).toEqual(ledgerNano);
    const second = await exportUsage(options);
    expect(second.events).toEqual([]);
    expect(server.state.requests).toHaveLength(4);
  });

  it('a wrong content type or a missing subject is refused by the fake (its rules hold)', async () => {
    const server = await startFakeOpenMeterServer();
    servers.push(server);
    const post = (type: string, body: unknown): Promise<Response> =>
      fetch(`${server.endpoint}/api/v1/events`, {
        method: 'POST',
        headers: { 'content-type': type },
        body: JSON.stringify(body),
      });
    const event = {
      specversion: '1.0',
      id: 'x',
      source: 's',
      type: 't',
      subject: 'u',
      data: { cost_usd_micros: 1 },
    };
    expect((await post('application/json', event)).status).toBe(400);
    expect(
      (await post('application/cloudevents+json', { ...event, subject: '' }))
        .status,
    ).toBe(400);
    expect((await post('application/cloudevents+json', event)).status).toBe(
      204,
    );
  });
});

describe('export --to lago', () => {
  it('a crash mid-export, then a re-run: every customer-day billed exactly once (422 on the re-sent transaction id is delivered)', async () => {
    ledger = await tempLedger();
    await ledger.add(CALLS);
    const state = newBillingState();
    const dying = await startFakeLagoServer({ state, dieAfterEvents: 1 });
    servers.push(dying);
    const options = {
      store: ledger.store,
      to: 'lago' as const,
      period: '2026-11-01..2026-11-29',
      by: 'user' as const,
      customers: { kind: 'prefix' as const, prefix: 'sub_' },
      apiKey: 'lago-test-key',
      now: () => NOW,
      retry: FAST,
    };
    const first = await exportUsage({ ...options, endpoint: dying.endpoint });
    expect(first.failure).toMatch(/gave up after 2 tries/);
    expect(state.billed).toHaveLength(2);
    const back = await startFakeLagoServer({ state });
    servers.push(back);
    const second = await exportUsage({ ...options, endpoint: back.endpoint });
    expect(second.failure).toBeUndefined();
    expect(second.events.map(e => [e.kind, e.outcome])).toEqual([
      ['resent', 'duplicate'],
      ['new', 'accepted'],
      ['new', 'accepted'],
    ]);
    expect(state.requests.find(r => r.status === 422)).toBeDefined();
    expect(back.billedByCustomer()).toEqual(expectedBilled('sub_'));
    const body = state.billed[0]?.body as Record<string, unknown>;
    expect(body).toMatchObject({
      external_subscription_id: 'sub_ann',
      code: 'llm_cost',
      timestamp: Date.UTC(2026, 10, 1) / 1000,
    });
    // Third run, much later (Lago never forgets, the outbox neither): nothing sent.
    const third = await exportUsage({
      ...options,
      endpoint: back.endpoint,
      now: () => NOW + 90 * 86_400_000,
    });
    expect(third.events).toEqual([]);
    expect(state.billed).toHaveLength(4);
  });

  it('a customer map sends each ledger id to its subscription only; unmapped ones are skipped and reported', async () => {
    ledger = await tempLedger();
    await ledger.add(CALLS);
    const server = await startFakeLagoServer();
    servers.push(server);
    const report = await exportUsage({
      store: ledger.store,
      to: 'lago',
      period: '2026-11',
      by: 'user',
      customers: { kind: 'table', ids: new Map([['ann', 'sub-annual-ann']]) },
      endpoint: server.endpoint,
      apiKey: 'lago-test-key',
      now: () => NOW,
      retry: FAST,
    });
    expect([...server.billedByCustomer().keys()]).toEqual(['sub-annual-ann']);
    expect(report.skipped.map(s => [s.customer, s.reason])).toEqual([
      ['bob', 'unmapped'],
      [null, 'no_customer'],
      ['cy', 'unmapped'],
    ]);
  });
});

/**
 * Export to a fake Stripe that enforces the meter-event rules: billed
 * once across runs (also after Stripe's 24 h dedupe window), once across
 * a crash between send and confirm, corrections for late rows, retries,
 * a refusal stops the run, too-old periods fail before sending.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CustomerMap } from '../../../src/ledger/export/customer-map.js';
import { ExportError } from '../../../src/ledger/export/export-error.js';
import { exportUsage } from '../../../src/ledger/export/run-export.js';
import {
  newBillingState,
  type FakeBillingServer,
} from '../../helpers/fake-billing-server.js';
import { startFakeStripeServer } from '../../helpers/fake-stripe-server.js';
import {
  NOW,
  expectedDaily,
  micro,
  tempLedger,
  type CallSpec,
  type TempLedger,
} from './export-fixture.js';

const KEY = 'sk_test_export123';
const CUSTOMERS: CustomerMap = {
  kind: 'table',
  ids: new Map([
    ['acme', 'cus_acme'],
    ['globex', 'cus_globex'],
  ]),
};
const FAST = { baseDelayMillis: 5, maxDelayMillis: 2_000, maxAttempts: 3 };

const CALLS: CallSpec[] = [
  { day: '2026-11-20', tenant: 'acme', input: 1_000, output: 200 },
  { day: '2026-11-20', tenant: 'acme', input: 333, output: 7 },
  { day: '2026-11-20', tenant: 'globex', input: 10, output: 1 },
  { day: '2026-11-21', tenant: 'acme', input: 123_456, output: 7_890 },
  { day: '2026-11-21', tenant: 'globex', input: 5, output: 0 },
  { day: '2026-11-22', tenant: 'initech', input: 1_000, output: 1_000 },
  { day: '2026-11-22', tenant: null, input: 100, output: 100 },
  { day: '2026-11-22', tenant: 'acme', input: 50, output: 50, priced: false },
];

let ledger: TempLedger | undefined;
const servers: FakeBillingServer[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  await ledger?.close();
  ledger = undefined;
});

async function stripe(
  options: Parameters<typeof startFakeStripeServer>[0] = {},
): Promise<FakeBillingServer> {
  const server = await startFakeStripeServer({ now: () => NOW, ...options });
  servers.push(server);
  return server;
}

function run(
  server: FakeBillingServer,
  extra: Partial<Parameters<typeof exportUsage>[0]> = {},
): ReturnType<typeof exportUsage> {
  return exportUsage({
    store: (ledger as TempLedger).store,
    to: 'stripe',
    period: '2026-11-20..2026-11-22',
    customers: CUSTOMERS,
    endpoint: server.endpoint,
    apiKey: KEY,
    now: () => NOW,
    retry: FAST,
    ...extra,
  });
}

/** Stripe customer → micro-dollars expected, from published gpt-4o rates. */
function expectedBilled(calls: readonly CallSpec[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, nano] of expectedDaily(calls)) {
    const tenant = id.split('|')[0] as string;
    const customer =
      CUSTOMERS.kind === 'table' ? CUSTOMERS.ids.get(tenant) : undefined;
    if (customer === undefined) continue;
    out.set(customer, (out.get(customer) ?? 0) + micro(nano));
  }
  return out;
}

describe('export --to stripe', () => {
  it('bills each customer-day once, to the micro-dollar of the ledger, across runs and past the dedupe window', async () => {
    ledger = await tempLedger();
    await ledger.add(CALLS);
    const state = newBillingState();
    const server = await stripe({ state });
    const first = await run(server);
    expect(first.failure).toBeUndefined();
    expect(first.events).toHaveLength(4);
    // acme 2026-11-20: 1,333 input and 207 output tokens at $2.50 / $10 per M.
    expect(first.events[0]).toMatchObject({
      customer: 'acme',
      day: '2026-11-20',
      costNanoUsd: 1_333 * 2_500 + 207 * 10_000,
      valueMicroUsd: 5_403,
    });
    expect(server.billedByCustomer()).toEqual(expectedBilled(CALLS));
    // The unmapped tenant and the calls without one are skipped, the unpriced reported.
    expect(first.skipped.map(s => [s.customer, s.reason])).toEqual([
      [null, 'no_customer'],
      ['initech', 'unmapped'],
    ]);
    expect(first.unpriced).toEqual([
      { customer: 'acme', day: '2026-11-22', unpricedCalls: 1 },
    ]);
    // Each request followed Stripe's shape (the fake refuses anything else).
    expect(state.requests.every(r => r.status === 200)).toBe(true);
    expect(state.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);

    // Second run two days later: Stripe forgot the identifiers; the outbox did not.
    await server.close();
    const later = await stripe({ state, now: () => NOW + 2 * 86_400_000 });
    const second = await run(later, { now: () => NOW + 2 * 86_400_000 });
    expect(second.events).toEqual([]);
    expect(second.upToDate).toBe(4);
    expect(state.billed).toHaveLength(4);
    expect(later.state.requests).toHaveLength(4);
  });

  it('sends late rows as one correction with its own key; the total billed follows the ledger', async () => {
    ledger = await tempLedger();
    await ledger.add(CALLS);
    const server = await stripe();
    await run(server);
    const late: CallSpec[] = [
      { day: '2026-11-21', tenant: 'acme', input: 999, output: 1 },
    ];
    await ledger.add(late);
    const second = await run(server);
    expect(second.events).toHaveLength(1);
    expect(second.events[0]).toMatchObject({
      customer: 'acme',
      day: '2026-11-21',
      costNanoUsd: 999 * 2_500 + 10_000,
    });
    const keys = server.state.billed.map(e => e.key);
    expect(new Set(keys).size).toBe(5);
    expect(server.billedByCustomer()).toEqual(
      expectedBilled([...CALLS, ...late]),
    );
    const third = await run(server);
    expect(third.events).toEqual([]);
  });

  it('a crash between send and confirm re-sends the same key, and each customer-day is billed exactly once', async () => {
    ledger = await tempLedger();
    await ledger.add(CALLS);
    const state = newBillingState();
    // Stripe takes the 2nd event, then the connection dies before the answer.
    const dying = await stripe({ state, dieAfterEvents: 1 });
    const first = await run(dying);
    expect(first.failure).toMatch(/gave up after 3 tries/);
    expect(first.events).toHaveLength(1);
    expect(state.billed).toHaveLength(2);
    const pendingKey = state.billed[1]?.key;

    const back = await stripe({ state });
    const second = await run(back);
    expect(second.failure).toBeUndefined();
    expect(second.events[0]).toMatchObject({ kind: 'resent', key: pendingKey });
    // The restarted fake still holds the identifier (Stripe: at least 24 h).
    expect(second.events.map(e => e.outcome)).toEqual([
      'duplicate',
      'accepted',
      'accepted',
    ]);
    expect(state.billed).toHaveLength(4);
    expect(server2Sums(state.billed)).toEqual(expectedBilled(CALLS));
  });

  it('a pending event older than the dedupe window is not re-sent blindly (Stripe would bill it again)', async () => {
    ledger = await tempLedger();
    await ledger.add(CALLS);
    const state = newBillingState();
    await run(await stripe({ state, dieAfterEvents: 0 }));
    expect(state.billed).toHaveLength(1);
    const pendingKey = state.billed[0]?.key;
    const later = NOW + 2 * 86_400_000;
    const back = await stripe({ state, now: () => later });
    const second = await run(back, { now: () => later });
    expect(second.stalePending.map(p => p.key)).toEqual([pendingKey]);
    expect(second.events.map(e => e.kind)).toEqual(['new', 'new', 'new']);
    expect(state.billed).toHaveLength(4);
    expect(state.billed.filter(e => e.key === pendingKey)).toHaveLength(1);
    // Once checked at the vendor, the user may force it: past the window Stripe bills it again.
    const forced = await run(back, {
      now: () => later,
      resendStalePending: true,
    });
    expect(forced.events.map(e => e.kind)).toEqual(['resent']);
    expect(state.billed.filter(e => e.key === pendingKey)).toHaveLength(2);
  });

  it('retries 500 and 429 (honoring Retry-After) and then delivers', async () => {
    ledger = await tempLedger();
    await ledger.add(CALLS.slice(0, 1));
    const server = await stripe({
      faults: [{ status: 500 }, { status: 429, retryAfter: '1' }],
    });
    const started = Date.now();
    const report = await run(server);
    expect(report.failure).toBeUndefined();
    expect(report.events).toHaveLength(1);
    expect(server.state.requests.map(r => r.status)).toEqual([500, 429, 200]);
    // The 429 asked for a second: waited at least that (a bound, not a timing assertion on speed).
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  it('a Retry-After longer than allowed stops instead of waiting', async () => {
    ledger = await tempLedger();
    await ledger.add(CALLS.slice(0, 1));
    const server = await stripe({
      faults: [{ status: 429, retryAfter: '3600' }],
    });
    const report = await run(server);
    expect(report.failure).toMatch(/asked to wait 3600 s/);
    expect(server.state.billed).toHaveLength(0);
  });

  it('a 4xx other than a duplicate stops the run; nothing after it is sent', async () => {
    ledger = await tempLedger();
    await ledger.add(CALLS);
    const server = await stripe();
    const report = await run(server, {
      customers: {
        kind: 'table',
        ids: new Map([
          ['acme', 'not-a-customer'],
          ['globex', 'cus_globex'],
        ]),
      },
    });
    expect(report.failure).toMatch(
      /stripe refused the event \(HTTP 400: .*no such customer/,
    );
    expect(report.events).toEqual([]);
    expect(server.state.requests).toHaveLength(1);
    expect(report.failure).not.toContain(KEY);
  });

  it('refuses a period older than 35 days before sending anything', async () => {
    ledger = await tempLedger();
    await ledger.add([
      { day: '2026-10-20', tenant: 'acme', input: 1, output: 1 },
      ...CALLS,
    ]);
    const server = await stripe();
    await expect(
      run(server, { period: '2026-10-20..2026-11-22' }),
    ).rejects.toThrow(
      /up to 35 days old; 1 day\(s\) of this export are older \(2026-10-20\): nothing was sent/,
    );
    expect(server.state.requests).toHaveLength(0);
  });

  it('refuses to send without a key, naming the variable', async () => {
    ledger = await tempLedger();
    const server = await stripe();
    await expect(
      exportUsage({
        store: ledger.store,
        to: 'stripe',
        period: '2026-11-20',
        customers: CUSTOMERS,
        endpoint: server.endpoint,
        now: () => NOW,
      }),
    ).rejects.toThrow(
      new ExportError('stripe: no API key (set STRIPE_API_KEY or --api-key)'),
    );
    expect(server.state.requests).toHaveLength(0);
  });

  it('a dry run sends nothing and gives the same ids twice, the ids a real run then sends', async () => {
    ledger = await tempLedger();
    await ledger.add(CALLS);
    const server = await stripe();
    const dry1 = await run(server, { dryRun: true });
    const dry2 = await run(server, { dryRun: true });
    expect(server.state.requests).toHaveLength(0);
    expect(dry1.events.map(e => e.key)).toEqual(dry2.events.map(e => e.key));
    expect(dry1.events.map(e => e.request?.body)).toEqual(
      dry2.events.map(e => e.request?.body),
    );
    expect(dry1.events[0]?.request?.headers).not.toHaveProperty(
      'authorization',
    );
    const real = await run(server);
    expect(real.events.map(e => e.key)).toEqual(dry1.events.map(e => e.key));
    expect(server.state.billed.map(e => e.key)).toEqual(
      dry1.events.map(e => e.key),
    );
    // The dry run wrote nothing: the real run found no outbox rows of it.
    expect(real.upToDate).toBe(0);
  });
});

function server2Sums(
  billed: readonly { customer: string; value: number }[],
): Map<string, number> {
  const sums = new Map<string, number>();
  for (const e of billed)
    sums.set(e.customer, (sums.get(e.customer) ?? 0) + e.value);
  return sums;
}

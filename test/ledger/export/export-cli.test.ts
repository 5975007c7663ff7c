/**
 * `otel-genai-cost export` end to end (the CLI in a child process, a fake
 * Stripe on 127.0.0.1): the dry run prints the same requests twice and
 * sends nothing, a real run bills once, the key is never printed, exit
 * statuses say what happened.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/run-cli.js';
import type { FakeBillingServer } from '../../helpers/fake-billing-server.js';
import { startFakeStripeServer } from '../../helpers/fake-stripe-server.js';
import { tempLedger, type TempLedger } from './export-fixture.js';

const KEY = 'sk_test_cliSecret42';
const DAY = 86_400_000;
const today = Math.floor(Date.now() / DAY) * DAY;
const day = (offset: number): string =>
  new Date(today + offset * DAY).toISOString().slice(0, 10);
const PERIOD = `${day(-3)}..${day(0)}`;

let ledger: TempLedger | undefined;
let server: FakeBillingServer | undefined;
afterEach(async () => {
  await server?.close();
  await ledger?.close();
  server = undefined;
  ledger = undefined;
});

async function setup(): Promise<{ customers: string }> {
  ledger = await tempLedger();
  await ledger.add([
    { day: day(-3), tenant: 'acme', input: 1_000, output: 100 },
    { day: day(-2), tenant: 'acme', input: 2_000, output: 200 },
    { day: day(-2), tenant: 'globex', input: 10, output: 10 },
    { day: day(0), tenant: 'acme', input: 5, output: 5 },
  ]);
  server = await startFakeStripeServer();
  const customers = join(ledger.path, '..', 'customers.json');
  writeFileSync(
    customers,
    JSON.stringify({ acme: 'cus_acme', globex: 'cus_globex' }),
  );
  return { customers };
}

const args = (customers: string, ...more: string[]): string[] => [
  'export',
  '--ledger',
  (ledger as TempLedger).url,
  '--to',
  'stripe',
  '--period',
  PERIOD,
  '--customers',
  customers,
  '--endpoint',
  (server as FakeBillingServer).endpoint,
  ...more,
];

describe('otel-genai-cost export', () => {
  it('--dry-run prints the same requests twice and sends nothing; the real run sends those', async () => {
    const { customers } = await setup();
    const dry1 = await runCli(args(customers, '--dry-run', '--format', 'json'));
    const dry2 = await runCli(args(customers, '--dry-run', '--format', 'json'));
    expect(dry1.code).toBe(0);
    expect(dry1.stdout).toBe(dry2.stdout);
    const planned = JSON.parse(dry1.stdout) as {
      events: { key: string; request: { body: string } }[];
      openDays: string[];
    };
    expect(planned.events).toHaveLength(3);
    expect(planned.openDays).toEqual([day(0)]);
    expect(planned.events[0]?.request.body).toContain(
      `identifier=${planned.events[0]?.key}`,
    );
    expect(server?.state.requests).toHaveLength(0);

    const real = await runCli(args(customers), { STRIPE_API_KEY: KEY });
    expect(real.stderr).toBe('');
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(/sent 3 event\(s\)/);
    expect(server?.state.billed.map(e => e.key)).toEqual(
      planned.events.map(e => e.key),
    );
    expect(server?.state.requests[0]?.headers.authorization).toBe(
      `Bearer ${KEY}`,
    );
    expect(real.stdout + real.stderr).not.toContain(KEY);
  });

  it('a refused key stops with status 1 and the message never holds the key', async () => {
    const { customers } = await setup();
    const bad = 'sk_bogus_not_a_key';
    const result = await runCli(args(customers, '--api-key', bad));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /stopped: stripe refused the event \(HTTP 401/,
    );
    expect(result.stdout + result.stderr).not.toContain(bad);
  });

  it('an unmapped customer is reported and the status is 3; no mapping at all is status 2', async () => {
    const { customers } = await setup();
    writeFileSync(customers, JSON.stringify({ acme: 'cus_acme' }));
    const partial = await runCli(args(customers), { STRIPE_API_KEY: KEY });
    expect(partial.code).toBe(3);
    expect(partial.stdout).toMatch(
      new RegExp(`skipped tenant globex ${day(-2)}: unmapped`),
    );
    expect(server?.billedByCustomer().has('cus_globex')).toBe(false);
    const none = await runCli(
      [
        'export',
        '--ledger',
        (ledger as TempLedger).url,
        '--to',
        'stripe',
        '--period',
        PERIOD,
      ],
      { STRIPE_API_KEY: KEY },
    );
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--to stripe needs --customers <file>/);
  });

  it('--to csv --out writes the file (owner-only) with the ended days', async () => {
    await setup();
    const out = join((ledger as TempLedger).path, '..', 'usage.csv');
    const result = await runCli([
      'export',
      '--ledger',
      (ledger as TempLedger).url,
      '--to',
      'csv',
      '--period',
      PERIOD,
      '--out',
      out,
    ]);
    expect(result.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe(
      `${day(-3)},tenant,acme,1,0,1000,100,3500000,0.003500000`,
    );
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });
});

/**
 * The billing export on a PostgreSQL ledger (a private server,
 * test/helpers/postgres-server.ts): sums come back as numeric strings,
 * the outbox is created in PostgreSQL. Exported twice (the second time
 * past Stripe's dedupe window), with late rows, and across a crash
 * between send and confirm: each customer-day is billed once, to the
 * rounded micro-dollar of the ledger's total.
 */
import { diag } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportUsage } from '../../../src/ledger/export/run-export.js';
import type { LedgerStore } from '../../../src/ledger/ledger-store.js';
import { openLedgerStore } from '../../../src/ledger/open-ledger-store.js';
import { newBillingState } from '../../helpers/fake-billing-server.js';
import { startFakeStripeServer } from '../../helpers/fake-stripe-server.js';
import {
  postgresBinary,
  startPostgresServer,
  type PostgresServer,
} from '../../helpers/postgres-server.js';
import {
  NOW,
  expectedDaily,
  micro,
  rowOf,
  type CallSpec,
} from './export-fixture.js';

const available = postgresBinary() !== undefined;
let server: PostgresServer | undefined;
beforeAll(async () => {
  diag.disable();
  if (available) server = await startPostgresServer();
}, 120_000);
afterAll(() => server?.remove());

const CALLS: CallSpec[] = [
  { day: '2026-11-20', tenant: 'acme', input: 1_000, output: 200 },
  { day: '2026-11-20', tenant: 'globex', input: 10, output: 1 },
  { day: '2026-11-21', tenant: 'acme', input: 123_456, output: 7_890 },
  { day: '2026-11-22', tenant: 'globex', input: 3_000_000, output: 400_000 },
  { day: '2026-11-22', tenant: 'acme', input: 5, output: 5, priced: false },
];
const LATE: CallSpec[] = [
  { day: '2026-11-21', tenant: 'acme', input: 999, output: 1 },
];

function expectedBilled(calls: readonly CallSpec[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, nano] of expectedDaily(calls)) {
    const customer = `cus_${id.split('|')[0] as string}`;
    out.set(customer, (out.get(customer) ?? 0) + micro(nano));
  }
  return out;
}

describe.runIf(available)('export from a PostgreSQL ledger', () => {
  it('bills each customer-day once across runs, late rows and a crash', async () => {
    const store: LedgerStore = await openLedgerStore(
      (server as PostgresServer).createDatabase('export_main'),
    );
    try {
      await store.insert(CALLS.map(rowOf));
      const state = newBillingState();
      const options = {
        store,
        to: 'stripe' as const,
        period: '2026-11-20..2026-11-22',
        customers: {
          kind: 'table' as const,
          ids: new Map([
            ['acme', 'cus_acme'],
            ['globex', 'cus_globex'],
          ]),
        },
        apiKey: 'sk_test_pg',
        retry: { baseDelayMillis: 5, maxAttempts: 2 },
      };
      const dying = await startFakeStripeServer({
        state,
        now: () => NOW,
        dieAfterEvents: 1,
      });
      const first = await exportUsage({
        ...options,
        endpoint: dying.endpoint,
        now: () => NOW,
      });
      await dying.close();
      expect(first.failure).toMatch(/gave up/);
      expect(state.billed).toHaveLength(2);

      const later = NOW + 2 * 86_400_000;
      const back = await startFakeStripeServer({ state, now: () => later });
      try {
        const dry = await exportUsage({
          ...options,
          endpoint: back.endpoint,
          now: () => later,
          dryRun: true,
        });
        // The pending one is past Stripe's window: held back, not re-sent blindly.
        expect(dry.stalePending).toHaveLength(1);
        const second = await exportUsage({
          ...options,
          endpoint: back.endpoint,
          now: () => later,
        });
        expect(second.failure).toBeUndefined();
        expect(second.events.map(e => e.key)).toEqual(
          dry.events.map(e => e.key),
        );
        expect(state.billed).toHaveLength(4);
        expect(back.billedByCustomer()).toEqual(expectedBilled(CALLS));

        await store.insert(LATE.map(rowOf));
        const third = await exportUsage({
          ...options,
          endpoint: back.endpoint,
          now: () => later,
        });
        expect(third.events).toHaveLength(1);
        expect(back.billedByCustomer()).toEqual(
          expectedBilled([...CALLS, ...LATE]),
        );
        expect(
          (
            await exportUsage({
              ...options,
              endpoint: back.endpoint,
              now: () => later,
            })
          ).events,
        ).toEqual([]);
        expect(new Set(state.billed.map(e => e.key)).size).toBe(5);
      } finally {
        await back.close();
      }
    } finally {
      await store.close();
    }
  });
});

/**
 * Attack: an export whose lease is lost mid-run (the process stalled past
 * LEASE_MILLIS and another run took the destination). Before the fix the
 * renewal ignored that it changed nothing and the run went on sending
 * next to the new holder, both planning from the same outbox; now it
 * stops before its next event. Amounts: gpt-4o at $2.50 / $10 per M.
 */
import Database from 'libsql';
import { afterEach, describe, expect, it } from 'vitest';
import { LEASE_MILLIS } from '../../../src/ledger/export/export-lease.js';
import { exportUsage } from '../../../src/ledger/export/run-export.js';
import type { FakeBillingServer } from '../../helpers/fake-billing-server.js';
import { startFakeLagoServer } from '../../helpers/fake-lago-server.js';
import {
  costOf,
  NOW,
  tempLedger,
  type TempLedger,
} from '../export/export-fixture.js';

let ledger: TempLedger | undefined;
let server: FakeBillingServer | undefined;
afterEach(async () => {
  await server?.close();
  await ledger?.close();
  server = undefined;
  ledger = undefined;
});

describe('export lease lost mid-run', () => {
  it('stops before the next event once another run holds the lease', async () => {
    ledger = await tempLedger();
    const calls = ['acme', 'globex', 'initech'].map(tenant => ({
      day: '2026-11-20',
      tenant,
      input: 1000,
      output: 100,
    }));
    await ledger.add(calls);
    const path = ledger.path;
    let stolen = false;
    // The fake's clock runs on each request: the first one, while this run
    // waits for the vendor, is when another run takes the lapsed lease.
    server = await startFakeLagoServer({
      now: () => {
        if (!stolen) {
          stolen = true;
          const db = new Database(path);
          db.prepare(
            "UPDATE billing_export_lease SET holder = 'another run', expires_ms = ?",
          ).run(NOW + 10 * LEASE_MILLIS);
          db.close();
        }
        return NOW;
      },
    });
    const report = await exportUsage({
      store: ledger.store,
      to: 'lago',
      period: '2026-11-20',
      customers: { kind: 'prefix', prefix: '' },
      endpoint: server.endpoint,
      apiKey: 'lago-test-key',
      now: () => NOW,
    });
    expect(report.failure).toMatch(/lease on lago lapsed/);
    expect(server.state.billed).toHaveLength(1);
    expect(report.events).toHaveLength(1);
    // $2.50/M x 1000 + $10/M x 100 = $0.0035 = 3500 micro-dollars.
    expect(costOf(calls[0] as (typeof calls)[0])).toBe(3_500_000);
    expect(report.events[0]?.valueMicroUsd).toBe(3500);
    // The other run's lease is left alone.
    const db = new Database(path);
    expect(db.prepare('SELECT holder FROM billing_export_lease').all()).toEqual(
      [{ holder: 'another run' }],
    );
    db.close();
  });
});

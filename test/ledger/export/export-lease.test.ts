/** One export per destination at a time: an overlapping run is refused before it sends; a dead run's lease lapses. */
import { afterEach, describe, expect, it } from 'vitest';
import {
  takeExportLease,
  LEASE_MILLIS,
} from '../../../src/ledger/export/export-lease.js';
import { exportUsage } from '../../../src/ledger/export/run-export.js';
import { startFakeLagoServer } from '../../helpers/fake-lago-server.js';
import type { FakeBillingServer } from '../../helpers/fake-billing-server.js';
import { NOW, tempLedger, type TempLedger } from './export-fixture.js';

let ledger: TempLedger | undefined;
let server: FakeBillingServer | undefined;
afterEach(async () => {
  await server?.close();
  await ledger?.close();
  server = undefined;
  ledger = undefined;
});

describe('export lease', () => {
  it('a run while another holds the destination sends nothing; another destination is free; the lease lapses', async () => {
    ledger = await tempLedger();
    await ledger.add([
      { day: '2026-11-20', tenant: 'acme', input: 100, output: 10 },
    ]);
    server = await startFakeLagoServer();
    const held = await takeExportLease(ledger.store, 'lago', NOW);
    const options = {
      store: ledger.store,
      to: 'lago' as const,
      period: '2026-11-20',
      customers: { kind: 'prefix' as const, prefix: '' },
      endpoint: server.endpoint,
      apiKey: 'lago-test-key',
    };
    await expect(
      exportUsage({ ...options, now: () => NOW + 1_000 }),
    ).rejects.toThrow(/another export to lago is running/);
    expect(server.state.requests).toHaveLength(0);
    // A dry run takes no lease.
    expect(
      (await exportUsage({ ...options, now: () => NOW + 1_000, dryRun: true }))
        .events,
    ).toHaveLength(1);
    // Another account (destination name) is not blocked.
    const other = await exportUsage({
      ...options,
      destination: 'lago-eu',
      now: () => NOW + 1_000,
    });
    expect(other.events).toHaveLength(1);
    // The holder died: after the lease time, a run goes through (and releases it at the end).
    const after = await exportUsage({
      ...options,
      now: () => NOW + LEASE_MILLIS + 1,
    });
    expect(after.events).toHaveLength(1);
    await held.release(); // no longer the holder: changes nothing
    expect(
      await ledger.store.select('SELECT * FROM billing_export_lease'),
    ).toEqual([]);
  });
});

import { randomUUID } from 'node:crypto';
import type { LedgerStore } from '../ledger-store.js';
import { ExportError } from './export-error.js';

/**
 * One export per destination at a time. Two overlapping runs (a cron job
 * and a manual run) would each compute the increase from the same last
 * event and bill it twice; a lease row in the ledger keeps the second
 * out. The lease lapses on its own if its holder dies (`LEASE_MILLIS`
 * after its last renewal); a run renews it before every event and stops
 * when it finds it lost.
 */
export const LEASE_DDL = `CREATE TABLE IF NOT EXISTS billing_export_lease (
  destination TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_ms BIGINT NOT NULL
)`;

/** How long a lease holds without renewal. */
export const LEASE_MILLIS = 10 * 60_000;

export interface ExportLease {
  renew(nowMillis: number): Promise<void>;
  release(): Promise<void>;
}

/** Takes the destination's lease, or throws naming the reason. */
export async function takeExportLease(
  store: LedgerStore,
  destination: string,
  nowMillis: number,
): Promise<ExportLease> {
  await store.execute(LEASE_DDL);
  const holder = randomUUID();
  const taken = await store.execute(
    `INSERT INTO billing_export_lease (destination, holder, expires_ms)
     VALUES (?, ?, ?)
     ON CONFLICT (destination) DO UPDATE
       SET holder = excluded.holder, expires_ms = excluded.expires_ms
       WHERE billing_export_lease.expires_ms < ?`,
    [destination, holder, nowMillis + LEASE_MILLIS, nowMillis],
  );
  if (taken !== 1) {
    throw new ExportError(
      `another export to ${destination} is running (or died less than ${LEASE_MILLIS / 60_000} minutes ago); nothing was sent, try again later`,
    );
  }
  return {
    async renew(now) {
      const renewed = await store.execute(
        'UPDATE billing_export_lease SET expires_ms = ? WHERE destination = ? AND holder = ?',
        [now + LEASE_MILLIS, destination, holder],
      );
      // Lapsed (this process stalled past LEASE_MILLIS) and maybe taken by
      // another run, which planned from the same outbox: sending on could
      // bill an increase twice.
      if (renewed !== 1) {
        throw new ExportError(
          `the export lease on ${destination} lapsed (this run stalled for over ${LEASE_MILLIS / 60_000} minutes) and may be held by another run; stopped before the next event, run the export again`,
        );
      }
    },
    async release() {
      await store.execute(
        'DELETE FROM billing_export_lease WHERE destination = ? AND holder = ?',
        [destination, holder],
      );
    },
  };
}

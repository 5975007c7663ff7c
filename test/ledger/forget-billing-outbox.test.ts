/**
 * `forgetUser` also deletes the billing export's outbox entries billed to
 * that user (`export --by user` keeps the user id and the request bodies),
 * and only those: a tenant with the same id and other users keep theirs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { OUTBOX_DDL } from '../../src/ledger/export/billing-outbox.js';
import { forgetUser } from '../../src/ledger/forget-user.js';
import type { LedgerStore } from '../../src/ledger/ledger-store.js';
import { openSqliteLedgerStore } from '../../src/ledger/sqlite/sqlite-ledger-store.js';
import { tempLedgerDir, type TempDir } from './ledger-fixture.js';

let dir: TempDir | undefined;
let store: LedgerStore | undefined;

afterEach(async () => {
  await store?.close();
  dir?.remove();
  store = undefined;
  dir = undefined;
});

async function addOutboxEntry(
  s: LedgerStore,
  key: string,
  by: 'user' | 'tenant',
  customer: string,
): Promise<void> {
  await s.execute(
    `INSERT INTO billing_outbox (destination, idempotency_key, meter, customer_by,
       customer, day, total_nusd, total_value, total_calls, total_input_tokens,
       total_output_tokens, vendor_customer, body, status, created_ms)
     VALUES ('stripe', ?, 'llm_cost_usd_micros', ?, ?, '2026-11-29', 2500000, 2500, 1,
       1000, 0, 'cus_1', '{}', 'confirmed', 0)`,
    [key, by, customer],
  );
}

async function outboxCustomers(s: LedgerStore): Promise<string[]> {
  const rows = await s.select(
    'SELECT customer_by, customer FROM billing_outbox ORDER BY idempotency_key',
  );
  return rows.map(r => `${String(r['customer_by'])}:${String(r['customer'])}`);
}

describe('forgetUser and the billing outbox', () => {
  it('deletes the outbox entries billed to that user only', async () => {
    dir = tempLedgerDir();
    store = await openSqliteLedgerStore(dir.db);
    for (const sql of OUTBOX_DDL) await store.execute(sql);
    await addOutboxEntry(store, 'k1', 'user', 'u-1');
    await addOutboxEntry(store, 'k2', 'user', 'u-1');
    await addOutboxEntry(store, 'k3', 'user', 'u-2');
    await addOutboxEntry(store, 'k4', 'tenant', 'u-1');

    const result = await forgetUser(store, 'u-1');

    expect(result).toEqual({ deleted: 0, billingEvents: 2 });
    expect(await outboxCustomers(store)).toEqual(['user:u-2', 'tenant:u-1']);
  });

  it('deletes the entries billed to the pseudonym when a secret is set', async () => {
    dir = tempLedgerDir();
    store = await openSqliteLedgerStore(dir.db);
    for (const sql of OUTBOX_DDL) await store.execute(sql);
    const { storedUserIds } = await import('../../src/ledger/forget-user.js');
    const [pseudonym] = storedUserIds('u-1', { hmacSecret: 's3cret' });
    expect(pseudonym).not.toBe('u-1');
    await addOutboxEntry(store, 'k1', 'user', pseudonym as string);
    await addOutboxEntry(store, 'k2', 'user', 'u-2');

    const result = await forgetUser(store, 'u-1', { hmacSecret: 's3cret' });

    expect(result.billingEvents).toBe(1);
    expect(await outboxCustomers(store)).toEqual(['user:u-2']);
  });

  it('works on a ledger that never ran an export (no outbox table)', async () => {
    dir = tempLedgerDir();
    store = await openSqliteLedgerStore(dir.db);
    expect(await forgetUser(store, 'u-1')).toEqual({
      deleted: 0,
      billingEvents: 0,
    });
  });
});

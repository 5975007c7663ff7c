import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetUser, storedUserIds } from '../../../src/ledger/forget-user.js';
import {
  openPostgresLedgerStore,
  type PostgresLedgerStore,
} from '../../../src/ledger/postgres/postgres-ledger-store.js';
import { OUTBOX_DDL } from '../../../src/ledger/export/billing-outbox.js';
import { pruneLedger } from '../../../src/ledger/retention.js';
import {
  postgresBinary,
  startPostgresServer,
  type PostgresServer,
} from '../../helpers/postgres-server.js';
import { partitions, pgQuery, rowAt, totals } from './pg-fixture.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 30, 15, 0, 0);

let server: PostgresServer | undefined;
beforeAll(async () => {
  server = await startPostgresServer();
}, 120_000);
afterAll(() => server?.remove());

let n = 0;
async function freshStore(): Promise<{
  url: string;
  store: PostgresLedgerStore;
}> {
  n += 1;
  const url = (server as PostgresServer).createDatabase(`store_${n}`);
  return { url, store: await openPostgresLedgerStore(url, 'test', NOW) };
}

describe.runIf(postgresBinary() !== undefined)('PostgresLedgerStore', () => {
  it('inserts a batch once: a second delivery and a new connection add nothing; totals exact', async () => {
    const { url, store } = await freshStore();
    const rows = Array.from({ length: 500 }, (_, i) => rowAt(i, NOW + i));
    expect(await store.insert(rows)).toBe(500);
    expect(await store.insert(rows.slice(100, 300))).toBe(0);
    await store.close();
    const again = await openPostgresLedgerStore(url, 'test', NOW);
    expect(await again.insert([...rows.slice(0, 10), rowAt(999, NOW)])).toBe(1);
    await again.close();
    // gpt-4o's published $2.50 / $10 per million tokens, summed by hand.
    let expected = 0n;
    for (const i of [...Array.from({ length: 500 }, (_, k) => k), 999]) {
      expected += BigInt((1000 + i) * 2500 + (100 + (i % 50)) * 10_000);
    }
    expect(await totals(url)).toEqual({ rows: 501, nusd: expected });
    // The daily sums hold the new rows only.
    const [sums] = await pgQuery(
      url,
      'SELECT sum(calls)::int AS calls, sum(total_nusd) AS nusd FROM llm_calls_daily',
    );
    expect(sums).toEqual({ calls: 501, nusd: String(expected) });
  });

  it('a NUL character (refused by PostgreSQL text) is dropped, not a batch failing on every replay', async () => {
    const { url, store } = await freshStore();
    const row = {
      ...rowAt(1, NOW),
      userId: 'u\u00001',
      tags: '{"k":"a\u0000"}',
    };
    expect(await store.insert([row, rowAt(2, NOW)])).toBe(2);
    const [read] = await pgQuery(
      url,
      'SELECT user_id, tags FROM llm_calls WHERE time_ms = $1 AND span_id = $2',
      [NOW, row.spanId],
    );
    expect(read).toEqual({ user_id: 'u1', tags: '{"k":"a"}' });
    await store.close();
  });

  it('creates partitions ahead at open and on demand for a late or early row', async () => {
    const { url, store } = await freshStore();
    expect(await partitions(url)).toEqual([
      'llm_calls_p20261129',
      'llm_calls_p20261130',
      'llm_calls_p20261201',
      'llm_calls_p20261202',
      'llm_calls_p20261203',
    ]);
    const late = Date.UTC(2020, 1, 29, 23, 59, 59, 999);
    const early = Date.UTC(2027, 0, 1);
    expect(
      await store.insert([rowAt(1, late), rowAt(2, NOW), rowAt(3, early)]),
    ).toBe(3);
    expect(await partitions(url)).toContain('llm_calls_p20200229');
    expect(await partitions(url)).toContain('llm_calls_p20270101');
    const [row] = await pgQuery(
      url,
      'SELECT tableoid::regclass::text AS p FROM llm_calls WHERE time_ms = $1',
      [late],
    );
    expect(row?.['p']).toBe('llm_calls_p20200229');
    await store.close();
  });

  it('numbers ? placeholders for select and execute, and returns what changed', async () => {
    const { store } = await freshStore();
    await store.insert([rowAt(1, NOW), rowAt(2, NOW + 1), rowAt(4, NOW + 2)]);
    const rows = await store.select(
      "SELECT count(*)::int AS n FROM llm_calls WHERE tenant_id = ? AND time_ms >= ? AND model <> '?'",
      ['t-1', NOW],
    );
    expect(rows).toEqual([{ n: 2 }]);
    expect(
      await store.execute('UPDATE llm_calls SET plan = ? WHERE user_id = ?', [
        'pro',
        'u-1',
      ]),
    ).toBe(1);
    await store.close();
  });

  it('retention drops whole day partitions before the cutoff and their sums', async () => {
    const { url, store } = await freshStore();
    const rows = [0, 1, 2, 3, 10].map((d, i) => rowAt(i, NOW - d * DAY + 1000));
    await store.insert(rows);
    // Keep today and 2 days before: 2026-11-28 onwards.
    const result = await pruneLedger(store, 2, NOW);
    expect(result).toEqual({
      cutoff: '2026-11-28T00:00:00.000Z',
      droppedPartitions: ['llm_calls_p20261120', 'llm_calls_p20261127'],
      deletedRows: 2,
    });
    expect((await totals(url)).rows).toBe(3);
    expect(await partitions(url)).not.toContain('llm_calls_p20261127');
    expect(await partitions(url)).toContain('llm_calls_p20261128');
    const [sums] = await pgQuery(
      url,
      'SELECT sum(calls)::int AS calls FROM llm_calls_daily',
    );
    expect(sums?.['calls']).toBe(3);
    // A late row for a dropped day recreates its partition (never fails).
    expect(await store.insert([rowAt(50, NOW - 3 * DAY)])).toBe(1);
    await store.close();
  });

  it('forget deletes exactly one user (and their sums), by raw id or pseudonym', async () => {
    const { url, store } = await freshStore();
    const secret = 'test-secret';
    const [pseudonym] = storedUserIds('alice@example.com', {
      hmacSecret: secret,
    });
    expect(pseudonym).toMatch(/^hmac:[0-9a-f]{32}$/);
    const rows = [
      rowAt(1, NOW, pseudonym as string),
      rowAt(2, NOW + 1, pseudonym as string),
      rowAt(3, NOW + 2, 'bob'),
      rowAt(4, NOW + 3, 'redacted-email'),
      rowAt(5, NOW + 4, null),
    ];
    await store.insert(rows);
    expect(
      await forgetUser(store, 'alice@example.com', { hmacSecret: secret }),
    ).toEqual({ deleted: 2, billingEvents: 0 });
    // Without the secret the raw id matches nothing here; never redacted-email.
    expect(await forgetUser(store, 'carol@example.com')).toEqual({
      deleted: 0,
      billingEvents: 0,
    });
    // The billing export's outbox: bob's entry goes, a tenant "bob" stays.
    for (const sql of OUTBOX_DDL) await store.execute(sql);
    for (const [key, by] of [
      ['k1', 'user'],
      ['k2', 'tenant'],
    ] as const) {
      await store.execute(
        `INSERT INTO billing_outbox (destination, idempotency_key, meter,
           customer_by, customer, day, total_nusd, total_value, total_calls,
           total_input_tokens, total_output_tokens, vendor_customer, body,
           status, created_ms)
         VALUES ('lago', ?, 'llm_cost', ?, 'bob', '2026-11-29', 1, 0, 1, 0, 0,
           'sub_1', '{}', 'confirmed', 0)`,
        [key, by],
      );
    }
    expect(await forgetUser(store, 'bob')).toEqual({
      deleted: 1,
      billingEvents: 1,
    });
    expect(
      await pgQuery(url, 'SELECT customer_by FROM billing_outbox'),
    ).toEqual([{ customer_by: 'tenant' }]);
    const left = await pgQuery(
      url,
      'SELECT user_id FROM llm_calls ORDER BY time_ms',
    );
    expect(left).toEqual([{ user_id: 'redacted-email' }, { user_id: null }]);
    const sums = await pgQuery(
      url,
      'SELECT user_id, calls::int FROM llm_calls_daily ORDER BY user_id',
    );
    expect(sums).toEqual([
      { user_id: '', calls: 1 },
      { user_id: 'redacted-email', calls: 1 },
    ]);
    await store.close();
  });
});

/**
 * Two writers storing the same calls (two gateways, a redelivery) must not
 * deadlock: a batch takes its key locks in key order. Staged on a real
 * server: another transaction holds key 1 uncommitted; the ledger's batch
 * (given as [2, 1]) waits on key 1; the other transaction then inserts
 * key 2. In key order the batch holds nothing yet and both finish; in the
 * order given the batch would hold key 2 and PostgreSQL would abort one.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgPool } from '../../../src/ledger/postgres/load-pg.js';
import { PostgresLedgerStore } from '../../../src/ledger/postgres/postgres-ledger-store.js';
import {
  postgresBinary,
  startPostgresServer,
  type PostgresServer,
} from '../../helpers/postgres-server.js';
import { rowAt, totals } from './pg-fixture.js';

const NOW = Date.UTC(2026, 10, 30, 15, 0, 0);

let server: PostgresServer | undefined;
beforeAll(async () => {
  if (postgresBinary() !== undefined) server = await startPostgresServer();
}, 120_000);
afterAll(() => server?.remove());

const INSERT_KEY =
  'INSERT INTO llm_calls (trace_id, span_id, time_ms) VALUES ($1, $2, $3)';

describe.runIf(postgresBinary() !== undefined)('ledger lock order', () => {
  it('a batch takes its keys in key order: no deadlock with another writer', async () => {
    const url = (server as PostgresServer).createDatabase('lock_order');
    // The real pool, its statements' errors noted (a retried deadlock
    // would otherwise pass unseen).
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    const errors: unknown[] = [];
    const query = pool.query.bind(pool) as PgPool['query'];
    const noted: PgPool = Object.assign(Object.create(pool) as PgPool, {
      query: async (text: string, values?: readonly unknown[]) => {
        try {
          return await query(text, values);
        } catch (error) {
          errors.push((error as { code?: unknown }).code);
          throw error;
        }
      },
    });
    const store = new PostgresLedgerStore(noted);
    await store.prepare(NOW);
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      const [one, two] = [rowAt(1, NOW), rowAt(2, NOW)];
      expect(one.traceId < two.traceId).toBe(true);
      await other.query('BEGIN');
      await other.query(INSERT_KEY, [one.traceId, one.spanId, NOW]);
      const batch = store.insert([two, one]);
      // Let the batch reach key 1 and wait on it.
      await new Promise(r => setTimeout(r, 300));
      // Without key order the batch holds key 2 here: a deadlock.
      await other.query(INSERT_KEY, [two.traceId, two.spanId, NOW]);
      await other.query('COMMIT');
      // Both keys were stored by the other writer: the batch adds nothing.
      expect(await batch).toBe(0);
      expect((await totals(url)).rows).toBe(2);
      expect(errors).toEqual([]);
    } finally {
      await other.end();
      await pool.end();
    }
  }, 30_000);
});

/**
 * Ledger reports on PostgreSQL (a private server per file,
 * test/helpers/postgres-server.ts): the same cases as on SQLite
 * (report-cases.ts), through the PostgreSQL store (partitioned table,
 * numeric sums as strings, `?` numbered), and the reader by URL.
 */
import { diag } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedgerReader } from '../../../src/ledger/ledger-reader.js';
import { parseLedgerUrl } from '../../../src/ledger/ledger-url.js';
import { openPostgresLedgerStore } from '../../../src/ledger/postgres/postgres-ledger-store.js';
import {
  postgresBinary,
  startPostgresServer,
  type PostgresServer,
} from '../../helpers/postgres-server.js';
import { canUseDailySums } from '../../../src/ledger/query/call-source.js';
import { dailySpendByTenant } from '../../../src/ledger/query/daily-spend.js';
import type { LedgerQuery } from '../../../src/ledger/query/ledger-query.js';
import { queryLedger } from '../../../src/ledger/query/query-ledger.js';
import { CALLS, reportCases } from './report-cases.js';
import { rowOf, sampleCalls, sqliteWith } from './report-fixture.js';

let server: PostgresServer | undefined;
let databases = 0;
beforeAll(async () => {
  diag.disable();
  server = await startPostgresServer();
}, 120_000);
afterAll(() => server?.remove());

function newDatabase(): string {
  databases += 1;
  return (server as PostgresServer).createDatabase(`report_${databases}`);
}

describe.runIf(postgresBinary() !== undefined)(
  'ledger reports on PostgreSQL',
  () => {
    reportCases(async (calls, rows = []) => {
      const url = newDatabase();
      const location = parseLedgerUrl(url);
      if (location.kind !== 'postgres') throw new Error('not postgres');
      const store = await openPostgresLedgerStore(url, location.display);
      await store.insert([...calls.map(rowOf), ...rows]);
      return {
        store,
        dir: '',
        path: '',
        remove: async () => {
          await store.close();
        },
      };
    });

    it('openLedgerReader(postgres://...) gives the same rows as SQLite for the same calls, for every grouping', async () => {
      const url = newDatabase();
      const location = parseLedgerUrl(url);
      if (location.kind !== 'postgres') throw new Error('not postgres');
      const writer = await openPostgresLedgerStore(url, location.display);
      await writer.insert(CALLS.map(rowOf));
      await writer.close();
      const reader = await openLedgerReader(url);
      const sqlite = await sqliteWith(CALLS);
      try {
        for (const by of [
          'user',
          'tenant',
          'model',
          'plan',
          'feature',
          'day',
        ] as const) {
          expect(await reader.query({ by }), by).toEqual(
            await (
              await import('../../../src/ledger/query/query-ledger.js')
            ).queryLedger(sqlite.store, { by }),
          );
        }
      } finally {
        await reader.close();
        await sqlite.remove();
      }
    });

    it('the daily sums answer whole-day, column-only queries with the same rows as the calls themselves (1,500 generated calls, every grouping)', async () => {
      const url = newDatabase();
      const location = parseLedgerUrl(url);
      if (location.kind !== 'postgres') throw new Error('not postgres');
      const store = await openPostgresLedgerStore(url, location.display);
      try {
        await store.insert(sampleCalls(5).map(rowOf));
        const filters: Omit<LedgerQuery, 'by'>[] = [
          {},
          { since: new Date('2026-11-20'), until: new Date('2026-11-27') },
          { tenantId: 'tenant-a' },
          { userId: 'user-000', top: 3 },
          { tags: { plan: 'pro', feature: 'chat' } },
        ];
        for (const filter of filters) {
          expect(canUseDailySums(filter, 'postgres')).toBe(true);
          for (const by of [
            'user',
            'tenant',
            'model',
            'plan',
            'feature',
            'day',
          ] as const) {
            const q = { ...filter, by };
            const fromSums = await queryLedger(store, q);
            expect(fromSums.length).toBeGreaterThan(0);
            expect(fromSums, JSON.stringify(q)).toEqual(
              await queryLedger(store, q, false),
            );
          }
          expect(await dailySpendByTenant(store, filter)).toEqual(
            await dailySpendByTenant(store, filter, false),
          );
        }
        // Not answerable from the sums: a bound inside a day, a JSON tag, a session.
        expect(
          canUseDailySums(
            { since: new Date('2026-11-20T12:00:00Z') },
            'postgres',
          ),
        ).toBe(false);
        expect(canUseDailySums({ tags: { region: 'eu' } }, 'postgres')).toBe(
          false,
        );
        expect(canUseDailySums({ tags: { sessionId: 's' } }, 'postgres')).toBe(
          false,
        );
        expect(canUseDailySums({}, 'sqlite')).toBe(false);
      } finally {
        await store.close();
      }
    });
  },
);

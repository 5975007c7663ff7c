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
import { CALLS, reportCases } from './report-cases.js';
import { rowOf, sqliteWith } from './report-fixture.js';

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
  },
);

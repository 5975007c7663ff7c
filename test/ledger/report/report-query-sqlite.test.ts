/** Ledger reports on SQLite: the shared cases (report-cases.ts). */
import { describe } from 'vitest';
import { reportCases } from './report-cases.js';
import { sqliteWith } from './report-fixture.js';

describe('ledger reports on SQLite', () => {
  reportCases(async (calls, rows = []) => {
    const t = await sqliteWith(calls);
    await t.store.insert(rows);
    return t;
  });
});

import { diag } from '@opentelemetry/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedgerStore } from '../../src/index.js';
import { openSqliteLedgerStore } from '../../src/ledger/sqlite/sqlite-ledger-store.js';
import { keyedRecord, nanoUsdOf } from './ledger-records.js';
import { readRows, sqliteLedger, tempLedgerDir } from './ledger-fixture.js';

type Step =
  | { readonly kind: 'record'; readonly key: number }
  | { readonly kind: 'flush' }
  | { readonly kind: 'down'; readonly down: boolean }
  | { readonly kind: 'restart' }
  | { readonly kind: 'failAfter'; readonly inserts: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.nat(40).map(key => ({ kind: 'record' as const, key })),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'flush' as const }) },
  {
    weight: 2,
    arbitrary: fc.boolean().map(down => ({ kind: 'down' as const, down })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
  {
    weight: 2,
    arbitrary: fc
      .nat(4)
      .map(inserts => ({ kind: 'failAfter' as const, inserts })),
  },
);

describe('CostLedger idempotence (generated)', () => {
  it('any sequence of records, duplicates, outages and restarts: one row per distinct key, totals summed over distinct keys', async () => {
    diag.disable();
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 80 }),
        fc.integer({ min: 1, max: 9 }),
        async (steps, batchRows) => {
          const dir = tempLedgerDir();
          try {
            // failAfter: the store goes down at that insert (mid-replay too).
            const state: { down: boolean; failAfter: number | undefined } = {
              down: false,
              failAfter: undefined,
            };
            const openStore = async (): Promise<LedgerStore> => {
              if (state.down) throw new Error('down');
              const store = await openSqliteLedgerStore(dir.db);
              return {
                insert: rows => {
                  if (state.down) throw new Error('disk I/O error');
                  return store.insert(rows);
                },
                dialect: store.dialect,
                select: (sql, params) => store.select(sql, params),
                execute: (sql, params) => store.execute(sql, params),
                close: () => store.close(),
              };
            };
            const open = () => sqliteLedger(dir.db, { openStore, batchRows });
            let ledger = open();
            const seen = new Set<number>();
            for (const s of steps) {
              if (s.kind === 'record') {
                ledger.record(keyedRecord(s.key));
                seen.add(s.key);
              } else if (s.kind === 'flush') await ledger.forceFlush();
              else if (s.kind === 'down') state.down = s.down;
              else if (s.kind === 'failAfter') state.failAfter = s.inserts;
              else {
                await ledger.shutdown();
                ledger = open();
              }
            }
            state.down = false;
            await ledger.shutdown();
            const rows = readRows(dir.db);
            expect(rows).toHaveLength(seen.size);
            expect(
              new Set(rows.map(row => `${row.trace_id}/${row.span_id}`)).size,
            ).toBe(seen.size);
            const total = rows.reduce(
              (sum, row) => sum + (row.total_nusd as number),
              0,
            );
            expect(total).toBe(
              [...seen].reduce((sum, key) => sum + nanoUsdOf(key), 0),
            );
          } finally {
            dir.remove();
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { CostLedger } from '../../../src/ledger/cost-ledger.js';
import type { LedgerStore } from '../../../src/ledger/ledger-store.js';
import { openSqliteLedgerStore } from '../../../src/ledger/sqlite/sqlite-ledger-store.js';
import { tempLedgerDir } from '../ledger-fixture.js';
import { keyedRecord } from '../ledger-records.js';

/** A slow async open (a PostgreSQL pool connecting), counted. */
function countedOpen(db: string) {
  const counts = { opened: 0, closed: 0 };
  const open = async (): Promise<LedgerStore> => {
    counts.opened += 1;
    await new Promise(resolve => setTimeout(resolve, 50));
    const store = await openSqliteLedgerStore(db);
    return {
      dialect: store.dialect,
      insert: rows => store.insert(rows),
      select: (sql, params) => store.select(sql, params),
      execute: (sql, params) => store.execute(sql, params),
      close: () => {
        counts.closed += 1;
        return store.close();
      },
    };
  };
  return { counts, open };
}

describe('LedgerWriter opens one store at a time', () => {
  it('ready() and a flush under way share one open; shutdown closes it', async () => {
    const dir = tempLedgerDir();
    try {
      const { counts, open } = countedOpen(dir.db);
      const ledger = new CostLedger({
        url: `sqlite:${dir.db}`,
        openStore: open,
      });
      ledger.record(keyedRecord(1));
      const flushing = ledger.forceFlush();
      await Promise.all([ledger.ready(), flushing, ledger.ready()]);
      await ledger.shutdown();
      expect(counts).toEqual({ opened: 1, closed: 1 });
      expect(ledger.stats.written).toBe(1);
    } finally {
      dir.remove();
    }
  });

  it('a store opened after shutdown is closed, not leaked', async () => {
    const dir = tempLedgerDir();
    try {
      const { counts, open } = countedOpen(dir.db);
      const ledger = new CostLedger({
        url: `sqlite:${dir.db}`,
        openStore: open,
      });
      await ledger.shutdown();
      await expect(ledger.ready()).rejects.toThrow(/shut down/);
      expect(counts.opened).toBeGreaterThan(0);
      expect(counts.closed).toBe(counts.opened);
    } finally {
      dir.remove();
    }
  });
});

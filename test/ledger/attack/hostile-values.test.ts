/**
 * Attack: one record with a value no store can take (a start time past
 * what a Date holds or before 1970, a NaN or negative cost, a fractional
 * or absurd token count) among good ones. Before the fix, on PostgreSQL
 * such a row failed its whole batch on every retry (the good rows spilled
 * for ever, the spill replay failed first each time) and, on SQLite, it
 * was stored and then broke every report (a float sum, an invalid date).
 * Expected amounts: gpt-4o-mini at the published $0.15 / $0.60 per M.
 */
import { diag } from '@opentelemetry/api';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CostRecord } from '../../../src/core/cost-record.js';
import { CostLedger } from '../../../src/ledger/cost-ledger.js';
import {
  postgresBinary,
  startPostgresServer,
  type PostgresServer,
} from '../../helpers/postgres-server.js';
import { keyedRecord, nanoUsdOf } from '../ledger-records.js';
import { pgQuery } from '../postgres/pg-fixture.js';

let server: PostgresServer | undefined;
let dir = '';
beforeAll(async () => {
  diag.disable();
  dir = mkdtempSync(join(tmpdir(), 'ledger-attack-values-'));
  if (postgresBinary() !== undefined) server = await startPostgresServer();
}, 120_000);
afterAll(() => {
  server?.remove();
  rmSync(dir, { recursive: true, force: true });
});

const GOOD = 40;

function at(n: number, startTimeMillis: number): CostRecord {
  const r = keyedRecord(n);
  return { ...r, call: { ...r.call, startTimeMillis } };
}

function withUsage(n: number, patch: Record<string, number>): CostRecord {
  const r = keyedRecord(n);
  return {
    ...r,
    call: {
      ...r.call,
      usage: { ...(r.call.usage as object), ...patch } as never,
    },
  };
}

function withCost(n: number, totalUsd: number, inputUsd?: number): CostRecord {
  const r = keyedRecord(n);
  if (!r.cost.priced) throw new Error('priced fixture expected');
  return {
    ...r,
    cost: {
      ...r.cost,
      totalUsd,
      inputUsd: inputUsd ?? r.cost.inputUsd,
    } as CostRecord['cost'],
  };
}

/** Times no day partition or ISO date can hold. */
const BAD_TIMES = [1e17, 253_402_300_800_000 + 5, -172_800_000 + 5];

function hostile(): CostRecord[] {
  return [
    ...BAD_TIMES.map((t, i) => at(1000 + i, t)),
    withCost(2000, Number.NaN),
    withCost(2001, -1),
    withCost(2002, 0.5, Number.POSITIVE_INFINITY),
    withUsage(3000, { inputTokens: 1.5 }),
    withUsage(3001, { outputTokens: 1e20 }),
    withUsage(3002, { cacheReadTokens: -3 }),
  ];
}

function goodNusd(): bigint {
  let sum = 0n;
  for (let n = 0; n < GOOD; n += 1) sum += BigInt(nanoUsdOf(n));
  return sum;
}

async function attack(url: string, spill: string): Promise<CostLedger> {
  const ledger = new CostLedger({ url, spillFile: spill, batchRows: 16 });
  await ledger.ready();
  const bad = hostile();
  for (let n = 0; n < GOOD; n += 1) {
    ledger.record(keyedRecord(n));
    const poison = bad[n];
    if (poison !== undefined) ledger.record(poison);
  }
  await ledger.forceFlush();
  await ledger.forceFlush();
  return ledger;
}

async function expectHeld(ledger: CostLedger, spill: string): Promise<void> {
  expect(existsSync(spill) || existsSync(`${spill}.replay`)).toBe(false);
  expect(ledger.stats.spilled).toBe(0);
  expect(ledger.stats.dropped.bad_time).toBe(BAD_TIMES.length);
  // Good rows and the kept hostile calls (times fine) are all on record.
  expect(ledger.stats.written).toBe(GOOD + hostile().length - BAD_TIMES.length);
  const byUser = await ledger.query({ by: 'user' });
  const byDay = await ledger.query({ by: 'day' });
  const calls = byUser.reduce((a, r) => a + r.calls, 0);
  expect(calls).toBe(GOOD + 6);
  // The bad costs are unpriced (unknown, never zero, never negative).
  expect(byUser.reduce((a, r) => a + r.unpricedCalls, 0)).toBe(3);
  const spend = byDay.reduce((a, r) => a + r.spendUsd, 0);
  const expected =
    goodNusd() +
    BigInt(nanoUsdOf(3000)) +
    BigInt(nanoUsdOf(3001)) +
    BigInt(nanoUsdOf(3002));
  expect(Math.round(spend * 1e9)).toBe(Number(expected));
  for (const row of byDay) expect(row.lastSeen).toMatch(/^20\d\d-/);
}

describe('hostile numbers in a record', () => {
  it('SQLite: the bad row never breaks a report', async () => {
    const spill = join(dir, 'sqlite.spill.jsonl');
    const ledger = await attack(`sqlite:${join(dir, 'l.db')}`, spill);
    try {
      await expectHeld(ledger, spill);
    } finally {
      await ledger.shutdown();
    }
  });

  it.runIf(postgresBinary() !== undefined)(
    'PostgreSQL: the bad row never fails its batch; daily sums equal the rows',
    async () => {
      const url = (server as PostgresServer).createDatabase('values');
      const spill = join(dir, 'pg.spill.jsonl');
      const ledger = await attack(url, spill);
      try {
        await expectHeld(ledger, spill);
        const [rows] = await pgQuery(
          url,
          'SELECT count(*)::text AS n, coalesce(sum(total_nusd),0)::text AS s FROM llm_calls',
        );
        const [daily] = await pgQuery(
          url,
          'SELECT coalesce(sum(calls),0)::text AS n, coalesce(sum(total_nusd),0)::text AS s FROM llm_calls_daily',
        );
        expect(daily).toEqual(rows);
      } finally {
        await ledger.shutdown();
      }
    },
    60_000,
  );
});

describe('empty ids', () => {
  it.runIf(postgresBinary() !== undefined)(
    'PostgreSQL: an empty tenant is no tenant, whether the daily sums or the calls answer',
    async () => {
      const url = (server as PostgresServer).createDatabase('empty');
      const ledger = new CostLedger({ url, spillFile: join(dir, 'e.jsonl') });
      try {
        const blank = (n: number, tenantId: string | undefined) => {
          const r = keyedRecord(n);
          return { ...r, identity: { ...r.identity, tenantId } };
        };
        ledger.record(blank(1, ''));
        ledger.record(blank(2, undefined));
        ledger.record(blank(3, '\0'));
        const day = Date.UTC(2025, 10, 30);
        // Whole days: the daily sums answer; a bound inside a day: the calls.
        const sums = await ledger.query({
          by: 'tenant',
          since: new Date(day),
          until: new Date(day + 86_400_000),
        });
        const calls = await ledger.query({
          by: 'tenant',
          since: new Date(day + 1),
          until: new Date(day + 86_400_000),
        });
        expect(sums.map(r => [r.key, r.calls])).toEqual([[null, 3]]);
        expect(calls).toEqual(sums);
      } finally {
        await ledger.shutdown();
      }
    },
    60_000,
  );
});

/**
 * Attack: PostgreSQL crashed (`pg_ctl stop -m immediate`) in the middle of
 * a load with redeliveries, restarted, then a user forgotten and old days
 * dropped. After each step `llm_calls_daily` equals a GROUP BY over
 * `llm_calls`, group by group (calls, unpriced calls, tokens, nano-dollars,
 * first and last time), and every call is there once. Prices: gpt-4o-mini
 * at the published $0.15 / $0.60 per M (ledger-records.ts).
 */
import { diag } from '@opentelemetry/api';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CostLedger } from '../../../src/ledger/cost-ledger.js';
import { forgetUser } from '../../../src/ledger/forget-user.js';
import { openLedgerStore } from '../../../src/ledger/open-ledger-store.js';
import { pruneLedger } from '../../../src/ledger/retention.js';
import {
  postgresBinary,
  startPostgresServer,
  type PostgresServer,
} from '../../helpers/postgres-server.js';
import { keyedRecord, nanoUsdOf } from '../ledger-records.js';
import { pgQuery } from '../postgres/pg-fixture.js';

const DAY = 86_400_000;
const DIMS = 'service, tenant_id, user_id, plan, feature, provider, model';

let server: PostgresServer | undefined;
let dir = '';
beforeAll(async () => {
  diag.disable();
  dir = mkdtempSync(join(tmpdir(), 'ledger-attack-crash-'));
  if (postgresBinary() !== undefined) server = await startPostgresServer();
}, 120_000);
afterAll(() => {
  server?.remove();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number): Promise<void> =>
  new Promise(resolve => setTimeout(resolve, ms));

async function expectSumsEqualRows(url: string, step: string): Promise<void> {
  const coalesced = DIMS.split(', ')
    .map(c => `coalesce(${c}, '') AS ${c}`)
    .join(', ');
  const fromRows = await pgQuery(
    url,
    `SELECT (time_ms - time_ms % ${DAY})::text AS day, ${coalesced},
       count(*)::text AS calls, count(*) FILTER (WHERE total_nusd IS NULL)::text AS unpriced,
       coalesce(sum(input_tokens), 0)::text AS itok, coalesce(sum(output_tokens), 0)::text AS otok,
       coalesce(sum(total_nusd), 0)::text AS nusd, min(time_ms)::text AS first, max(time_ms)::text AS last
     FROM llm_calls GROUP BY 1, ${DIMS.split(', ')
       .map((_, i) => i + 2)
       .join(', ')} ORDER BY 1, 2, 3, 4, 5, 6, 7, 8`,
  );
  const fromSums = await pgQuery(
    url,
    `SELECT day_ms::text AS day, ${DIMS}, calls::text, unpriced_calls::text AS unpriced,
       input_tokens::text AS itok, output_tokens::text AS otok, total_nusd::text AS nusd,
       first_ms::text AS first, last_ms::text AS last
     FROM llm_calls_daily ORDER BY 1, 2, 3, 4, 5, 6, 7, 8`,
  );
  expect(fromSums, step).toEqual(fromRows);
}

describe.runIf(postgresBinary() !== undefined)(
  'PostgreSQL crash, forget and retention: daily sums equal the rows',
  () => {
    it('group by group after the crash, the replay, forget and a drop', async () => {
      const s = server as PostgresServer;
      const url = s.createDatabase('crash');
      const spill = join(dir, 'crash.jsonl');
      const ledger = new CostLedger({
        url,
        spillFile: spill,
        maxRetrySeconds: 1,
        flushIntervalSeconds: 0.05,
      });
      await ledger.ready();
      const keys = 4000;
      // Two days apart: the first one is dropped by retention at the end.
      const now = Date.now();
      const at = (n: number) => {
        const r = keyedRecord(n);
        const shift = n % 2 === 0 ? 0 : -3 * DAY;
        return {
          ...r,
          call: { ...r.call, startTimeMillis: now + shift + (n % 1000) },
        };
      };
      for (let n = 0; n < keys / 2; n += 1) ledger.record(at(n));
      const inFlight = ledger.forceFlush();
      await sleep(3);
      s.stop('immediate');
      await inFlight;
      for (let n = keys / 2; n < keys; n += 1) {
        ledger.record(at(n));
        if (n % 7 === 0) ledger.record(at(n - keys / 2)); // redelivered
      }
      await ledger.forceFlush();
      s.start();
      for (let i = 0; i < 100; i += 1) {
        await ledger.forceFlush();
        if (!existsSync(spill) && !existsSync(`${spill}.replay`)) break;
        await sleep(100);
      }
      await ledger.shutdown();
      expect(ledger.stats.spilled).toBeGreaterThan(0);
      expect(ledger.stats.replayed).toBe(ledger.stats.spilled);
      const [count] = await pgQuery(
        url,
        'SELECT count(*)::int AS n, sum(total_nusd)::text AS s FROM llm_calls',
      );
      let nusd = 0n;
      for (let n = 0; n < keys; n += 1) nusd += BigInt(nanoUsdOf(n));
      expect(count).toEqual({ n: keys, s: nusd.toString() });
      await expectSumsEqualRows(url, 'after the crash and the replay');
      const store = await openLedgerStore(url);
      try {
        const forgotten = await forgetUser(store, 'u-3');
        expect(forgotten.deleted).toBe(keys / 5);
        await expectSumsEqualRows(url, 'after forget');
        await pruneLedger(store, 2);
        await expectSumsEqualRows(url, 'after retention');
        const [left] = await pgQuery(
          url,
          'SELECT count(*)::int AS n FROM llm_calls',
        );
        // Even keys (today) minus user u-3's (n % 5 === 3) among them.
        expect(left).toEqual({ n: keys / 2 - keys / 10 });
      } finally {
        await store.close();
      }
    }, 90_000);
  },
);

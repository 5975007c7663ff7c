import { diag } from '@opentelemetry/api';
import fc from 'fast-check';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CostLedger } from '../../../src/ledger/cost-ledger.js';
import {
  postgresBinary,
  startPostgresServer,
  type PostgresServer,
} from '../../helpers/postgres-server.js';
import { keyedRecord, nanoUsdOf } from '../ledger-records.js';
import { pgQuery, totals } from './pg-fixture.js';

type Step =
  | { readonly kind: 'record'; readonly key: number }
  | { readonly kind: 'flush' }
  | { readonly kind: 'kill' }
  | { readonly kind: 'restart' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.nat(60).map(key => ({ kind: 'record' as const, key })),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'flush' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'kill' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
);

let server: PostgresServer | undefined;
let dir = '';
beforeAll(async () => {
  diag.disable();
  server = await startPostgresServer();
  dir = mkdtempSync(join(tmpdir(), 'ledger-pg-prop-'));
}, 120_000);
afterAll(() => {
  server?.remove();
  rmSync(dir, { recursive: true, force: true });
});

describe.runIf(postgresBinary() !== undefined)(
  'CostLedger on PostgreSQL, idempotence (generated)',
  () => {
    it('records, redeliveries, connections killed mid-write and restarts: one row per distinct key, exact totals and daily sums', async () => {
      const url = (server as PostgresServer).createDatabase('prop');
      const first = new CostLedger({ url, spillFile: join(dir, 'first') });
      await first.ready(); // the schema
      await first.shutdown();
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(step, { maxLength: 60 }),
          fc.integer({ min: 1, max: 7 }),
          async (steps, batchRows) => {
            run += 1;
            await pgQuery(url, 'TRUNCATE llm_calls, llm_calls_daily');
            const spill = join(dir, `run-${run}.jsonl`);
            const open = (): CostLedger =>
              new CostLedger({
                url,
                spillFile: spill,
                batchRows,
                maxRetrySeconds: 1,
                flushIntervalSeconds: 3600,
              });
            let ledger = open();
            const keys = new Set<number>();
            for (const s of steps) {
              if (s.kind === 'record') {
                keys.add(s.key);
                ledger.record(keyedRecord(s.key));
              } else if (s.kind === 'flush') {
                await ledger.forceFlush();
              } else if (s.kind === 'kill') {
                // Kills the ledger's connections, a write possibly in flight.
                const flushing = ledger.forceFlush();
                await pgQuery(
                  url,
                  "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'otel-genai-cost ledger'",
                );
                await flushing;
              } else {
                await ledger.shutdown();
                ledger = open();
              }
            }
            for (let i = 0; i < 20; i += 1) {
              await ledger.forceFlush();
              if (!existsSync(spill) && !existsSync(`${spill}.replay`)) break;
            }
            await ledger.shutdown();
            let nusd = 0n;
            for (const key of keys) nusd += BigInt(nanoUsdOf(key));
            expect(await totals(url)).toEqual({ rows: keys.size, nusd });
            const [sums] = await pgQuery(
              url,
              'SELECT coalesce(sum(calls), 0)::int AS calls, coalesce(sum(total_nusd), 0) AS nusd FROM llm_calls_daily',
            );
            expect(sums).toEqual({ calls: keys.size, nusd: String(nusd) });
          },
        ),
        { numRuns: 25 },
      );
    }, 120_000);
  },
);

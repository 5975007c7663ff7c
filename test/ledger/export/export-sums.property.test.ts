/**
 * Generated ledgers (customers, days, amounts, unpriced calls, rows
 * arriving late between two runs): what OpenMeter bills equals the
 * ledger, per customer to the nano-dollar (`cost_nusd`) and per
 * customer-day to the rounded micro-dollar (the meter value); a third run
 * sends nothing; every key is distinct.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportUsage } from '../../../src/ledger/export/run-export.js';
import { startFakeOpenMeterServer } from '../../helpers/fake-openmeter-server.js';
import {
  NOW,
  expectedDaily,
  micro,
  tempLedger,
  type CallSpec,
} from './export-fixture.js';

const DAYS = ['2026-11-03', '2026-11-04', '2026-11-28', '2026-11-29'];
const call: fc.Arbitrary<CallSpec> = fc.record({
  day: fc.constantFrom(...DAYS),
  tenant: fc.constantFrom('a', 'b', 'c=cmd', 'd,"x"', null),
  input: fc.oneof(
    fc.integer({ min: 0, max: 5 }),
    fc.integer({ min: 0, max: 2_000_000 }),
  ),
  output: fc.oneof(
    fc.integer({ min: 0, max: 5 }),
    fc.integer({ min: 0, max: 200_000 }),
  ),
  priced: fc.integer({ min: 0, max: 9 }).map(n => n < 8),
  offsetMillis: fc.integer({ min: 0, max: 86_399_999 }),
});

describe('export sums (generated ledgers)', () => {
  it('billed = ledger, per customer and per customer-day, with late rows between runs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(call, { maxLength: 25 }),
        fc.array(call, { maxLength: 10 }),
        async (early, late) => {
          const ledger = await tempLedger();
          const server = await startFakeOpenMeterServer({ now: () => NOW });
          try {
            const options = {
              store: ledger.store,
              to: 'openmeter' as const,
              period: '2026-11',
              customers: { kind: 'prefix' as const, prefix: 'org:' },
              endpoint: server.endpoint,
              now: () => NOW,
            };
            await ledger.add(early);
            expect((await exportUsage(options)).failure).toBeUndefined();
            await ledger.add(late);
            expect((await exportUsage(options)).failure).toBeUndefined();
            expect((await exportUsage(options)).events).toEqual([]);

            const nano = new Map<string, number>();
            const value = new Map<string, number>();
            for (const event of server.state.billed) {
              const body = event.body as {
                subject: string;
                data: { cost_nusd: number; day: string };
              };
              const id = `${body.subject.slice('org:'.length)}|${body.data.day}`;
              nano.set(id, (nano.get(id) ?? 0) + body.data.cost_nusd);
              value.set(id, (value.get(id) ?? 0) + event.value);
            }
            const expected = new Map(
              [...expectedDaily([...early, ...late])].filter(([, n]) => n > 0),
            );
            expect(nano).toEqual(expected);
            expect(value).toEqual(
              new Map([...expected].map(([id, n]) => [id, micro(n)])),
            );
            const keys = server.state.billed.map(e => e.key);
            expect(new Set(keys).size).toBe(keys.length);
          } finally {
            await server.close();
            await ledger.close();
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});

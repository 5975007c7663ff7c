/**
 * `ledger.query(...)` behind a real `CostSpanProcessor`: it writes what is
 * queued first, its totals equal the spans' `gen_ai.usage.cost` to the
 * micro-dollar (and the published gpt-4o-mini rates); `openLedgerReader`
 * reads the same file without creating one that is missing.
 */
import fc from 'fast-check';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LedgerQueryError } from '../../../src/entries/core.js';
import {
  LedgerConfigError,
  openLedgerReader,
  withAttribution,
} from '../../../src/index.js';
import { chatSpan } from '../../helpers/chat-span.js';
import { GPT_4O_MINI } from '../../helpers/prices.js';
import {
  ledgerTracing,
  sqliteLedger,
  tempLedgerDir,
  type TempDir,
} from '../ledger-fixture.js';

let dir: TempDir | undefined;
afterEach(() => {
  dir?.remove();
  dir = undefined;
});

/** gpt-4o-mini at the published $0.15 / $0.60 per million tokens, in USD. */
const miniUsd = (input: number, output: number): number =>
  (input * GPT_4O_MINI.input + output * (GPT_4O_MINI.output as number)) / 1e6;

describe('CostLedger.query', () => {
  it('generated calls: per-tenant and per-user totals equal the spans’ costs (and published rates) to the micro-dollar, queued rows included', async () => {
    const call = fc.record({
      user: fc.constantFrom('u-1', 'u-2', 'u-3', 'u-4'),
      tenant: fc.constantFrom('t-a', 't-b', 't-c'),
      input: fc.integer({ min: 1, max: 200_000 }),
      output: fc.integer({ min: 0, max: 20_000 }),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(call, { minLength: 1, maxLength: 40 }),
        async calls => {
          run += 1;
          const d = tempLedgerDir();
          // No timer flush during the test: only query() can write the queue.
          const ledger = sqliteLedger(d.db, {
            flushIntervalSeconds: 3600,
            batchRows: 10_000,
          });
          const tracing = ledgerTracing({ sinks: [ledger] }, run);
          try {
            for (const c of calls) {
              withAttribution({ userId: c.user, tenantId: c.tenant }, () =>
                chatSpan(tracing.tracer, { input: c.input, output: c.output }),
              );
            }
            expect(ledger.stats.written).toBe(0); // still queued
            const byTenant = await ledger.query({ by: 'tenant' });
            const spans = await tracing.spans();
            expect(byTenant.reduce((a, r) => a + r.calls, 0)).toBe(
              calls.length,
            );
            const spanUsd = new Map<string, number>();
            for (const span of spans) {
              const tenant = span.attributes['tenant.id'] as string;
              const cost = span.attributes['gen_ai.usage.cost'] as number;
              spanUsd.set(tenant, (spanUsd.get(tenant) ?? 0) + cost);
            }
            const published = new Map<string, number>();
            for (const c of calls) {
              published.set(
                c.tenant,
                (published.get(c.tenant) ?? 0) + miniUsd(c.input, c.output),
              );
            }
            for (const row of byTenant) {
              const tenant = row.key as string;
              expect(
                Math.abs(row.spendUsd - (spanUsd.get(tenant) ?? NaN)),
              ).toBeLessThan(1e-6);
              expect(
                Math.abs(row.spendUsd - (published.get(tenant) ?? NaN)),
              ).toBeLessThan(1e-6);
              expect(row.tenant).toBe(tenant);
              expect(row.topModel).toBe('gpt-4o-mini');
            }
            const byUser = await ledger.query({ by: 'user', tenantId: 't-a' });
            const expectedUsers = new Set(
              calls.filter(c => c.tenant === 't-a').map(c => c.user),
            );
            expect(new Set(byUser.map(r => r.key))).toEqual(expectedUsers);
          } finally {
            await tracing.shutdown();
            await ledger.shutdown();
            d.remove();
          }
        },
      ),
      { numRuns: 12 },
    );
  });

  it('a bad query is a LedgerQueryError and the next query still works; after shutdown it rejects; the reader sees the same rows', async () => {
    dir = tempLedgerDir();
    const ledger = sqliteLedger(dir.db);
    const tracing = ledgerTracing({ sinks: [ledger] });
    withAttribution({ userId: 'u-1', tenantId: 't-a' }, () =>
      chatSpan(tracing.tracer, { input: 1000, output: 100 }),
    );
    await tracing.spans();
    await expect(ledger.query({ by: 'week' as never })).rejects.toThrow(
      LedgerQueryError,
    );
    await expect(ledger.query({ by: 'user', top: 0 })).rejects.toThrow(
      /top must be a whole number/,
    );
    await expect(
      ledger.query({ by: 'user', since: new Date('x') }),
    ).rejects.toThrow(/since must be a valid Date/);
    const rows = await ledger.query({ by: 'user' });
    // 1000 x $0.15/M + 100 x $0.60/M = $0.00015 + $0.00006
    expect(rows.map(r => [r.key, r.tenant, r.spendUsd, r.calls])).toEqual([
      ['u-1', 't-a', 0.00021, 1],
    ]);
    await tracing.shutdown();
    await ledger.shutdown();
    await expect(ledger.query({ by: 'user' })).rejects.toThrow(
      /after shutdown/,
    );

    const reader = await openLedgerReader(`sqlite:${dir.db}`);
    try {
      expect(await reader.query({ by: 'user' })).toEqual(rows);
    } finally {
      await reader.close();
    }
    const missing = join(dir.dir, 'nope', 'ledger.db');
    await expect(openLedgerReader(`sqlite:${missing}`)).rejects.toThrow(
      LedgerConfigError,
    );
    expect(existsSync(missing)).toBe(false);
    await expect(openLedgerReader('mysql://u:secret@h/db')).rejects.toThrow(
      /unsupported scheme mysql:/,
    );
  });
});

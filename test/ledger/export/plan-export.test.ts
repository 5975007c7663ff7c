/** The plan (pure): what the outbox already holds against what the ledger holds now. */
import { describe, expect, it } from 'vitest';
import type { DailyUsage } from '../../../src/ledger/export/aggregate-usage.js';
import type { OutboxEntry } from '../../../src/ledger/export/billing-outbox.js';
import { STRIPE_DESTINATION } from '../../../src/ledger/export/destinations/stripe-destination.js';
import { planExport } from '../../../src/ledger/export/plan-export.js';

const NOW = Date.UTC(2026, 10, 30, 12);

function usage(
  customer: string | null,
  day: string,
  costNanoUsd: number,
): DailyUsage {
  return {
    customer,
    day,
    calls: 1,
    unpricedCalls: 0,
    costNanoUsd,
    inputTokens: 1,
    outputTokens: 1,
  };
}

function sent(
  customer: string,
  day: string,
  totalNanoUsd: number,
  status: OutboxEntry['status'] = 'confirmed',
  attemptedMillis: number | null = NOW - 60_000,
): OutboxEntry {
  return {
    destination: 'stripe',
    key: `k-${customer}-${day}-${totalNanoUsd}`,
    meter: 'm',
    by: 'tenant',
    customer,
    day,
    totalNanoUsd,
    totalValue: Math.floor((totalNanoUsd + 500) / 1000),
    totalCalls: 1,
    totalInputTokens: 1,
    totalOutputTokens: 1,
    vendorCustomer: `cus_${customer}`,
    body: 'b',
    status,
    createdMillis: NOW - 120_000,
    attemptedMillis,
    attempts: 1,
  };
}

const plan = (
  u: DailyUsage[],
  o: OutboxEntry[],
  resendStalePending = false,
): ReturnType<typeof planExport> =>
  planExport({
    destination: 'stripe',
    rules: STRIPE_DESTINATION,
    meter: 'm',
    by: 'tenant',
    customers: { kind: 'prefix', prefix: 'cus_' },
    usage: u,
    outbox: o,
    nowMillis: NOW,
    resendStalePending,
  });

describe('planExport', () => {
  it('sends the increase since the last event, valued so the micro-dollars add up to the rounded total', () => {
    // $0.0014996 sent (1,500 µ$ rounded), now $0.0030004: 1,500 µ$ more makes 3,000.
    const p = plan(
      [usage('a', '2026-11-20', 3_000_400)],
      [sent('a', '2026-11-20', 1_499_600)],
    );
    expect(p.events).toHaveLength(1);
    expect(p.events[0]).toMatchObject({
      costNanoUsd: 1_500_800,
      valueMicroUsd: 1_500,
      totalValue: 3_000,
    });
  });

  it('reports a customer-day the ledger now holds less of, or none of, and sends nothing for it', () => {
    const p = plan(
      [usage('a', '2026-11-20', 100)],
      [sent('a', '2026-11-20', 5_000), sent('b', '2026-11-21', 7_000)],
    );
    expect(p.events).toEqual([]);
    expect(p.skipped.map(s => [s.customer, s.day, s.reason])).toEqual([
      ['a', '2026-11-20', 'below_sent'],
      ['b', '2026-11-21', 'below_sent'],
    ]);
  });

  it('re-sends a pending event as stored; past the window only when allowed; one never sent is always re-sent', () => {
    const fresh = sent('a', '2026-11-20', 5_000, 'pending');
    const old = sent('b', '2026-11-20', 5_000, 'pending', NOW - 24 * 3_600_000);
    const never = sent('c', '2026-11-20', 5_000, 'pending', null);
    const u = [
      usage('a', '2026-11-20', 5_000),
      usage('b', '2026-11-20', 5_000),
      usage('c', '2026-11-20', 5_000),
    ];
    const p = plan(u, [fresh, old, never]);
    expect(p.resend).toEqual([fresh, never]);
    expect(p.stalePending).toEqual([old]);
    expect(p.events).toEqual([]);
    expect(plan(u, [fresh, old, never], true).resend).toEqual([
      fresh,
      old,
      never,
    ]);
  });
});

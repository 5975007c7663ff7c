import type { DailyUsage, ExportCustomerBy } from './aggregate-usage.js';
import type { OutboxEntry } from './billing-outbox.js';
import { mapCustomer, type CustomerMap } from './customer-map.js';
import type { ExportDestination } from './destinations/export-destination.js';
import { microUsdOf, type ExportEvent } from './export-event.js';
import { dayStartMillis } from './export-period.js';
import { eventKey } from './idempotency-key.js';

/** Why a customer-day's usage is not sent. */
export type SkipReason =
  /** Calls without a tenant (or user) id: nobody to bill. */
  | 'no_customer'
  /** The customer map has no id for this customer. */
  | 'unmapped'
  /**
   * The ledger now holds less than was already sent (rows deleted or
   * dropped by retention): never sent as a negative; fix it at the vendor.
   */
  | 'below_sent';

export interface SkippedUsage {
  readonly customer: string | null;
  readonly day: string;
  readonly reason: SkipReason;
  readonly costNanoUsd: number;
  readonly calls: number;
}

export interface UnpricedUsage {
  readonly customer: string | null;
  readonly day: string;
  readonly unpricedCalls: number;
}

/** What one run does, decided before anything is sent. */
export interface ExportPlan {
  /** Pending events (sent before, never confirmed), re-sent as stored. */
  readonly resend: readonly OutboxEntry[];
  /** Pending events past the vendor's dedupe window: not re-sent unless allowed. */
  readonly stalePending: readonly OutboxEntry[];
  /** New events: the whole day, or the increase since the last event. */
  readonly events: readonly ExportEvent[];
  /** Customer-days the destination already has in full. */
  readonly upToDate: number;
  readonly skipped: readonly SkippedUsage[];
  readonly unpriced: readonly UnpricedUsage[];
}

export interface PlanInput {
  readonly destination: string;
  readonly rules: ExportDestination;
  readonly meter: string;
  readonly by: ExportCustomerBy;
  readonly customers: CustomerMap;
  readonly usage: readonly DailyUsage[];
  readonly outbox: readonly OutboxEntry[];
  readonly nowMillis: number;
  /** Re-send pending events even past the dedupe window. */
  readonly resendStalePending: boolean;
}

/** Safety margin before the end of a vendor's dedupe window. */
const WINDOW_MARGIN_MILLIS = 3_600_000;

/** Day, then customer in code-unit order (no locale), no customer first. */
export function byDayThenCustomer(
  a: { day: string; customer: string | null },
  b: { day: string; customer: string | null },
): number {
  if (a.day !== b.day) return a.day < b.day ? -1 : 1;
  const x = a.customer ?? '';
  const y = b.customer ?? '';
  return x === y ? 0 : x < y ? -1 : 1;
}

const slot = (customer: string, day: string): string =>
  JSON.stringify([customer, day]);

/**
 * Compares the ledger's usage with the outbox. Per customer-day: the
 * latest outbox event (pending or confirmed) says what the destination
 * has, or will have once its pending events land; if the ledger holds
 * more cost, one new event carries the increase under a new key (the key
 * includes the new total). Pure: the same input gives the same plan.
 */
export function planExport(input: PlanInput): ExportPlan {
  const latest = new Map<string, OutboxEntry>();
  const resend: OutboxEntry[] = [];
  const stalePending: OutboxEntry[] = [];
  const windowMillis = input.rules.dedupeWindowHours * 3_600_000;
  for (const entry of input.outbox) {
    const id = slot(entry.customer, entry.day);
    const before = latest.get(id);
    if (before === undefined || entry.totalNanoUsd > before.totalNanoUsd)
      latest.set(id, entry);
    if (entry.status !== 'pending') continue;
    const stale =
      entry.attemptedMillis !== null &&
      input.nowMillis - entry.attemptedMillis >
        windowMillis - WINDOW_MARGIN_MILLIS;
    (stale && !input.resendStalePending ? stalePending : resend).push(entry);
  }
  const events: ExportEvent[] = [];
  const skipped: SkippedUsage[] = [];
  const unpriced: UnpricedUsage[] = [];
  let upToDate = 0;
  const seen = new Set<string>();
  const usage = [...input.usage].sort(byDayThenCustomer);
  for (const day of usage) {
    if (day.unpricedCalls > 0) {
      unpriced.push({
        customer: day.customer,
        day: day.day,
        unpricedCalls: day.unpricedCalls,
      });
    }
    if (day.customer !== null) seen.add(slot(day.customer, day.day));
    if (day.costNanoUsd <= 0 && day.customer === null) continue;
    const skip = (reason: SkipReason): void => {
      skipped.push({
        customer: day.customer,
        day: day.day,
        reason,
        costNanoUsd: day.costNanoUsd,
        calls: day.calls,
      });
    };
    if (day.customer === null) {
      skip('no_customer');
      continue;
    }
    const vendorCustomer = mapCustomer(input.customers, day.customer);
    if (vendorCustomer === undefined) {
      if (day.costNanoUsd <= 0) continue;
      skip('unmapped');
      continue;
    }
    const last = latest.get(slot(day.customer, day.day));
    const sentNanoUsd = last?.totalNanoUsd ?? 0;
    if (day.costNanoUsd === sentNanoUsd) {
      if (last !== undefined) upToDate += 1;
      continue;
    }
    if (day.costNanoUsd < sentNanoUsd) {
      skip('below_sent');
      continue;
    }
    const totalValue = microUsdOf(day.costNanoUsd);
    events.push({
      destination: input.destination,
      meter: input.meter,
      by: input.by,
      customer: day.customer,
      vendorCustomer,
      day: day.day,
      timestampSeconds: (dayStartMillis(day.day) as number) / 1000,
      key: eventKey({
        destination: input.destination,
        meter: input.meter,
        by: input.by,
        customer: day.customer,
        day: day.day,
        totalNanoUsd: day.costNanoUsd,
      }),
      valueMicroUsd: totalValue - (last?.totalValue ?? 0),
      costNanoUsd: day.costNanoUsd - sentNanoUsd,
      calls: Math.max(0, day.calls - (last?.totalCalls ?? 0)),
      inputTokens: Math.max(0, day.inputTokens - (last?.totalInputTokens ?? 0)),
      outputTokens: Math.max(
        0,
        day.outputTokens - (last?.totalOutputTokens ?? 0),
      ),
      totalNanoUsd: day.costNanoUsd,
      totalValue,
      totalCalls: day.calls,
      totalInputTokens: day.inputTokens,
      totalOutputTokens: day.outputTokens,
    });
  }
  // Customer-days sent before that have no priced usage left at all.
  for (const [id, entry] of latest) {
    if (seen.has(id)) continue;
    skipped.push({
      customer: entry.customer,
      day: entry.day,
      reason: 'below_sent',
      costNanoUsd: 0,
      calls: 0,
    });
  }
  return { resend, stalePending, events, upToDate, skipped, unpriced };
}

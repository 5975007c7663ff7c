import type { LedgerStore } from '../ledger-store.js';
import {
  aggregateDailyUsage,
  type ExportCustomerBy,
} from './aggregate-usage.js';
import {
  ensureOutbox,
  readOutbox,
  recordAttempt,
  recordConfirmed,
  recordPending,
  type OutboxEntry,
} from './billing-outbox.js';
import type { CustomerMap } from './customer-map.js';
import { destinationOf } from './destinations/destination-of.js';
import type { ExportTarget } from './destinations/export-destination.js';
import { ExportError } from './export-error.js';
import { checkEventAge, oldestEventMillis } from './check-event-age.js';
import { workOf, type ExportedEvent } from './export-work.js';
import { takeExportLease, type ExportLease } from './export-lease.js';
import {
  dayStartMillis,
  parseExportPeriod,
  splitClosedDays,
  type ExportPeriod,
} from './export-period.js';
import {
  planExport,
  type ExportPlan,
  type SkippedUsage,
  type UnpricedUsage,
} from './plan-export.js';
import {
  DEFAULT_RETRY_POLICY,
  sendEvent,
  type RetryPolicy,
} from './send-event.js';

export type { ExportedEvent } from './export-work.js';

export interface ExportUsageOptions {
  readonly store: LedgerStore;
  readonly to: ExportTarget;
  /** `YYYY-MM`, `YYYY-MM-DD..YYYY-MM-DD`, or a parsed period. */
  readonly period: string | ExportPeriod;
  /** Default `tenant`. */
  readonly by?: ExportCustomerBy;
  /** How ledger ids become the vendor's customer ids (required). */
  readonly customers: CustomerMap;
  /** Outbox name of the destination (default: `to`); one per vendor account. */
  readonly destination?: string;
  /** Stripe event name, OpenMeter event type, Lago metric code. */
  readonly meter?: string;
  /** Default: the vendor's public API. */
  readonly endpoint?: string;
  /** Sent as `Authorization: Bearer`; never printed. */
  readonly apiKey?: string;
  /** Build and return the requests; send nothing, write nothing. */
  readonly dryRun?: boolean;
  /** Re-send pending events older than the vendor's dedupe window. */
  readonly resendStalePending?: boolean;
  readonly retry?: Partial<RetryPolicy>;
  /** Clock (tests). */
  readonly now?: () => number;
}

export interface ExportUsageReport {
  readonly to: ExportTarget;
  readonly destination: string;
  readonly meter: string;
  readonly by: ExportCustomerBy;
  readonly dryRun: boolean;
  /** Days read (ended UTC days of the period). */
  readonly days: readonly string[];
  /** Days of the period not ended yet: left for a later run. */
  readonly openDays: readonly string[];
  readonly events: readonly ExportedEvent[];
  readonly upToDate: number;
  readonly skipped: readonly SkippedUsage[];
  readonly unpriced: readonly UnpricedUsage[];
  /** Pending events past the dedupe window, not re-sent (see docs). */
  readonly stalePending: readonly {
    key: string;
    customer: string;
    day: string;
  }[];
  /** Set when the run stopped on an event; the events before it were delivered. */
  readonly failure?: string;
}

/** Outbox rows, or none in a dry run over a ledger that never exported. */
async function outboxOf(
  store: LedgerStore,
  scope: Parameters<typeof readOutbox>[1],
  days: readonly string[],
  dryRun: boolean,
): Promise<OutboxEntry[]> {
  if (!dryRun) {
    await ensureOutbox(store);
    return readOutbox(store, scope, days);
  }
  try {
    return await readOutbox(store, scope, days);
  } catch (error) {
    if (/no such table|does not exist/i.test((error as Error).message))
      return [];
    throw error;
  }
}

/**
 * Exports usage per customer per ended UTC day to Stripe, OpenMeter or
 * Lago, once: each event is written to the outbox as pending, sent, then
 * marked confirmed. Refuses before sending anything when a key is missing
 * or (Stripe) an event would be older than the vendor accepts. Stops at
 * the first event a destination refuses (`failure`).
 */
export async function exportUsage(
  options: ExportUsageOptions,
): Promise<ExportUsageReport> {
  const rules = destinationOf(options.to);
  const now = options.now ?? Date.now;
  const destination = options.destination ?? options.to;
  const dryRun = options.dryRun === true;
  if (!dryRun && rules.keyRequired && options.apiKey === undefined) {
    throw new ExportError(
      `${options.to}: no API key (set ${rules.keyVariable} or --api-key)`,
    );
  }
  const period =
    typeof options.period === 'string'
      ? parseExportPeriod(options.period)
      : options.period;
  const { closed, open } = splitClosedDays(period, now());
  const lease = dryRun
    ? undefined
    : await takeExportLease(options.store, destination, now());
  try {
    return await exportDays(options, { closed, open, lease });
  } finally {
    await lease?.release();
  }
}

async function exportDays(
  options: ExportUsageOptions,
  days: {
    closed: string[];
    open: string[];
    lease: ExportLease | undefined;
  },
): Promise<ExportUsageReport> {
  const rules = destinationOf(options.to);
  const now = options.now ?? Date.now;
  const by = options.by ?? 'tenant';
  const destination = options.destination ?? options.to;
  const meter = options.meter ?? rules.defaultMeter;
  const dryRun = options.dryRun === true;
  const endpoint = options.endpoint ?? rules.defaultEndpoint;
  const retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const { closed, open, lease } = days;
  const scope = { destination, meter, by };
  const planDay = async (
    day: string,
  ): Promise<{ plan: ExportPlan; outbox: OutboxEntry[] }> => {
    const usage = await aggregateDailyUsage(options.store, by, [day]);
    const outbox = await outboxOf(options.store, scope, [day], dryRun);
    const plan = planExport({
      destination,
      rules,
      meter,
      by,
      customers: options.customers,
      usage,
      outbox,
      nowMillis: now(),
      resendStalePending: options.resendStalePending === true,
    });
    return { plan, outbox };
  };
  // Days past the vendor's limit are planned first: anything to send there
  // stops the run before its first request.
  const oldest = oldestEventMillis(rules.maxEventAgeSeconds, now());
  const tooOld: ExportPlan[] = [];
  for (const day of closed) {
    if (oldest !== undefined && (dayStartMillis(day) as number) < oldest)
      tooOld.push((await planDay(day)).plan);
  }
  checkEventAge(options.to, rules.maxEventAgeSeconds, tooOld);
  const report = {
    to: options.to,
    destination,
    meter,
    by,
    dryRun,
    days: closed,
    openDays: open,
    upToDate: 0,
    skipped: [] as SkippedUsage[],
    unpriced: [] as UnpricedUsage[],
    stalePending: [] as { key: string; customer: string; day: string }[],
    events: [] as ExportedEvent[],
  };
  // One day at a time: memory holds one day's customers, not the period's.
  for (const day of closed) {
    const { plan, outbox } = await planDay(day);
    report.upToDate += plan.upToDate;
    report.skipped.push(...plan.skipped);
    report.unpriced.push(...plan.unpriced);
    for (const e of plan.stalePending)
      report.stalePending.push({
        key: e.key,
        customer: e.customer,
        day: e.day,
      });
    for (const { entry, event } of workOf(plan, outbox, rules, now())) {
      const request = rules.request(endpoint, entry.body);
      if (dryRun) {
        report.events.push({ ...event, request });
        continue;
      }
      try {
        // Still ours (a stalled run's lease may have lapsed): else stop here.
        await lease?.renew(now());
        if (event.kind === 'new') await recordPending(options.store, entry);
        const delivery = await sendEvent(
          rules,
          request,
          options.apiKey,
          retry,
          () => recordAttempt(options.store, destination, entry.key, now()),
        );
        await recordConfirmed(options.store, destination, entry.key, now());
        report.events.push({ ...event, outcome: delivery.verdict });
      } catch (error) {
        if (!(error instanceof ExportError)) throw error;
        return { ...report, failure: error.message };
      }
    }
  }
  return report;
}

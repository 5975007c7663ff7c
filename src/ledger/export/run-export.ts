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
import type {
  ExportRequest,
  ExportTarget,
} from './destinations/export-destination.js';
import { ExportError } from './export-error.js';
import type { ExportEvent } from './export-event.js';
import {
  parseExportPeriod,
  splitClosedDays,
  type ExportPeriod,
} from './export-period.js';
import {
  planExport,
  type SkippedUsage,
  type UnpricedUsage,
} from './plan-export.js';
import {
  DEFAULT_RETRY_POLICY,
  sendEvent,
  type RetryPolicy,
} from './send-event.js';

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

/** One event of the run: sent, found already delivered, or (dry run) to send. */
export interface ExportedEvent {
  readonly key: string;
  readonly customer: string;
  readonly vendorCustomer: string;
  readonly day: string;
  /** Micro-dollars (the meter value) and exact nano-dollars this event adds. */
  readonly valueMicroUsd: number;
  readonly costNanoUsd: number;
  /** `resent`: a pending event of an earlier run, re-sent with its key. */
  readonly kind: 'new' | 'resent';
  readonly outcome: 'accepted' | 'duplicate' | 'dry_run';
  /** The request (dry run), headers without the key. */
  readonly request?: ExportRequest;
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

function costOfEntry(entry: OutboxEntry, all: readonly OutboxEntry[]): number {
  const before = all
    .filter(
      e =>
        e.customer === entry.customer &&
        e.day === entry.day &&
        e.totalNanoUsd < entry.totalNanoUsd,
    )
    .reduce((max, e) => Math.max(max, e.totalNanoUsd), 0);
  return entry.totalNanoUsd - before;
}

function valueOfEntry(entry: OutboxEntry, all: readonly OutboxEntry[]): number {
  const before = all
    .filter(
      e =>
        e.customer === entry.customer &&
        e.day === entry.day &&
        e.totalNanoUsd < entry.totalNanoUsd,
    )
    .reduce((max, e) => Math.max(max, e.totalValue), 0);
  return entry.totalValue - before;
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
  const by = options.by ?? 'tenant';
  const destination = options.destination ?? options.to;
  const meter = options.meter ?? rules.defaultMeter;
  const dryRun = options.dryRun === true;
  const endpoint = options.endpoint ?? rules.defaultEndpoint;
  const retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
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
  const scope = { destination, meter, by };
  const usage = await aggregateDailyUsage(options.store, by, closed);
  const outbox = await outboxOf(options.store, scope, closed, dryRun);
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
  checkEventAge(options.to, rules.maxEventAgeSeconds, plan, now());
  const base = {
    to: options.to,
    destination,
    meter,
    by,
    dryRun,
    days: closed,
    openDays: open,
    upToDate: plan.upToDate,
    skipped: plan.skipped,
    unpriced: plan.unpriced,
    stalePending: plan.stalePending.map(e => ({
      key: e.key,
      customer: e.customer,
      day: e.day,
    })),
  };
  const work: { entry: OutboxEntry; event: ExportedEvent }[] = [
    ...plan.resend.map(entry => ({
      entry,
      event: {
        key: entry.key,
        customer: entry.customer,
        vendorCustomer: entry.vendorCustomer,
        day: entry.day,
        valueMicroUsd: valueOfEntry(entry, outbox),
        costNanoUsd: costOfEntry(entry, outbox),
        kind: 'resent' as const,
        outcome: 'dry_run' as const,
      },
    })),
    ...plan.events.map(event => ({
      entry: entryOf(event, rules.body(event), now()),
      event: eventOf(event),
    })),
  ];
  const events: ExportedEvent[] = [];
  for (const { entry, event } of work) {
    const request = rules.request(endpoint, entry.body);
    if (dryRun) {
      events.push({ ...event, request });
      continue;
    }
    try {
      if (event.kind === 'new') await recordPending(options.store, entry);
      const delivery = await sendEvent(
        rules,
        request,
        options.apiKey,
        retry,
        () => recordAttempt(options.store, destination, entry.key, now()),
      );
      await recordConfirmed(options.store, destination, entry.key, now());
      events.push({ ...event, outcome: delivery.verdict });
    } catch (error) {
      if (!(error instanceof ExportError)) throw error;
      return { ...base, events, failure: error.message };
    }
  }
  return { ...base, events };
}

function eventOf(event: ExportEvent): ExportedEvent {
  return {
    key: event.key,
    customer: event.customer,
    vendorCustomer: event.vendorCustomer,
    day: event.day,
    valueMicroUsd: event.valueMicroUsd,
    costNanoUsd: event.costNanoUsd,
    kind: 'new',
    outcome: 'dry_run',
  };
}

function entryOf(
  event: ExportEvent,
  body: string,
  nowMillis: number,
): OutboxEntry {
  return {
    destination: event.destination,
    key: event.key,
    meter: event.meter,
    by: event.by,
    customer: event.customer,
    day: event.day,
    totalNanoUsd: event.totalNanoUsd,
    totalValue: event.totalValue,
    totalCalls: event.totalCalls,
    totalInputTokens: event.totalInputTokens,
    totalOutputTokens: event.totalOutputTokens,
    vendorCustomer: event.vendorCustomer,
    body,
    status: 'pending',
    createdMillis: nowMillis,
    attemptedMillis: null,
    attempts: 0,
  };
}

/** Stripe refuses events older than 35 days: say so before sending any. */
function checkEventAge(
  target: ExportTarget,
  maxAgeSeconds: number | undefined,
  plan: ReturnType<typeof planExport>,
  nowMillis: number,
): void {
  if (maxAgeSeconds === undefined) return;
  // An hour's margin: the run itself takes time.
  const oldest = nowMillis / 1000 - maxAgeSeconds + 3600;
  const days = new Set<string>();
  for (const event of plan.events)
    if (event.timestampSeconds < oldest) days.add(event.day);
  for (const entry of plan.resend)
    if (Date.parse(`${entry.day}T00:00:00Z`) / 1000 < oldest)
      days.add(entry.day);
  if (days.size === 0) return;
  const list = [...days].sort();
  throw new ExportError(
    `${target} takes events up to ${maxAgeSeconds / 86_400} days old; ${list.length} day(s) of this export are older (${list[0]}${list.length > 1 ? ` to ${list[list.length - 1]}` : ''}): nothing was sent. Export a more recent period, or those days with --to csv`,
  );
}

import type { OutboxEntry } from './billing-outbox.js';
import type {
  ExportDestination,
  ExportRequest,
} from './destinations/export-destination.js';
import type { ExportEvent } from './export-event.js';
import type { ExportPlan } from './plan-export.js';

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

/** An event to send and the outbox row that guards it. */
export interface ExportWork {
  readonly entry: OutboxEntry;
  readonly event: ExportedEvent;
}

/** The plan as a list to send: pending events first (as stored), then new ones. */
export function workOf(
  plan: ExportPlan,
  outbox: readonly OutboxEntry[],
  rules: ExportDestination,
  nowMillis: number,
): ExportWork[] {
  return [
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
      entry: entryOf(event, rules.body(event), nowMillis),
      event: eventOf(event),
    })),
  ];
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

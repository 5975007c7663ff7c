import type { LedgerSqlParam, LedgerStore } from '../ledger-store.js';
import type { ExportCustomerBy } from './aggregate-usage.js';
import { toSafeInteger } from './aggregate-usage.js';

/**
 * The outbox: one row per event ever meant for a destination, keyed by
 * (destination, idempotency key). A row is written `pending` before its
 * request leaves and turned `confirmed` once the destination accepted it
 * (or answered that it already had it). The same text in both dialects
 * (`BIGINT` is an integer in SQLite too).
 */
export const OUTBOX_DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS billing_outbox (
    destination TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    meter TEXT NOT NULL,
    customer_by TEXT NOT NULL,
    customer TEXT NOT NULL,
    day TEXT NOT NULL,
    total_nusd BIGINT NOT NULL,
    total_value BIGINT NOT NULL,
    total_calls BIGINT NOT NULL,
    total_input_tokens BIGINT NOT NULL,
    total_output_tokens BIGINT NOT NULL,
    vendor_customer TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    attempted_ms BIGINT,
    attempts INTEGER NOT NULL DEFAULT 0,
    confirmed_ms BIGINT,
    PRIMARY KEY (destination, idempotency_key)
  )`,
  `CREATE INDEX IF NOT EXISTS billing_outbox_customer_day
    ON billing_outbox (destination, meter, customer_by, customer, day)`,
];

export type OutboxStatus = 'pending' | 'confirmed';

/** One event in the outbox. Totals are the customer-day's after this event. */
export interface OutboxEntry {
  readonly destination: string;
  readonly key: string;
  readonly meter: string;
  readonly by: ExportCustomerBy;
  /** The ledger's tenant or user id. */
  readonly customer: string;
  readonly day: string;
  readonly totalNanoUsd: number;
  /** The meter value sent so far, in micro-dollars, this event included. */
  readonly totalValue: number;
  readonly totalCalls: number;
  readonly totalInputTokens: number;
  readonly totalOutputTokens: number;
  /** The destination's customer id the event was addressed to. */
  readonly vendorCustomer: string;
  /** The request body, re-sent byte for byte while pending. */
  readonly body: string;
  readonly status: OutboxStatus;
  readonly createdMillis: number;
  /** Last time the request was sent; null: never sent yet. */
  readonly attemptedMillis: number | null;
  readonly attempts: number;
}

/** Creates the outbox table and index if missing. */
export async function ensureOutbox(store: LedgerStore): Promise<void> {
  for (const sql of OUTBOX_DDL) await store.execute(sql);
}

function entryOf(row: Record<string, unknown>): OutboxEntry {
  const int = (name: string): number => toSafeInteger(row[name], name);
  return {
    destination: String(row['destination']),
    key: String(row['idempotency_key']),
    meter: String(row['meter']),
    by: String(row['customer_by']) as ExportCustomerBy,
    customer: String(row['customer']),
    day: String(row['day']),
    totalNanoUsd: int('total_nusd'),
    totalValue: int('total_value'),
    totalCalls: int('total_calls'),
    totalInputTokens: int('total_input_tokens'),
    totalOutputTokens: int('total_output_tokens'),
    vendorCustomer: String(row['vendor_customer']),
    body: String(row['body']),
    status: String(row['status']) as OutboxStatus,
    createdMillis: int('created_ms'),
    attemptedMillis: row['attempted_ms'] === null ? null : int('attempted_ms'),
    attempts: int('attempts'),
  };
}

/** The destination's events for this meter and customer kind on `days`. */
export async function readOutbox(
  store: LedgerStore,
  scope: { destination: string; meter: string; by: ExportCustomerBy },
  days: readonly string[],
): Promise<OutboxEntry[]> {
  if (days.length === 0) return [];
  const rows = await store.select(
    `SELECT * FROM billing_outbox
     WHERE destination = ? AND meter = ? AND customer_by = ?
       AND day >= ? AND day <= ?
     ORDER BY day, customer, total_nusd`,
    [
      scope.destination,
      scope.meter,
      scope.by,
      days[0] as string,
      days[days.length - 1] as string,
    ],
  );
  return rows.map(entryOf);
}

/** Writes a new event as pending (a key already there is left alone). */
export async function recordPending(
  store: LedgerStore,
  entry: OutboxEntry,
): Promise<void> {
  const params: LedgerSqlParam[] = [
    entry.destination,
    entry.key,
    entry.meter,
    entry.by,
    entry.customer,
    entry.day,
    entry.totalNanoUsd,
    entry.totalValue,
    entry.totalCalls,
    entry.totalInputTokens,
    entry.totalOutputTokens,
    entry.vendorCustomer,
    entry.body,
    entry.createdMillis,
  ];
  await store.execute(
    `INSERT INTO billing_outbox (destination, idempotency_key, meter,
       customer_by, customer, day, total_nusd, total_value, total_calls,
       total_input_tokens, total_output_tokens, vendor_customer, body,
       status, created_ms, attempts)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, 0)
     ON CONFLICT (destination, idempotency_key) DO NOTHING`,
    params,
  );
}

/** Notes that the request is about to leave (before it does). */
export async function recordAttempt(
  store: LedgerStore,
  destination: string,
  key: string,
  nowMillis: number,
): Promise<void> {
  await store.execute(
    `UPDATE billing_outbox SET attempts = attempts + 1, attempted_ms = ?
     WHERE destination = ? AND idempotency_key = ?`,
    [nowMillis, destination, key],
  );
}

/** The destination has the event. */
export async function recordConfirmed(
  store: LedgerStore,
  destination: string,
  key: string,
  nowMillis: number,
): Promise<void> {
  await store.execute(
    `UPDATE billing_outbox SET status = 'confirmed', confirmed_ms = ?
     WHERE destination = ? AND idempotency_key = ?`,
    [nowMillis, destination, key],
  );
}

import { createHash } from 'node:crypto';
import type { ExportCustomerBy } from './aggregate-usage.js';

/** What makes one exported event: the same inputs give the same key, run after run. */
export interface EventKeyInput {
  /** The outbox's destination name (`stripe`, or `--destination`). */
  readonly destination: string;
  /** Stripe event name, OpenMeter event type, Lago metric code. */
  readonly meter: string;
  readonly by: ExportCustomerBy;
  /** The ledger's tenant or user id (not the destination's id). */
  readonly customer: string;
  /** `YYYY-MM-DD` (UTC). */
  readonly day: string;
  /**
   * The customer-day's cost in nano-dollars after this event (the amount
   * version): the first event of a day carries its total, a correction
   * for late rows the new, higher total, so each gets its own key.
   */
  readonly totalNanoUsd: number;
}

/** Key format version: part of the hash, so a format change never reuses a key. */
export const EVENT_KEY_VERSION = 'otel-genai-cost/export/v1';

/**
 * `oge_` and the hex SHA-256 of the fields as a JSON array (68
 * characters: within Stripe's 100 for `identifier`). JSON keeps fields
 * apart whatever characters an id holds.
 */
export function eventKey(input: EventKeyInput): string {
  const text = JSON.stringify([
    EVENT_KEY_VERSION,
    input.destination,
    input.meter,
    input.by,
    input.customer,
    input.day,
    input.totalNanoUsd,
  ]);
  return `oge_${createHash('sha256').update(text).digest('hex')}`;
}

import type { ExportCustomerBy } from './aggregate-usage.js';

/**
 * One usage event for one customer-day: the increase since what the
 * destination was last sent for that day (the whole day the first time).
 * Money in the meter value is integer micro-dollars; the exact cost
 * travels along in nano-dollars where the destination takes properties.
 */
export interface ExportEvent {
  readonly destination: string;
  readonly meter: string;
  readonly by: ExportCustomerBy;
  /** The ledger's tenant or user id. */
  readonly customer: string;
  /** The destination's customer (Stripe customer, OpenMeter subject, Lago subscription). */
  readonly vendorCustomer: string;
  /** `YYYY-MM-DD` (UTC). */
  readonly day: string;
  /** The day's UTC start, Unix seconds: the event's timestamp. */
  readonly timestampSeconds: number;
  /** The deterministic idempotency key. */
  readonly key: string;
  /**
   * Meter value: micro-dollars added by this event (the day's total,
   * rounded to the nearest micro-dollar, minus what was sent before).
   */
  readonly valueMicroUsd: number;
  /** Nano-dollars added by this event (exact). */
  readonly costNanoUsd: number;
  readonly calls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** The customer-day's totals after this event. */
  readonly totalNanoUsd: number;
  readonly totalValue: number;
  readonly totalCalls: number;
  readonly totalInputTokens: number;
  readonly totalOutputTokens: number;
}

/** Nano-dollars to the nearest micro-dollar (halves up). */
export function microUsdOf(nanoUsd: number): number {
  return Math.floor((nanoUsd + 500) / 1000);
}

import type { ExportEvent } from '../export-event.js';

/** Where usage goes. */
export type ExportTarget = 'stripe' | 'openmeter' | 'lago';

export const EXPORT_TARGETS: readonly ExportTarget[] = [
  'stripe',
  'openmeter',
  'lago',
];

/** What a destination said about one request. */
export type DeliveryVerdict =
  /** Accepted now. */
  | 'accepted'
  /** Refused as a duplicate of a key it already holds: delivered before. */
  | 'duplicate'
  /** 408, 429, 5xx: try again later. */
  | 'retry'
  /** Anything else: stop and report. */
  | 'fail';

/** One HTTP request, ready to send (headers without the key: added when sent). */
export interface ExportRequest {
  readonly method: 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A vendor's request shape and answer rules. */
export interface ExportDestination {
  readonly target: ExportTarget;
  /** `https://api.stripe.com`, ... (`--endpoint` replaces it). */
  readonly defaultEndpoint: string;
  /** Default meter name (Stripe event name, OpenMeter type, Lago metric code). */
  readonly defaultMeter: string;
  /** The variable holding the API key. */
  readonly keyVariable: string;
  readonly keyRequired: boolean;
  /**
   * How long the vendor refuses a key it has seen, in hours (Infinity:
   * for good). A pending event older than this is not re-sent blindly.
   */
  readonly dedupeWindowHours: number;
  /** Oldest event timestamp the vendor takes, in seconds back; undefined: any. */
  readonly maxEventAgeSeconds?: number;
  /** The request body for an event (stored in the outbox, re-sent as is). */
  body(event: ExportEvent): string;
  /** The request for a stored body (the sender adds `authorization`). */
  request(endpoint: string, body: string): ExportRequest;
  verdict(status: number, responseText: string): DeliveryVerdict;
}

/** `endpoint` + `path`, whatever slashes the endpoint ends with. */
export function joinUrl(endpoint: string, path: string): string {
  return `${endpoint.replace(/\/+$/, '')}${path}`;
}

/** 408, 429 and 5xx are worth another try; other statuses are not. */
export function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

import { diag } from '@opentelemetry/api';
import type { ForwardOutcome } from '../forward/forward-outcome.js';
import type { NextHopHealth } from '../forward/next-hop-health.js';
import type { GatewayStats } from '../gateway-stats.js';
import type { DecodeLimits } from '../otlp/decode-limits.js';
import { OtlpDecodeError } from '../otlp/otlp-decode-error.js';
import type {
  ExportTracePartialSuccess,
  OtlpFormat,
} from '../otlp/otlp-types.js';
import type { RequestEnricher } from '../pipeline/request-enricher.js';
import { partialSuccessOf } from '../http/partial-success-message.js';
import { decodeAndEnrich, type Enriched } from './decode-and-enrich.js';

/** What accepting one export request needs, whatever the transport. */
export interface AcceptContext {
  /** What one request may decode into (spans, items, value depth). */
  readonly decodeLimits: DecodeLimits;
  readonly health: NextHopHealth;
  readonly enricher: RequestEnricher;
  readonly forward: (payload: Uint8Array) => Promise<ForwardOutcome>;
  /** Retry delay when the next hop gave none. */
  readonly retryAfterSeconds: number;
  readonly stats: GatewayStats;
}

/**
 * How one export request ended; each receiver maps it to its own answer
 * (HTTP status or gRPC status), nothing else.
 */
export type AcceptOutcome =
  | {
      /** The next hop accepted the data; its calls are counted. */
      readonly kind: 'exported';
      readonly partialSuccess: ExportTracePartialSuccess | undefined;
    }
  | {
      /** Not a valid request (400) or over a decode limit (413). */
      readonly kind: 'invalid';
      readonly status: 400 | 413;
      readonly message: string;
    }
  | {
      /** Next hop down, slow or throttling: the sender retries later. */
      readonly kind: 'retryable';
      readonly message: string;
      /** At least 1. */
      readonly retryAfterSeconds: number;
    }
  | {
      /** The next hop refused the data for good: not retried. */
      readonly kind: 'refused';
      readonly message: string;
    };

/**
 * The one accept path of the gateway, shared by the OTLP/HTTP and OTLP/gRPC
 * receivers: decode (within the decode limits), price, forward, and only
 * once the next hop accepted the data count its calls in the sinks (each
 * span once) and report `exported`. A retryable failure of the next hop
 * marks it down (later requests are refused at once, unread) and reports
 * `retryable`; a permanent one `refused`. Nothing is counted unless
 * `exported`.
 */
export async function acceptExport(
  body: Uint8Array,
  format: OtlpFormat,
  context: AcceptContext,
): Promise<AcceptOutcome> {
  let enriched: Enriched;
  try {
    enriched = await decodeAndEnrich(
      body,
      format,
      context.enricher,
      context.decodeLimits,
    );
  } catch (error) {
    if (!(error instanceof OtlpDecodeError)) throw error;
    return { kind: 'invalid', status: error.status, message: error.message };
  }
  const { payload, result } = enriched;
  const { stats } = context;
  stats.spansReceived += result.spans + result.rejectedSpans;
  if (result.spans > 0) {
    const outcome = await context.forward(payload);
    if (outcome.kind === 'retryable') {
      const seconds = outcome.retryAfterSeconds ?? context.retryAfterSeconds;
      context.health.markDown(Date.now(), seconds, outcome.message);
      diag.warn(
        `otel-genai-cost gateway: ${outcome.message}; asking senders to retry in ${seconds} s`,
      );
      return {
        kind: 'retryable',
        message: outcome.message,
        retryAfterSeconds: Math.max(1, seconds),
      };
    }
    if (outcome.kind === 'permanent') {
      diag.error(`otel-genai-cost gateway: ${outcome.message}; batch refused`);
      return { kind: 'refused', message: outcome.message };
    }
    context.health.markUp();
  }
  // Counted in the sinks through the pipeline's one sink step, each span once.
  for (const record of context.enricher.commit(result.calls)) {
    stats.callsCounted += 1;
    if (!record.cost.priced) stats.callsUnpriced += 1;
  }
  stats.spansForwarded += result.spans;
  stats.spansRejected += result.rejectedSpans;
  return { kind: 'exported', partialSuccess: partialSuccessOf(result) };
}

import { diag } from '@opentelemetry/api';
import type { ServerResponse } from 'node:http';
import {
  DecodeLane,
  runStepsYielding,
  yieldToLoop,
} from '../otlp/decode-lane.js';
import { boundJsonSteps } from '../otlp/bound-json-request.js';
import { parseBoundedJson } from '../otlp/decode-export-trace-request.js';
import { encodeExportTraceRequest } from '../otlp/encode-export-trace-request.js';
import { OtlpDecodeError } from '../otlp/otlp-decode-error.js';
import { exportTraceRequestFromJson } from '../otlp/json-trace-request.js';
import type { ExportTraceRequest, OtlpFormat } from '../otlp/otlp-types.js';
import { scanValidatedRequest } from '../otlp/scan-export-trace-request.js';
import { walkProtobufRequest } from '../otlp/validate-protobuf-request.js';
import type { ScannedRequest } from '../otlp/scanned-request.js';
import { writeExportTraceRequest } from '../otlp/write-export-trace-request.js';
import type { EnrichResult } from '../pipeline/request-enricher.js';
import { replyExported } from './otlp-replies.js';
import { partialSuccessOf } from './partial-success-message.js';
import type { TracesEndpointContext } from './traces-endpoint.js';

/**
 * The body of an accepted request, read: decode, price, forward, and answer
 * 200 once the next hop accepted it, then count its calls in the sinks
 * (each span once). A body that is not a valid request answers 400, one
 * over a decode limit 413. A retryable failure of the next hop marks it
 * down and answers 503 with `Retry-After`; a permanent one answers 500.
 */
export async function exportBody(
  body: Buffer,
  format: OtlpFormat,
  context: TracesEndpointContext,
  response: ServerResponse,
  reply: (status: number, message: string, retryAfterSeconds?: number) => void,
): Promise<void> {
  let enriched: Enriched;
  try {
    enriched = await enrichBody(body, format, context);
  } catch (error) {
    if (!(error instanceof OtlpDecodeError)) throw error;
    return reply(error.status, error.message);
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
        `otel-genai-cost gateway: ${outcome.message}; answering 503 for ${seconds} s`,
      );
      return reply(503, outcome.message, Math.max(1, seconds));
    }
    if (outcome.kind === 'permanent') {
      diag.error(`otel-genai-cost gateway: ${outcome.message}; batch refused`);
      return reply(500, `${outcome.message}; the batch was not accepted`);
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
  stats.responses[200] = (stats.responses[200] ?? 0) + 1;
  replyExported(response, format, partialSuccessOf(result));
}

interface Enriched {
  /** The request to forward. */
  readonly payload: Uint8Array;
  readonly result: EnrichResult;
}

/** One decode lane per gateway (its enricher stands for it). */
const lanes = new WeakMap<object, DecodeLane>();

/**
 * Decode (within the decode limits), price and re-encode, in the gateway's
 * decode lane: one request at a time, yielding to the event loop between
 * steps. Every decoded object is garbage once this returns, so none is
 * kept alive while the forward is awaited: only the payload and the
 * evaluated calls are.
 */
function enrichBody(
  body: Buffer,
  format: OtlpFormat,
  context: TracesEndpointContext,
): Promise<Enriched> {
  let lane = lanes.get(context.enricher);
  if (lane === undefined) {
    lane = new DecodeLane();
    lanes.set(context.enricher, lane);
  }
  return lane.run(async () => {
    const limits = context.decodeLimits;
    // Each step's input is dropped from `held` once the next has it, so
    // only one representation at a time stays alive across the yields.
    const held: Held = { protobuf: body };
    if (format === 'json') {
      held.bounded = await runStepsYielding(boundJsonSteps(body, limits));
      await yieldToLoop();
      held.json = parseBoundedJson(held.bounded);
      held.bounded = undefined;
      await yieldToLoop();
      held.request = exportTraceRequestFromJson(held.json);
      held.json = undefined;
      await yieldToLoop();
      held.protobuf = encodeExportTraceRequest(held.request);
      held.request = undefined;
      await yieldToLoop();
    }
    await runStepsYielding(walkProtobufRequest(held.protobuf, limits));
    await yieldToLoop();
    held.scanned = await runStepsYielding(scanValidatedRequest(held.protobuf));
    await yieldToLoop();
    const result = context.enricher.enrich(held.scanned, Date.now());
    await yieldToLoop();
    const payload =
      result.spans > 0
        ? writeExportTraceRequest(held.scanned)
        : new Uint8Array(0);
    return { payload, result };
  });
}

/** What a request decodes into, step by step. */
interface Held {
  bounded?: Uint8Array | undefined;
  json?: unknown;
  request?: ExportTraceRequest | undefined;
  protobuf: Uint8Array;
  scanned?: ScannedRequest;
}

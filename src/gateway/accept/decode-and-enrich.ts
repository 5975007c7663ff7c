import {
  DecodeLane,
  runStepsYielding,
  yieldToLoop,
} from '../otlp/decode-lane.js';
import { boundJsonSteps } from '../otlp/bound-json-request.js';
import { parseBoundedJson } from '../otlp/decode-export-trace-request.js';
import { encodeExportTraceRequest } from '../otlp/encode-export-trace-request.js';
import type { DecodeLimits } from '../otlp/decode-limits.js';
import { exportTraceRequestFromJson } from '../otlp/json-trace-request.js';
import type { ExportTraceRequest, OtlpFormat } from '../otlp/otlp-types.js';
import { scanValidatedRequest } from '../otlp/scan-export-trace-request.js';
import { walkProtobufRequest } from '../otlp/validate-protobuf-request.js';
import type { ScannedRequest } from '../otlp/scanned-request.js';
import { writeExportTraceRequest } from '../otlp/write-export-trace-request.js';
import type {
  EnrichResult,
  RequestEnricher,
} from '../pipeline/request-enricher.js';

/** A request decoded, priced and re-encoded, ready to forward. */
export interface Enriched {
  /** The request to forward (empty when no span is left to forward). */
  readonly payload: Uint8Array;
  readonly result: EnrichResult;
}

/** One decode lane per gateway (its enricher stands for it), whatever the transport. */
const lanes = new WeakMap<object, DecodeLane>();

/**
 * Decode (within the decode limits), price and re-encode, in the gateway's
 * decode lane: one request at a time, HTTP and gRPC alike, yielding to the
 * event loop between steps. Every decoded object is garbage once this
 * returns, so none is kept alive while the forward is awaited: only the
 * payload and the evaluated calls are. Throws `OtlpDecodeError` for a body
 * that is not a valid request or is over a decode limit.
 */
export function decodeAndEnrich(
  body: Uint8Array,
  format: OtlpFormat,
  enricher: RequestEnricher,
  limits: DecodeLimits,
): Promise<Enriched> {
  let lane = lanes.get(enricher);
  if (lane === undefined) {
    lane = new DecodeLane();
    lanes.set(enricher, lane);
  }
  return lane.run(async () => {
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
    const result = enricher.enrich(held.scanned, Date.now());
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

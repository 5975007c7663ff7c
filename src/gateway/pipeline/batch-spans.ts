import type { Long } from 'protobufjs';
import type { SpanAttributes } from '../../core/span-like.js';
import type { ScannedRequest, ScannedSpan } from '../otlp/scanned-request.js';
import { readOtlpAttributes } from '../span/otlp-attribute-values.js';
import { OtlpSpanView, toHex } from '../span/otlp-span-view.js';

/** One span of a request, with what the pipeline needs to read it. */
export interface BatchSpan {
  readonly scanned: ScannedSpan;
  readonly view: OtlpSpanView;
  readonly attributes: SpanAttributes;
  readonly endTime: Long;
}

export interface SplitBatch {
  /** Valid spans, ordered by end time (children before their parents). */
  readonly spans: BatchSpan[];
  /** Spans marked rejected because their ids are invalid. */
  readonly rejected: number;
}

const TRACE_ID_BYTES = 16;
const SPAN_ID_BYTES = 8;

/**
 * Flattens a request into its spans, ordered by end time as exporters and
 * the core expect (a child ends before its parent). Spans with an invalid
 * trace or span id (wrong length or all zeros: the OTLP spec forbids both,
 * and a Collector would refuse the whole forwarded batch for them) are
 * marked rejected, so they are not forwarded, and counted.
 */
export function splitBatch(request: ScannedRequest): SplitBatch {
  const spans: BatchSpan[] = [];
  let rejected = 0;
  for (const resource of request.resources) {
    for (const scope of resource.scopes) {
      for (const scanned of scope.spans) {
        const { span } = scanned;
        if (
          !isValidId(span.traceId, TRACE_ID_BYTES) ||
          !isValidId(span.spanId, SPAN_ID_BYTES)
        ) {
          scanned.rejected = true;
          rejected += 1;
          continue;
        }
        const attributes = readOtlpAttributes(span.attributes);
        const ids = {
          traceId: toHex(span.traceId),
          spanId: toHex(span.spanId),
        };
        spans.push({
          scanned,
          view: new OtlpSpanView(span, scope.scopeName, ids, attributes),
          attributes,
          endTime: span.endTimeUnixNano,
        });
      }
    }
  }
  // Array.prototype.sort is stable: equal end times keep the request order.
  spans.sort((a, b) => compareUnsigned(a.endTime, b.endTime));
  return { spans, rejected };
}

function isValidId(id: Uint8Array | undefined, length: number): boolean {
  if (id === undefined || id.length !== length) return false;
  for (const byte of id) if (byte !== 0) return true;
  return false;
}

function compareUnsigned(a: Long, b: Long): number {
  const highA = a.high >>> 0;
  const highB = b.high >>> 0;
  if (highA !== highB) return highA - highB;
  return (a.low >>> 0) - (b.low >>> 0);
}

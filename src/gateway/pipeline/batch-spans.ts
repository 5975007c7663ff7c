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
        const attributes =
          scanned.attributes ?? readOtlpAttributes(span.attributes);
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
  return { spans: descendantsFirst(spans), rejected };
}

const MAX_DEPTH = 64;

/**
 * Spans in end order, except that a span whose descendant in the request
 * ended after it comes after that descendant: coverage passes marks from
 * children to parents, and some instrumentations end their span before the
 * call they wrap (OpenInference's `Anthropic Messages` ends before the
 * Anthropic SDK's own span below it). Each span is placed at the latest end
 * time of itself and its descendants in the request, deeper spans first on
 * a tie. Nothing moves (and nothing is allocated past one map) when no
 * parent ended before its child.
 */
function descendantsFirst(spans: BatchSpan[]): BatchSpan[] {
  const index = new Map<string, number>();
  spans.forEach((span, i) => index.set(span.view.spanId, i));
  let moved = false;
  for (let i = 0; i < spans.length && !moved; i += 1) {
    const parent = index.get((spans[i] as BatchSpan).view.parentSpanId ?? '');
    moved = parent !== undefined && parent < i;
  }
  if (!moved) return spans;
  const placedAt = spans.map(span => span.endTime);
  const depth = spans.map(() => 0);
  spans.forEach((span, i) => {
    let parentId = span.view.parentSpanId;
    for (let d = 1; d <= MAX_DEPTH && parentId !== undefined; d += 1) {
      const p = index.get(parentId);
      const parent = p === undefined ? undefined : spans[p];
      if (parent === undefined || parent.view.traceId !== span.view.traceId)
        break;
      const at = placedAt[p as number] as Long;
      if (compareUnsigned(at, span.endTime) < 0)
        placedAt[p as number] = span.endTime;
      depth[i] = Math.max(depth[i] as number, d);
      parentId = parent.view.parentSpanId;
    }
  });
  const order = spans.map((_, i) => i);
  order.sort(
    (a, b) =>
      compareUnsigned(placedAt[a] as Long, placedAt[b] as Long) ||
      (depth[b] as number) - (depth[a] as number) ||
      a - b,
  );
  return order.map(i => spans[i] as BatchSpan);
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

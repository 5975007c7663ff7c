/**
 * Reference copy (test only) of src/gateway/pipeline or src/gateway/span as of
 * 4fbaa2d, before the third performance pass: the enricher's property test
 * (enricher-reference-parity.test.ts) compares the current one with it.
 */
import type { Long } from 'protobufjs';
import type { AttributionTags } from '../../../../src/core/identity/tag-key.js';
import type { SpanAttributes } from '../../../../src/core/span-like.js';
import type {
  ScannedRequest,
  ScannedScope,
  ScannedSpan,
} from '../../../../src/gateway/otlp/scanned-request.js';
import { readOtlpAttributes } from '../../../../src/gateway/span/otlp-attribute-values.js';
import { OtlpSpanView, toHex } from './otlp-span-view.js';

/**
 * One span of a request: the core's view of it (`SpanLike`) and what the
 * gateway needs besides (where to write its update, its end time). One
 * object per span: the view, its ids and its ancestry slot in one.
 */
export class BatchSpan extends OtlpSpanView {
  readonly scanned: ScannedSpan;
  readonly endTime: Long;
  /** Its position in the end-time order (set by `splitBatch`). */
  order = 0;
  /**
   * Its own identity tags, read once when a descendant asks
   * (`BatchAncestry`); `NOT_READ` until then.
   */
  identity: AttributionTags | undefined | typeof NOT_READ = NOT_READ;

  constructor(
    scanned: ScannedSpan,
    scope: ScannedScope,
    traceId: string,
    spanId: string,
    attributes: SpanAttributes,
  ) {
    super(scanned.span, scope.scopeName, traceId, spanId, attributes);
    this.scanned = scanned;
    this.endTime = scanned.span.endTimeUnixNano;
  }
}

/** `BatchSpan.identity` before it was read. */
export const NOT_READ: unique symbol = Symbol('not read');

export interface SplitBatch {
  /** Valid spans, ordered by end time (children before their parents). */
  readonly spans: BatchSpan[];
  /**
   * Each span id's span (the first in `spans` when one repeats): the
   * ancestors a span may find in the request.
   */
  readonly byId: ReadonlyMap<string, BatchSpan>;
  /** Spans marked rejected because their ids are invalid. */
  readonly rejected: number;
}

const TRACE_ID_BYTES = 16;
const SPAN_ID_BYTES = 8;
/** What a span without attributes reads as (never written to). */
const NO_ATTRIBUTES: SpanAttributes = Object.freeze({});

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
          scanned.attributes ??
          (span.attributes === undefined || span.attributes.length === 0
            ? NO_ATTRIBUTES
            : readOtlpAttributes(span.attributes));
        spans.push(
          new BatchSpan(
            scanned,
            scope,
            toHex(span.traceId),
            toHex(span.spanId),
            attributes,
          ),
        );
      }
    }
  }
  // Array.prototype.sort is stable: equal end times keep the request order.
  spans.sort(byEndTime);
  const byId = new Map<string, BatchSpan>();
  let repeated = false;
  for (let i = 0; i < spans.length; i += 1) {
    const span = spans[i] as BatchSpan;
    span.order = i;
    if (byId.has(span.spanId)) repeated = true;
    else byId.set(span.spanId, span);
  }
  const ordered = descendantsFirst(spans, repeated ? lastById(spans) : byId);
  // Two spans with one id that changed order: the first is the new first.
  return {
    spans: ordered,
    byId: repeated && ordered !== spans ? firstById(ordered) : byId,
    rejected,
  };
}

const MAX_DEPTH = 64;

/**
 * Spans in end order, except that a span whose descendant in the request
 * ended after it comes after that descendant: coverage passes marks from
 * children to parents, and some instrumentations end their span before the
 * call they wrap (OpenInference's `Anthropic Messages` ends before the
 * Anthropic SDK's own span below it). Each span is placed at the latest end
 * time of itself and its descendants in the request, deeper spans first on
 * a tie. Nothing moves (and nothing is allocated) when no parent ended
 * before its child. `byId` gives each id's span (the last when repeated).
 */
function descendantsFirst(
  spans: BatchSpan[],
  byId: ReadonlyMap<string, BatchSpan>,
): BatchSpan[] {
  let moved = false;
  for (let i = 0; i < spans.length && !moved; i += 1) {
    const parentId = (spans[i] as BatchSpan).parentSpanId;
    const parent = parentId === undefined ? undefined : byId.get(parentId);
    moved = parent !== undefined && parent.order < i;
  }
  if (!moved) return spans;
  const placedAt = spans.map(span => span.endTime);
  const depth = spans.map(() => 0);
  spans.forEach((span, i) => {
    let parentId = span.parentSpanId;
    for (let d = 1; d <= MAX_DEPTH && parentId !== undefined; d += 1) {
      const parent = byId.get(parentId);
      if (parent === undefined || parent.traceId !== span.traceId) break;
      const p = parent.order;
      const at = placedAt[p] as Long;
      if (compareUnsigned(at, span.endTime) < 0) placedAt[p] = span.endTime;
      depth[i] = Math.max(depth[i] as number, d);
      parentId = parent.parentSpanId;
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

function firstById(spans: readonly BatchSpan[]): Map<string, BatchSpan> {
  const byId = new Map<string, BatchSpan>();
  for (const span of spans) {
    if (!byId.has(span.spanId)) byId.set(span.spanId, span);
  }
  return byId;
}

function lastById(spans: readonly BatchSpan[]): Map<string, BatchSpan> {
  const byId = new Map<string, BatchSpan>();
  for (const span of spans) byId.set(span.spanId, span);
  return byId;
}

function isValidId(id: Uint8Array | undefined, length: number): boolean {
  if (id === undefined || id.length !== length) return false;
  for (let i = 0; i < length; i += 1) if (id[i] !== 0) return true;
  return false;
}

function byEndTime(a: BatchSpan, b: BatchSpan): number {
  return compareUnsigned(a.endTime, b.endTime);
}

function compareUnsigned(a: Long, b: Long): number {
  const highA = a.high >>> 0;
  const highB = b.high >>> 0;
  if (highA !== highB) return highA - highB;
  return (a.low >>> 0) - (b.low >>> 0);
}

import type { Long } from 'protobufjs';
import type { AttributionTags } from '../../core/identity/tag-key.js';
import type { SpanAttributes } from '../../core/span-like.js';
import type {
  ScannedRequest,
  ScannedScope,
  ScannedSpan,
} from '../otlp/scanned-request.js';
import { readOtlpAttributes } from '../span/otlp-attribute-values.js';
import { OtlpSpanView } from '../span/otlp-span-view.js';
import { groupIds, type IdGroups } from './id-groups.js';
import { sortKeys } from './sort-keys.js';
import type { TraceState } from './trace-window.js';

/**
 * What the enricher learned of one trace of a request (shared by its
 * spans): the trace window is asked once per trace and request, not once
 * per span (a look-up in a map of up to 50,000 traces misses the CPU
 * cache).
 */
export class BatchTrace {
  /** The window answered (`state` is its answer). */
  asked = false;
  /** The trace's state, or undefined when the window does not hold it. */
  state: TraceState | undefined = undefined;
}

/**
 * One span of a request: the core's view of it (`SpanLike`) and what the
 * gateway needs besides (where to write its update, its end time, its
 * parent in the request). One object per span.
 */
export class BatchSpan extends OtlpSpanView {
  readonly scanned: ScannedSpan;
  readonly endTime: Long;
  /** Its trace in the request (one object per trace). */
  readonly trace: BatchTrace;
  /**
   * The span of the request its parent id names (the first in `spans`
   * when the id repeats), when of the same trace: the ancestor
   * `BatchAncestry` walks to. Set by `splitBatch`.
   */
  parent: BatchSpan | undefined = undefined;
  /**
   * Its own identity tags, read once when a descendant asks
   * (`BatchAncestry`); `NOT_READ` until then.
   */
  identity: AttributionTags | undefined | typeof NOT_READ = NOT_READ;

  constructor(
    scanned: ScannedSpan,
    scopeName: string,
    traceId: string,
    spanId: string,
    parentSpanId: string | undefined,
    attributes: SpanAttributes,
    trace: BatchTrace,
  ) {
    super(scanned.span, scopeName, traceId, spanId, parentSpanId, attributes);
    this.scanned = scanned;
    this.endTime = scanned.span.endTimeUnixNano;
    this.trace = trace;
  }
}

/** `BatchSpan.identity` before it was read. */
export const NOT_READ: unique symbol = Symbol('not read');

export interface SplitBatch {
  /** Valid spans, ordered by end time (children before their parents). */
  readonly spans: BatchSpan[];
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
 *
 * Ids are grouped from their bytes (`groupIds`): each trace id and span id
 * becomes one string, shared by the spans of a trace and by a span and
 * its children's parent ids (so the maps keyed by them hash each once and
 * compare by reference). Ordering and ancestry work on arrays of
 * positions, not on maps of strings.
 */
export function splitBatch(request: ScannedRequest): SplitBatch {
  const valid: ScannedSpan[] = [];
  const scopes: ScannedScope[] = [];
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
        valid.push(scanned);
        scopes.push(scope);
      }
    }
  }
  const n = valid.length;
  if (n === 0) return { spans: [], rejected };
  const ids = groupIds(valid);
  const order = endOrder(valid);
  const final = descendantsFirst(valid, ids, order);
  const spans = new Array<BatchSpan>(n);
  const traces = new Array<BatchTrace | undefined>(n);
  for (let k = 0; k < n; k += 1) {
    const i = final[k] as number;
    const traceGroup = ids.traceGroup[i] as number;
    const trace = (traces[traceGroup] ??= new BatchTrace());
    const scanned = valid[i] as ScannedSpan;
    const { span } = scanned;
    const parentGroup = ids.parentGroup[i] as number;
    const attributes =
      scanned.attributes ??
      (span.attributes === undefined || span.attributes.length === 0
        ? NO_ATTRIBUTES
        : readOtlpAttributes(span.attributes));
    spans[k] = new BatchSpan(
      scanned,
      (scopes[i] as ScannedScope).scopeName,
      ids.traceIds[i] as string,
      ids.spanIds[i] as string,
      parentGroup >= 0
        ? (ids.spanIds[parentGroup] as string)
        : ids.parentIds[i],
      attributes,
      trace,
    );
  }
  linkParents(spans, final, ids);
  return { spans, rejected };
}

/**
 * Request indexes in end-time order (ties in request order, as a stable
 * sort of the spans gives).
 */
function endOrder(valid: readonly ScannedSpan[]): number[] {
  const n = valid.length;
  const high = new Uint32Array(n);
  const low = new Uint32Array(n);
  const order = new Array<number>(n);
  let sorted = true;
  for (let i = 0; i < n; i += 1) {
    const end = (valid[i] as ScannedSpan).span.endTimeUnixNano;
    high[i] = end.high;
    low[i] = end.low;
    order[i] = i;
    if (
      i > 0 &&
      ((high[i] as number) < (high[i - 1] as number) ||
        (high[i] === high[i - 1] &&
          (low[i] as number) < (low[i - 1] as number)))
    ) {
      sorted = false;
    }
  }
  if (sorted) return order;
  const keyed = sortedByKeys(high, low, undefined);
  if (keyed !== undefined) return keyed;
  return order.sort(
    (a, b) =>
      (high[a] as number) - (high[b] as number) ||
      (low[a] as number) - (low[b] as number) ||
      a - b,
  );
}

const MAX_DEPTH = 64;

/**
 * Spans in end order, except that a span whose descendant in the request
 * ended after it comes after that descendant: coverage passes marks from
 * children to parents, and some instrumentations end their span before the
 * call they wrap (OpenInference's `Anthropic Messages` ends before the
 * Anthropic SDK's own span below it). Each span is placed at the latest end
 * time of itself and its descendants in the request (within 64 levels),
 * deeper spans first on a tie. Nothing moves when no parent ended before
 * its child. A parent id names the last span with that id in end order;
 * returns request indexes.
 */
function descendantsFirst(
  valid: readonly ScannedSpan[],
  ids: IdGroups,
  order: number[],
): number[] {
  const n = order.length;
  // Positions in end order: each id's last position, each span's parent's.
  const position = new Int32Array(n);
  const lastAt = new Int32Array(n);
  for (let k = 0; k < n; k += 1) {
    const i = order[k] as number;
    position[i] = k;
    lastAt[ids.spanGroup[i] as number] = k;
  }
  let moved = false;
  const parentAt = new Int32Array(n);
  for (let k = 0; k < n; k += 1) {
    const i = order[k] as number;
    const group = ids.parentGroup[i] as number;
    if (group < 0) {
      parentAt[k] = -1;
      continue;
    }
    const p = lastAt[group] as number;
    if (p < k) moved = true;
    // A parent of another trace ends the walk.
    parentAt[k] =
      ids.traceGroup[order[p] as number] === ids.traceGroup[i] ? p : -1;
  }
  if (!moved) return order;
  const high = new Uint32Array(n);
  const low = new Uint32Array(n);
  for (let k = 0; k < n; k += 1) {
    const end = (valid[order[k] as number] as ScannedSpan).span.endTimeUnixNano;
    high[k] = end.high;
    low[k] = end.low;
  }
  const placedHigh = high.slice();
  const placedLow = low.slice();
  const depth = new Int32Array(n);
  for (let k = 0; k < n; k += 1) {
    const h = high[k] as number;
    const l = low[k] as number;
    let p = parentAt[k] as number;
    for (let d = 1; d <= MAX_DEPTH && p >= 0; d += 1) {
      const ph = placedHigh[p] as number;
      if (ph < h || (ph === h && (placedLow[p] as number) < l)) {
        placedHigh[p] = h;
        placedLow[p] = l;
      }
      depth[k] = d;
      p = parentAt[p] as number;
    }
  }
  const keyed = sortedByKeys(placedHigh, placedLow, depth);
  if (keyed !== undefined) return keyed.map(k => order[k] as number);
  const positions = Array.from({ length: n }, (_, k) => k);
  positions.sort(
    (a, b) =>
      (placedHigh[a] as number) - (placedHigh[b] as number) ||
      (placedLow[a] as number) - (placedLow[b] as number) ||
      (depth[b] as number) - (depth[a] as number) ||
      a - b,
  );
  return positions.map(k => order[k] as number);
}

/** Past this, a double no longer holds every integer. */
const EXACT = 2 ** 53;

/**
 * Indexes sorted by (time, depth descending when given, index), where time
 * is the unsigned 64-bit `high:low`, by one native sort of doubles: each
 * index's key is its time relative to the earliest, then its depth's room,
 * then the index, as one integer. Undefined when the keys would not stay
 * below 2^53 (times more than about a day apart for a request of 10,000
 * spans); the caller then sorts with a comparator, for the same order.
 * The keys are distinct (each holds its index), so `sortKeys` gives the
 * order any sort gives.
 */
function sortedByKeys(
  high: Uint32Array,
  low: Uint32Array,
  depth: Int32Array | undefined,
): number[] | undefined {
  const n = high.length;
  let minHigh = high[0] as number;
  let minLow = low[0] as number;
  for (let i = 1; i < n; i += 1) {
    const h = high[i] as number;
    if (h < minHigh || (h === minHigh && (low[i] as number) < minLow)) {
      minHigh = h;
      minLow = low[i] as number;
    }
  }
  let room = 1;
  while (room < n) room *= 2;
  // Depth is at most MAX_DEPTH: MAX_DEPTH - depth takes 0..64.
  const depthRoom = depth === undefined ? 1 : 128;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    const relative =
      ((high[i] as number) - minHigh) * 4294967296 +
      ((low[i] as number) - minLow);
    if (relative >= EXACT / (room * depthRoom)) return undefined;
    const rank = depth === undefined ? 0 : MAX_DEPTH - (depth[i] as number);
    keys[i] = (relative * depthRoom + rank) * room + i;
  }
  sortKeys(keys);
  const order = new Array<number>(n);
  for (let k = 0; k < n; k += 1) {
    // The index: the key less its multiple of room, all exact (room is a
    // power of two, keys below 2^53); `%` of such doubles is a C call
    // (~14 ns a key against ~1, micro).
    const key = keys[k] as number;
    order[k] = key - Math.floor(key / room) * room;
  }
  return order;
}

/**
 * Sets each span's `parent`: the first span (in the final order) with its
 * parent id, when of the same trace.
 */
function linkParents(
  spans: readonly BatchSpan[],
  final: readonly number[],
  ids: IdGroups,
): void {
  const n = spans.length;
  const firstAt = new Int32Array(n).fill(-1);
  for (let k = 0; k < n; k += 1) {
    const group = ids.spanGroup[final[k] as number] as number;
    if ((firstAt[group] as number) < 0) firstAt[group] = k;
  }
  for (let k = 0; k < n; k += 1) {
    const i = final[k] as number;
    const group = ids.parentGroup[i] as number;
    if (group < 0) continue;
    const p = firstAt[group] as number;
    if (ids.traceGroup[final[p] as number] === ids.traceGroup[i]) {
      (spans[k] as BatchSpan).parent = spans[p];
    }
  }
}

function isValidId(id: Uint8Array | undefined, length: number): boolean {
  if (id === undefined || id.length !== length) return false;
  for (let i = 0; i < length; i += 1) if (id[i] !== 0) return true;
  return false;
}

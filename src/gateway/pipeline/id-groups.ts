import type { ScannedSpan } from '../otlp/scanned-request.js';
import { toHex } from '../span/otlp-span-view.js';
import { IdTable } from './id-table.js';

/**
 * The ids of one request's valid spans (by request index), grouped: spans
 * with equal id bytes share one group (the index of the first of them) and
 * one hex string.
 */
export interface IdGroups {
  /** Each span's trace id as hex (one string per trace). */
  readonly traceIds: string[];
  /** Each span's span id as hex (one string per id). */
  readonly spanIds: string[];
  /** Its trace's group: the first span of the trace. */
  readonly traceGroup: Int32Array;
  /** Its span id's group: the first span with that id. */
  readonly spanGroup: Int32Array;
  /** The span id group its parent id names, or -1 (none in the request). */
  readonly parentGroup: Int32Array;
  /**
   * Its parent id as hex when no span of the request has it (undefined
   * when it has no parent id, or when `parentGroup` names it).
   */
  readonly parentIds: (string | undefined)[];
}

const TRACES = new IdTable(4);
const SPANS = new IdTable(2);

/**
 * Groups the ids of `spans` (trace ids of 16 bytes, span ids of 8, already
 * checked) from their bytes; a request whose ids collide past the tables'
 * bound (`IdTable.overloaded`) is grouped by hex strings in `Map`s instead.
 * The same groups either way.
 */
export function groupIds(spans: readonly ScannedSpan[]): IdGroups {
  const n = spans.length;
  const groups: IdGroups = {
    traceIds: new Array<string>(n),
    spanIds: new Array<string>(n),
    traceGroup: new Int32Array(n),
    spanGroup: new Int32Array(n),
    parentGroup: new Int32Array(n),
    parentIds: new Array<string | undefined>(n),
  };
  TRACES.reset(n);
  SPANS.reset(n);
  for (let i = 0; i < n; i += 1) {
    const { span } = spans[i] as ScannedSpan;
    const trace = TRACES.findOrAdd(span.traceId, i);
    const id = SPANS.findOrAdd(span.spanId, i);
    groups.traceGroup[i] = trace;
    groups.spanGroup[i] = id;
    groups.traceIds[i] =
      trace === i ? toHex(span.traceId) : (groups.traceIds[trace] as string);
    groups.spanIds[i] =
      id === i ? toHex(span.spanId) : (groups.spanIds[id] as string);
  }
  for (let i = 0; i < n; i += 1) {
    const parent = (spans[i] as ScannedSpan).span.parentSpanId;
    const group =
      parent === undefined || parent.length === 0 ? -1 : SPANS.find(parent);
    groups.parentGroup[i] = group;
    groups.parentIds[i] =
      group >= 0 || parent === undefined || parent.length === 0
        ? undefined
        : toHex(parent);
  }
  if (TRACES.overloaded || SPANS.overloaded) return groupByStrings(spans);
  return groups;
}

/** `groupIds` through `Map`s of hex strings (colliding ids). */
export function groupByStrings(spans: readonly ScannedSpan[]): IdGroups {
  const n = spans.length;
  const groups: IdGroups = {
    traceIds: new Array<string>(n),
    spanIds: new Array<string>(n),
    traceGroup: new Int32Array(n),
    spanGroup: new Int32Array(n),
    parentGroup: new Int32Array(n),
    parentIds: new Array<string | undefined>(n),
  };
  const traces = new Map<string, number>();
  const ids = new Map<string, number>();
  for (let i = 0; i < n; i += 1) {
    const { span } = spans[i] as ScannedSpan;
    const traceHex = toHex(span.traceId);
    const idHex = toHex(span.spanId);
    const trace = traces.get(traceHex) ?? i;
    const id = ids.get(idHex) ?? i;
    if (trace === i) traces.set(traceHex, i);
    if (id === i) ids.set(idHex, i);
    groups.traceGroup[i] = trace;
    groups.spanGroup[i] = id;
    groups.traceIds[i] = groups.traceIds[trace] ?? traceHex;
    groups.spanIds[i] = groups.spanIds[id] ?? idHex;
  }
  for (let i = 0; i < n; i += 1) {
    const parent = (spans[i] as ScannedSpan).span.parentSpanId;
    const hex =
      parent === undefined || parent.length === 0 ? undefined : toHex(parent);
    const group = hex === undefined ? -1 : (ids.get(hex) ?? -1);
    groups.parentGroup[i] = group;
    groups.parentIds[i] = group >= 0 ? undefined : hex;
  }
  return groups;
}

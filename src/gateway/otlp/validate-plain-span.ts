import { Action, FIELD_ACTIONS } from './validate-field-actions.js';
import { MessageKind } from './otlp-wire-schema.js';

/** Spans up to this size may be checked at once (a few tens of µs at most). */
export const PLAIN_SPAN_MAX_BYTES = 64 * 1024;

/** Value nesting a plain span may hold (deeper: walked field by field). */
const PLAIN_VALUE_DEPTH = 4;

/**
 * The items (`DecodeBudget`) inside the `Span` at `start..end` of `body`,
 * if the span is plain: valid protobuf whose every tag is at most two bytes
 * (field numbers 1 to 31, written minimally), every length under 2^28,
 * attribute values nested at most `min(maxValueDepth, 4)` levels. Otherwise
 * -1, and the walk goes through the span field by field, which finds the
 * error if there is one. A pure function of the bytes (no budget is spent
 * here): a span is checked whole, then its items are added at once, which
 * fails exactly when spending them one by one would have (no error of the
 * walk can come first in a span that is valid).
 *
 * What the per-field walk (`validateProtobufRequest`) does for one span,
 * without its stack and its budget calls per message: nearly every span a
 * real exporter writes is plain.
 */
export function plainSpanItems(
  body: Uint8Array,
  start: number,
  end: number,
  maxValueDepth: number,
): number {
  return itemsIn(
    body,
    MessageKind.Span,
    start,
    end,
    Math.min(maxValueDepth, PLAIN_VALUE_DEPTH),
  );
}

/**
 * Items inside the `kind` message at `pos..end`, or -1. Recursion is
 * bounded: a span holds no span, and each array or key-value list value
 * spends one of `depthLeft`.
 */
function itemsIn(
  body: Uint8Array,
  kind: MessageKind,
  pos: number,
  end: number,
  depthLeft: number,
): number {
  const base = kind << 8;
  let items = 0;
  while (pos < end) {
    const tag = body[pos] as number;
    if (tag < 0x80) pos += 1;
    else if (pos + 1 < end && body[pos + 1] === 1) pos += 2;
    else return -1;
    const action = FIELD_ACTIONS[base | tag] as number;
    if (action === Action.Varint) {
      // At most 10 bytes, within the message.
      const last = Math.min(pos + 10, end);
      while (pos < last && (body[pos] as number) >= 0x80) pos++;
      if (pos === last) return -1;
      pos++;
      continue;
    }
    if (action === Action.Fixed64 || action === Action.Fixed32) {
      pos += action === Action.Fixed64 ? 8 : 4;
      if (pos > end) return -1;
      continue;
    }
    if (action === Action.Checked) return -1;
    // Length-delimited: a length of up to four bytes.
    let length = 0;
    for (let shift = 0; ; shift += 7) {
      if (pos >= end || shift === 28) return -1;
      const byte = body[pos++] as number;
      length |= (byte & 0x7f) << shift;
      if (byte < 0x80) break;
    }
    if (length > end - pos) return -1;
    if (action >= Action.Message) {
      const inner = (action - Action.Message) as MessageKind;
      let innerDepth = depthLeft;
      if (
        inner === MessageKind.ArrayValue ||
        inner === MessageKind.KeyValueList
      ) {
        // Not `=== 0`: any limit, fractional or NaN, as the budget reads it.
        if (!(depthLeft >= 1)) return -1;
        innerDepth = depthLeft - 1;
      } else if (inner === MessageKind.Span) return -1;
      const innerItems =
        inner === MessageKind.KeyValue
          ? keyValueItems(body, pos, pos + length, innerDepth)
          : itemsIn(body, inner, pos, pos + length, innerDepth);
      if (innerItems < 0) return -1;
      items += 1 + innerItems;
    } else if (action === Action.RepeatedBytes) items += 1;
    pos += length;
  }
  return items;
}

const KEY = (1 << 3) | 2; // KeyValue.key
const VALUE = (2 << 3) | 2; // KeyValue.value
const STRING = (1 << 3) | 2; // AnyValue.string_value
const BOOL = (2 << 3) | 0; // AnyValue.bool_value
const INT = (3 << 3) | 0; // AnyValue.int_value
const DOUBLE = (4 << 3) | 1; // AnyValue.double_value
const BYTES = (7 << 3) | 2; // AnyValue.bytes_value

/**
 * `itemsIn` for a `KeyValue`, written out for the usual shape (a key, then
 * a value holding one scalar, lengths of one byte); anything else is left
 * to `itemsIn`.
 */
function keyValueItems(
  body: Uint8Array,
  start: number,
  end: number,
  depthLeft: number,
): number {
  let pos = start;
  if (body[pos] === KEY && pos + 1 < end) {
    const length = body[pos + 1] as number;
    if (length < 0x80) pos += 2 + length;
    else pos = end + 1;
  }
  if (pos + 2 < end && body[pos] === VALUE) {
    const length = body[pos + 1] as number;
    const valueEnd = pos + 2 + length;
    if (length < 0x80 && valueEnd === end && scalarValue(body, pos + 2, end)) {
      return 1;
    }
  }
  return itemsIn(body, MessageKind.KeyValue, start, end, depthLeft);
}

/** Whether `pos..end` is an `AnyValue` of one scalar field. */
function scalarValue(body: Uint8Array, pos: number, end: number): boolean {
  const tag = body[pos++] as number;
  if (tag === STRING || tag === BYTES) {
    const length = body[pos] as number;
    return length < 0x80 && pos + 1 + length === end;
  }
  if (tag === INT || tag === BOOL) {
    // A varint of at most 10 bytes ending at `end`.
    if (end - pos > 10 || end <= pos) return false;
    while (pos < end - 1) if ((body[pos++] as number) < 0x80) return false;
    return (body[pos] as number) < 0x80;
  }
  return tag === DOUBLE && end - pos === 8;
}

import type { DecodeLimits } from './decode-limits.js';
import { DecodeBudget } from './decode-budget.js';
import { FIELDS_PER_SLICE, runSteps, type DecodeSteps } from './decode-lane.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import {
  FIELDS_BY_NUMBER,
  MAX_KNOWN_FIELD_NUMBER,
  MessageKind,
  MESSAGE_NAMES,
} from './otlp-wire-schema.js';
import {
  Action,
  FIELD_ACTIONS,
  fieldAction,
} from './validate-field-actions.js';
import { PLAIN_SPAN_MAX_BYTES, plainSpanItems } from './validate-plain-span.js';

const MAX_FIELD_NUMBER = 2 ** 29 - 1;

/**
 * Walks a binary `ExportTraceServiceRequest` byte by byte, following the
 * OTLP trace schema down to attribute values, without materializing
 * anything: counts spans and items and tracks value nesting against the
 * limits (`DecodeBudget`), and rejects what is not valid protobuf (field
 * number 0, wire types 3, 4, 6 and 7, a known field with the wrong wire
 * type, a varint over 10 bytes, a length past its message's end). Iterative
 * (an explicit stack), so no input can overflow the call stack. Unknown
 * fields with a valid wire type are skipped (they are forwarded as they
 * are); `ResourceSpans` field 1000 (`deprecated_scope_spans`) is not
 * unknown: it is walked and counted as scope spans, since the scan reads it
 * as the Collector does. Throws `OtlpDecodeError` (400, or 413 for a count
 * limit).
 */
export function validateProtobufRequest(
  body: Uint8Array,
  limits: DecodeLimits,
): DecodeBudget {
  return runSteps(walkProtobufRequest(body, limits));
}

/** `validateProtobufRequest` in steps of `FIELDS_PER_SLICE` fields. */
export function* walkProtobufRequest(
  body: Uint8Array,
  limits: DecodeLimits,
): DecodeSteps<DecodeBudget> {
  const walker = new ProtobufWalker(body, limits);
  while (!walker.walk(FIELDS_PER_SLICE)) yield;
  return walker.budget;
}

/**
 * The walk's state between slices. The loop runs in a plain method on
 * local variables (a generator would keep them in its heap context, which
 * costs on every field), and no closure captures them. A field whose tag
 * is below 256 (field numbers 1 to 31: nearly every field) is looked up in
 * `FIELD_ACTIONS` by its message and tag; any other tag, and every invalid
 * one, goes through `checkedAction`, which gives the errors. A span of at
 * most `PLAIN_SPAN_MAX_BYTES` is first checked whole (`plainSpanItems`);
 * only a span that is not plain is walked field by field.
 */
class ProtobufWalker {
  readonly budget: DecodeBudget;
  private readonly _body: Uint8Array;
  private readonly _maxValueDepth: number;
  private readonly _kinds: MessageKind[] = [];
  private readonly _ends: number[] = [];
  private _kind: MessageKind = MessageKind.Request;
  private _end: number;
  private _pos = 0;

  constructor(body: Uint8Array, limits: DecodeLimits) {
    this.budget = new DecodeBudget(limits);
    this._body = body;
    this._maxValueDepth = limits.maxValueDepth;
    this._end = body.length;
  }

  /** Walks up to `fields` more fields; true once the request is walked. */
  walk(fields: number): boolean {
    const body = this._body;
    const kinds = this._kinds;
    const ends = this._ends;
    const budget = this.budget;
    let kind = this._kind;
    let end = this._end;
    let pos = this._pos;
    for (let left = fields; left > 0; left--) {
      while (pos >= end) {
        const outer = kinds.pop();
        if (outer === undefined) return true;
        budget.leave(kind);
        kind = outer;
        end = ends.pop() as number;
      }
      const tagAt = pos;
      // Here `pos < end`: the loop above left no ended message.
      const tag = body[pos] as number;
      let action: number;
      if (tag < 0x80) {
        pos += 1;
        action = FIELD_ACTIONS[(kind << 8) | tag] as number;
      } else if (pos + 1 < end && body[pos + 1] === 1) {
        pos += 2;
        action = FIELD_ACTIONS[(kind << 8) | tag] as number;
      } else {
        pos = varintEnd(body, pos, end, kind);
        action = checkedAction(kind, varintValue(body, tagAt), tagAt);
      }
      if (action === Action.Checked) action = checkedAction(kind, tag, tagAt);
      if (action === Action.Varint) {
        if (pos < end && (body[pos] as number) < 0x80) pos++;
        else pos = varintEnd(body, pos, end, kind);
        continue;
      }
      if (action === Action.Fixed64) {
        if (end - pos < 8) {
          invalid(kind, 'index out of range: truncated fixed64', pos);
        }
        pos += 8;
        continue;
      }
      if (action === Action.Fixed32) {
        if (end - pos < 4) {
          invalid(kind, 'index out of range: truncated fixed32', pos);
        }
        pos += 4;
        continue;
      }
      // Length-delimited.
      const lengthAt = pos;
      let length = pos < end ? (body[pos] as number) : 0x80;
      if (length < 0x80) pos++;
      else {
        pos = varintEnd(body, pos, end, kind);
        length = varintValue(body, lengthAt);
      }
      if (length > end - pos) {
        invalid(
          kind,
          `index out of range: length ${length} past the end of the message (${end - pos} bytes left)`,
          lengthAt,
        );
      }
      if (action < Action.Message) {
        if (action === Action.RepeatedBytes) budget.item();
        pos += length;
        continue;
      }
      const inner = (action - Action.Message) as MessageKind;
      budget.enter(inner);
      if (inner === MessageKind.Span && length <= PLAIN_SPAN_MAX_BYTES) {
        const items = plainSpanItems(
          body,
          pos,
          pos + length,
          this._maxValueDepth,
        );
        if (items >= 0) {
          budget.addItems(items);
          pos += length;
          // Counted as a field per 8 bytes, so a slice takes about as long
          // as one of fields walked one by one.
          left -= length >>> 3;
          continue;
        }
      }
      kinds.push(kind);
      ends.push(end);
      kind = inner;
      end = pos + length;
    }
    this._kind = kind;
    this._end = end;
    this._pos = pos;
    return false;
  }
}

/**
 * The action of the field with this tag in a `kind` message, or the error
 * that makes it invalid (checked in this order: field number 0, field
 * number out of range, a known field with the wrong wire type, an invalid
 * wire type).
 */
function checkedAction(kind: MessageKind, tag: number, tagAt: number): number {
  const wireType = tag % 8;
  const fieldNumber = (tag - wireType) / 8;
  if (fieldNumber === 0) invalid(kind, 'field number 0', tagAt);
  if (fieldNumber > MAX_FIELD_NUMBER) {
    invalid(kind, `field number ${fieldNumber} out of range`, tagAt);
  }
  const action = fieldAction(kind, fieldNumber, wireType);
  if (action !== Action.Checked) return action;
  const spec =
    fieldNumber <= MAX_KNOWN_FIELD_NUMBER
      ? FIELDS_BY_NUMBER[kind]?.[fieldNumber]
      : undefined;
  if (spec !== undefined && spec.wireType !== wireType) {
    invalid(
      kind,
      `wire type ${wireType} for field ${fieldNumber} (${spec.name}), expected ${spec.wireType}`,
      tagAt,
    );
  }
  return invalid(kind, `invalid wire type ${wireType}`, tagAt);
}

function invalid(kind: MessageKind, message: string, at: number): never {
  throw new OtlpDecodeError(
    `invalid protobuf ExportTraceServiceRequest: ${message} at offset ${at} (in ${MESSAGE_NAMES[kind]})`,
  );
}

/**
 * Where the varint at `start` ends (at most 10 bytes, within `end`), or
 * `OtlpDecodeError`.
 */
function varintEnd(
  body: Uint8Array,
  start: number,
  end: number,
  kind: MessageKind,
): number {
  let pos = start;
  for (let index = 0; index < 10; index++) {
    if (pos >= end) {
      invalid(kind, 'index out of range: truncated varint', start);
    }
    if ((body[pos++] as number) < 0x80) return pos;
  }
  return invalid(kind, 'varint longer than 10 bytes', start);
}

/** The varint at `pos` (checked by `varintEnd`) as a number (exact up to 2^53). */
function varintValue(body: Uint8Array, pos: number): number {
  let value = 0;
  let scale = 1;
  for (;;) {
    const byte = body[pos++] as number;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return value;
    scale *= 128;
  }
}

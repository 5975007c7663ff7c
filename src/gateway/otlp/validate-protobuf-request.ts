import type { DecodeLimits } from './decode-limits.js';
import { DecodeBudget } from './decode-budget.js';
import { FIELDS_PER_SLICE, runSteps, type DecodeSteps } from './decode-lane.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import {
  FIELDS_BY_NUMBER,
  type FieldSpec,
  MAX_KNOWN_FIELD_NUMBER,
  MessageKind,
  MESSAGE_NAMES,
  WireType,
} from './otlp-wire-schema.js';

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
  const budget = new DecodeBudget(limits);
  const kinds: MessageKind[] = [];
  const ends: number[] = [];
  let kind: MessageKind = MessageKind.Request;
  let end = body.length;
  let pos = 0;
  const fail = (message: string, at: number): never => {
    throw new OtlpDecodeError(
      `invalid protobuf ExportTraceServiceRequest: ${message} at offset ${at} (in ${MESSAGE_NAMES[kind]})`,
    );
  };
  // Reads a varint of up to 10 bytes as a number (exact up to 2^53).
  const varint = (): number => {
    const start = pos;
    let value = 0;
    let scale = 1;
    for (let index = 0; index < 10; index++) {
      if (pos >= end) fail('index out of range: truncated varint', start);
      const byte = body[pos++] as number;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
    return fail('varint longer than 10 bytes', start);
  };

  let slice = FIELDS_PER_SLICE;
  for (;;) {
    if (--slice === 0) {
      slice = FIELDS_PER_SLICE;
      yield;
    }
    while (pos >= end) {
      const outer = kinds.pop();
      if (outer === undefined) return budget;
      budget.leave(kind);
      kind = outer;
      end = ends.pop() as number;
    }
    const tagAt = pos;
    // Most tags and lengths are one byte: read inline, else by `varint`
    // (here `pos < end`: the loop above left no ended message).
    const first = body[pos] as number;
    const tag = first < 0x80 ? (pos++, first) : varint();
    const wireType = tag % 8;
    const fieldNumber = (tag - wireType) / 8;
    if (fieldNumber === 0) fail('field number 0', tagAt);
    if (fieldNumber > MAX_FIELD_NUMBER) {
      fail(`field number ${fieldNumber} out of range`, tagAt);
    }
    const spec: FieldSpec | undefined =
      fieldNumber <= MAX_KNOWN_FIELD_NUMBER
        ? FIELDS_BY_NUMBER[kind]?.[fieldNumber]
        : undefined;
    if (spec !== undefined && spec.wireType !== wireType) {
      fail(
        `wire type ${wireType} for field ${fieldNumber} (${spec.name}), expected ${spec.wireType}`,
        tagAt,
      );
    }
    switch (wireType) {
      case WireType.Varint:
        varint();
        break;
      case WireType.Fixed64:
        if (end - pos < 8) fail('index out of range: truncated fixed64', pos);
        pos += 8;
        break;
      case WireType.Fixed32:
        if (end - pos < 4) fail('index out of range: truncated fixed32', pos);
        pos += 4;
        break;
      case WireType.Len: {
        const lengthAt = pos;
        const lengthByte = body[pos] as number;
        const length =
          pos < end && lengthByte < 0x80 ? (pos++, lengthByte) : varint();
        if (length > end - pos) {
          fail(
            `index out of range: length ${length} past the end of the message (${end - pos} bytes left)`,
            lengthAt,
          );
        }
        if (spec?.message !== undefined) {
          budget.enter(spec.message);
          kinds.push(kind);
          ends.push(end);
          kind = spec.message;
          end = pos + length;
        } else {
          if (spec?.repeated === true) budget.item();
          pos += length;
        }
        break;
      }
      default:
        fail(`invalid wire type ${wireType}`, tagAt);
    }
  }
}

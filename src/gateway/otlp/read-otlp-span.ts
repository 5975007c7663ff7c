import { Long } from './otlp-message-types.js';
import type { OtlpAnyValue, OtlpKeyValue, OtlpSpan } from './otlp-types.js';
import {
  noteKeyValue,
  readNotedAttributes,
  startKeyValues,
} from './read-attribute-record.js';
import type { ScannedSpan } from './scanned-request.js';
import type { WireReader } from './wire-reader.js';

const EMPTY_ID = new Uint8Array(0);
/** The attributes of a span the scan path does not decode (never written to). */
const NO_KEY_VALUES = Object.freeze([]) as unknown as OtlpKeyValue[];
const ATTRIBUTES = (9 << 3) | 2; // Span.attributes

/** How much of a span's attributes `readScannedSpan` reads. */
export type SpanAttributesRead =
  /** Every attribute (the reference decoder). */
  | 'all'
  /**
   * Every attribute when one of their keys is a pipeline key
   * (`isPipelineAttributeKey`), else none: the span then reads as one
   * without attributes, which is how the pipeline treats it anyway.
   */
  | 'if-marked';

/**
 * One `Span` of a scanned request (the bytes at `reader.pos..end`), read
 * for the pipeline. With `'all'` its attributes are decoded as
 * `OtlpKeyValue`s (the reference decoder). With `'if-marked'` (the
 * scan path) its key-values are noted as it goes (`noteKeyValue`: each
 * key looked up, with whether it is a pipeline key, and where its value
 * is; the values not read): a span without a pipeline key keeps no
 * attributes (it reads as the same span without attributes, which is how
 * the pipeline treats it anyway), a span with one has its attributes read
 * from the noted key-values straight into the core's record
 * (`readNotedAttributes`: no second walk of the span, no second key
 * look-up), with no `OtlpKeyValue` in between. Leaves `reader.pos` at
 * `end`.
 */
export function readScannedSpan(
  reader: WireReader,
  end: number,
  read: SpanAttributesRead,
): ScannedSpan {
  const start = reader.pos;
  const all = read === 'all';
  const span = emptySpan(all ? [] : NO_KEY_VALUES);
  if (!all) startKeyValues();
  const marked = readSpanFields(reader, end, span, all);
  return {
    bytes: reader.bytesAt(start, end),
    span,
    attributes: marked ? readNotedAttributes(reader) : undefined,
    update: undefined,
    rejected: false,
  };
}

function emptySpan(attributes: OtlpKeyValue[]): OtlpSpan {
  return {
    traceId: EMPTY_ID,
    spanId: EMPTY_ID,
    parentSpanId: undefined,
    flags: undefined,
    name: '',
    kind: undefined,
    startTimeUnixNano: Long.UZERO,
    endTimeUnixNano: Long.UZERO,
    attributes,
  };
}

/**
 * Reads what the gateway uses of one `Span` into `span` (ids, name, flags,
 * kind, times; its attributes as key-values, values to any depth, when
 * `keyValues`, else each noted by `noteKeyValue`: returns whether a key
 * was a pipeline key) from protobuf bytes already checked by
 * `validateProtobufRequest`, which also bounded the nesting (ids as
 * plain `Uint8Array` views of the body, not `Buffer`s). Events,
 * links, status and unknown fields are skipped, not materialized: they are
 * forwarded as received. A field present twice keeps its last value, as
 * protobufjs and the SDKs read it.
 */
function readSpanFields(
  reader: WireReader,
  end: number,
  span: OtlpSpan,
  keyValues: boolean,
): boolean {
  let marked = false;
  while (reader.pos < end) {
    const tag = reader.varint();
    switch (tag) {
      case (1 << 3) | 2:
        span.traceId = reader.bytesView();
        break;
      case (2 << 3) | 2:
        span.spanId = reader.bytesView();
        break;
      case (4 << 3) | 2:
        span.parentSpanId = reader.bytesView();
        break;
      case (5 << 3) | 2:
        span.name = reader.cachedString();
        break;
      case (6 << 3) | 0:
        span.kind = reader.varint();
        break;
      case (7 << 3) | 1:
        span.startTimeUnixNano = reader.fixed64();
        break;
      case (8 << 3) | 1:
        span.endTimeUnixNano = reader.fixed64();
        break;
      case ATTRIBUTES: {
        const keyValueEnd = reader.lengthEnd();
        if (keyValues) {
          span.attributes.push(readKeyValue(reader, keyValueEnd));
          break;
        }
        if (noteKeyValue(reader, keyValueEnd)) marked = true;
        break;
      }
      case (16 << 3) | 5:
        span.flags = reader.fixed32();
        break;
      default:
        reader.skip(tag & 7);
    }
  }
  return marked;
}

function readKeyValue(reader: WireReader, end: number): OtlpKeyValue {
  const keyValue: OtlpKeyValue = { key: '', value: undefined };
  while (reader.pos < end) {
    const tag = reader.varint();
    if (tag === ((1 << 3) | 2)) keyValue.key = reader.cachedString();
    else if (tag === ((2 << 3) | 2)) {
      keyValue.value = readAnyValue(reader, reader.lengthEnd());
    } else reader.skip(tag & 7);
  }
  return keyValue;
}

// Recursion depth is bounded by --max-value-depth, checked before reading.
function readAnyValue(reader: WireReader, end: number): OtlpAnyValue {
  let value: OtlpAnyValue = {};
  while (reader.pos < end) {
    const tag = reader.varint();
    switch (tag) {
      case (1 << 3) | 2:
        value = { stringValue: reader.string() };
        break;
      case (2 << 3) | 0:
        value = { boolValue: reader.varint() !== 0 };
        break;
      case (3 << 3) | 0:
        value = { intValue: reader.int64() };
        break;
      case (4 << 3) | 1:
        value = { doubleValue: reader.double() };
        break;
      case (5 << 3) | 2: {
        const listEnd = reader.lengthEnd();
        const values: OtlpAnyValue[] = [];
        while (reader.pos < listEnd) {
          const entryTag = reader.varint();
          if (entryTag === ((1 << 3) | 2)) {
            values.push(readAnyValue(reader, reader.lengthEnd()));
          } else reader.skip(entryTag & 7);
        }
        value = { arrayValue: { values } };
        break;
      }
      case (6 << 3) | 2: {
        const listEnd = reader.lengthEnd();
        const values: OtlpKeyValue[] = [];
        while (reader.pos < listEnd) {
          const entryTag = reader.varint();
          if (entryTag === ((1 << 3) | 2)) {
            values.push(readKeyValue(reader, reader.lengthEnd()));
          } else reader.skip(entryTag & 7);
        }
        value = { kvlistValue: { values } };
        break;
      }
      case (7 << 3) | 2:
        value = { bytesValue: reader.bytes() };
        break;
      default:
        reader.skip(tag & 7);
    }
  }
  return value;
}

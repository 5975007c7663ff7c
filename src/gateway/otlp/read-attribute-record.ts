import type { AttributeValue, SpanAttributes } from '../../core/span-like.js';
import { UNREADABLE_VALUE } from '../span/otlp-attribute-values.js';
import { longToNumber } from './otlp-message-types.js';
import type { WireReader } from './wire-reader.js';

const ATTRIBUTES = (9 << 3) | 2; // Span.attributes
const KEY = (1 << 3) | 2; // KeyValue.key
const VALUE = (2 << 3) | 2; // KeyValue.value
const STRING = (1 << 3) | 2; // AnyValue.string_value
const BOOL = (2 << 3) | 0; // AnyValue.bool_value
const INT = (3 << 3) | 0; // AnyValue.int_value
const DOUBLE = (4 << 3) | 1; // AnyValue.double_value
const ARRAY = (5 << 3) | 2; // AnyValue.array_value
const KVLIST = (6 << 3) | 2; // AnyValue.kvlist_value
const BYTES = (7 << 3) | 2; // AnyValue.bytes_value
const ENTRY = (1 << 3) | 2; // ArrayValue.values

type Primitive = string | number | boolean;

/**
 * The attributes of the `Span` at `start..end` read straight from its
 * bytes into the core's record, with no `OtlpKeyValue`/`OtlpAnyValue`
 * objects in between (the scan path's reader for the spans it decodes).
 * Gives exactly what `readOtlpAttributes` gives for the same span decoded
 * by `readOtlpSpan` (the rule lives there: a nested map, bytes, an empty
 * value or a missing one read as `UNREADABLE_VALUE`, an array element of
 * another kind as `null`, a repeated key or field keeps its last value);
 * the scan-path parity property test holds the two equal. Nested values
 * are skipped, not read. Leaves `reader.pos` at `end`.
 */
export function readAttributeRecord(
  reader: WireReader,
  start: number,
  end: number,
): SpanAttributes {
  const attributes: Record<string, AttributeValue> = {};
  reader.pos = start;
  while (reader.pos < end) {
    const tag = reader.varint();
    if (tag !== ATTRIBUTES) {
      reader.skip(tag & 7);
      continue;
    }
    const keyValueEnd = reader.lengthEnd();
    let key = '';
    let value: AttributeValue = UNREADABLE_VALUE;
    while (reader.pos < keyValueEnd) {
      const field = reader.varint();
      if (field === KEY) key = reader.cachedString();
      else if (field === VALUE) value = readValue(reader, reader.lengthEnd());
      else reader.skip(field & 7);
    }
    attributes[key] = value;
  }
  return attributes;
}

function readValue(reader: WireReader, end: number): AttributeValue {
  let value: AttributeValue = UNREADABLE_VALUE;
  while (reader.pos < end) {
    const tag = reader.varint();
    switch (tag) {
      case STRING:
        value = reader.valueString();
        break;
      case ARRAY:
        value = readList(reader, reader.lengthEnd());
        break;
      case KVLIST:
      case BYTES:
        reader.skip(2);
        value = UNREADABLE_VALUE;
        break;
      default: {
        const primitive = readPrimitive(reader, tag);
        if (primitive !== undefined) value = primitive;
      }
    }
  }
  return value;
}

function readList(reader: WireReader, end: number): (Primitive | null)[] {
  const list: (Primitive | null)[] = [];
  while (reader.pos < end) {
    const tag = reader.varint();
    if (tag !== ENTRY) {
      reader.skip(tag & 7);
      continue;
    }
    const entryEnd = reader.lengthEnd();
    let element: Primitive | null = null;
    while (reader.pos < entryEnd) {
      const field = reader.varint();
      if (field === ARRAY || field === KVLIST || field === BYTES) {
        reader.skip(2);
        element = null;
        continue;
      }
      const primitive = readPrimitive(reader, field);
      if (primitive !== undefined) element = primitive;
    }
    list.push(element);
  }
  return list;
}

/** A primitive `AnyValue` field, or undefined (skipped) for any other. */
function readPrimitive(reader: WireReader, tag: number): Primitive | undefined {
  switch (tag) {
    case STRING:
      return reader.string();
    case BOOL:
      return reader.varint() !== 0;
    case INT:
      return longToNumber(reader.int64());
    case DOUBLE:
      return reader.double();
    default:
      reader.skip(tag & 7);
      return undefined;
  }
}

import type { AttributeValue, SpanAttributes } from '../../core/span-like.js';
import { UNREADABLE_VALUE } from '../span/otlp-attribute-values.js';
import { isPipelineAttributeKey } from '../span/pipeline-attribute-key.js';
import { longToNumber } from './otlp-message-types.js';
import { RECORD_SHAPES } from './record-shapes.js';
import { ShortStringCache } from './short-string-cache.js';
import type { WireReader } from './wire-reader.js';

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
 * Attribute keys seen, each with whether it is a pipeline key
 * (`isPipelineAttributeKey`) and the last string value read after it:
 * the scan path reads the keys of every span (1,024 slots, about 64 KiB
 * plus the strings, twice for the values).
 */
const PIPELINE_KEYS = new ShortStringCache(isPipelineAttributeKey);

/**
 * The key-values of the span being scanned, as `noteKeyValue` found them
 * (reused span after span): each key's string and slot in
 * `PIPELINE_KEYS` (-1 when longer than 64 bytes), and its last value
 * field's content (-1 when it has none).
 */
let keys: string[] = [];
let slots: Int32Array = new Int32Array(64);
let valueStarts: Int32Array = new Int32Array(64);
let valueEnds: Int32Array = new Int32Array(64);
let count = 0;
/** Whether a key longer than 64 bytes is held in `keys` (dropped at the next span). */
let longKeys = false;

/** Starts the key-values of a new span (`noteKeyValue`). */
export function startKeyValues(): void {
  count = 0;
  if (longKeys) {
    keys = [];
    longKeys = false;
  }
}

/**
 * Notes the `KeyValue` at `reader.pos..end` of the span being scanned
 * (its last `key` field, `''` when none, and its last `value` field) and
 * tells whether its key is a pipeline key (`isPipelineAttributeKey`).
 * Leaves `reader.pos` at `end`.
 */
export function noteKeyValue(reader: WireReader, end: number): boolean {
  const buf = reader.buf;
  const pos = reader.pos;
  let keyStart = pos;
  let keyEnd = keyStart;
  let valueStart = -1;
  let valueEnd = -1;
  // The usual shape, read without a varint call: a key, then a value,
  // each with a one-byte length, ending the key-value.
  const keyLength = buf[pos + 1] as number;
  const valueAt = pos + 2 + keyLength;
  if (
    buf[pos] === KEY &&
    keyLength < 0x80 &&
    valueAt + 2 <= end &&
    buf[valueAt] === VALUE &&
    (buf[valueAt + 1] as number) < 0x80 &&
    valueAt + 2 + (buf[valueAt + 1] as number) === end
  ) {
    keyStart = pos + 2;
    keyEnd = valueAt;
    valueStart = valueAt + 2;
    valueEnd = end;
    reader.pos = end;
  }
  while (reader.pos < end) {
    const tag = reader.varint();
    if (tag === KEY) {
      keyEnd = reader.lengthEnd();
      keyStart = reader.pos;
      reader.pos = keyEnd;
    } else if (tag === VALUE) {
      valueEnd = reader.lengthEnd();
      valueStart = reader.pos;
      reader.pos = valueEnd;
    } else reader.skip(tag & 7);
  }
  const slot = PIPELINE_KEYS.slotOf(buf, keyStart, keyEnd, reader.view);
  let key: string;
  let pipeline: boolean;
  if (slot < 0) {
    key = buf.toString('utf8', keyStart, keyEnd);
    pipeline = isPipelineAttributeKey(key);
    longKeys = true;
  } else {
    key = PIPELINE_KEYS.stringAt(slot);
    pipeline = PIPELINE_KEYS.answerAt(slot);
  }
  if (count === slots.length) grow();
  keys[count] = key;
  slots[count] = slot;
  valueStarts[count] = valueStart;
  valueEnds[count] = valueEnd;
  count += 1;
  return pipeline;
}

function grow(): void {
  const size = slots.length * 2;
  const widened = (from: Int32Array): Int32Array => {
    const to = new Int32Array(size);
    to.set(from);
    return to;
  };
  slots = widened(slots);
  valueStarts = widened(valueStarts);
  valueEnds = widened(valueEnds);
}

/**
 * The attributes of the span whose key-values were just noted
 * (`noteKeyValue`, from the bytes `reader` reads), read straight from
 * its bytes into the core's record, with no `OtlpKeyValue`/`OtlpAnyValue`
 * objects in between (the scan path's reader for the spans it decodes).
 * Gives exactly what `readOtlpAttributes` gives for the same span decoded
 * by `readOtlpSpan` (the rule lives there: a nested map, bytes, an empty
 * value or a missing one read as `UNREADABLE_VALUE`, an array element of
 * another kind as `null`, a repeated key or field keeps its last value);
 * the scan-path parity property test holds the two equal. Nested values
 * are skipped, not read. The record is built as before (`{}`, one keyed
 * store per key-value in order); its shape is noted (`RECORD_SHAPES`) so
 * V8 keeps records of a shape that repeats in fast mode. Leaves
 * `reader.pos` where it was.
 */
export function readNotedAttributes(reader: WireReader): SpanAttributes {
  const attributes: Record<string, AttributeValue> = {};
  const pos = reader.pos;
  let shape = count;
  let hashed = true;
  for (let i = 0; i < count; i++) {
    const slot = slots[i] as number;
    const start = valueStarts[i] as number;
    let value: AttributeValue = UNREADABLE_VALUE;
    if (start >= 0) {
      reader.pos = start;
      value = readValue(reader, valueEnds[i] as number, slot);
    }
    attributes[keys[i] as string] = value;
    if (slot < 0) hashed = false;
    shape = Math.imul(shape ^ slot, 0x9e3779b1);
  }
  reader.pos = pos;
  if (hashed) RECORD_SHAPES.note(shape ^ (shape >>> 15), count, attributes);
  return attributes;
}

/** An `AnyValue`'s value; `keySlot`: its key's slot, for the value memo. */
function readValue(
  reader: WireReader,
  end: number,
  keySlot: number,
): AttributeValue {
  let value: AttributeValue = UNREADABLE_VALUE;
  const buf = reader.buf;
  const pos = reader.pos;
  // One string field with a one-byte length: no varint call.
  const length = buf[pos + 1] as number;
  if (buf[pos] === STRING && length < 0x80 && pos + 2 + length === end) {
    reader.pos = end;
    return PIPELINE_KEYS.readValueAfter(
      keySlot,
      buf,
      pos + 2,
      end,
      reader.view,
    );
  }
  while (reader.pos < end) {
    const tag = reader.varint();
    switch (tag) {
      case STRING: {
        const stringEnd = reader.lengthEnd();
        value = PIPELINE_KEYS.readValueAfter(
          keySlot,
          reader.buf,
          reader.pos,
          stringEnd,
          reader.view,
        );
        reader.pos = stringEnd;
        break;
      }
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

import type { AttributeValue, SpanAttributes } from '../../core/span-like.js';
import { longToNumber } from '../otlp/otlp-message-types.js';
import type { OtlpAnyValue, OtlpKeyValue } from '../otlp/otlp-types.js';

type Primitive = string | number | boolean;

/**
 * OTLP key-values as the core's attribute record. Strings, booleans,
 * integers (as numbers), doubles and arrays of those map one to one (an
 * array element of another kind reads as `null`). Every other value (a
 * nested map, bytes, an empty `AnyValue`, a `KeyValue` without a value) has
 * no `SpanLike` equivalent and reads as `''`: present, but readable as
 * nothing. So a token count sent that way is present and invalid
 * (`invalid_usage`), never missing; a string reader (model, provider) sees
 * `''` as absent, as it would for an SDK span; an identity key is rewritten
 * by the privacy rules, never forwarded raw. A repeated key keeps its last
 * value, as the SDK would.
 */
export function readOtlpAttributes(
  keyValues: readonly OtlpKeyValue[] | undefined,
): SpanAttributes {
  const attributes: Record<string, AttributeValue> = {};
  if (keyValues === undefined) return attributes;
  for (const keyValue of keyValues) {
    const value = keyValue.value;
    attributes[keyValue.key] =
      (value === undefined || value === null
        ? undefined
        : toAttributeValue(value)) ?? UNREADABLE_VALUE;
  }
  return attributes;
}

/** What a value the core cannot represent reads as (see above). */
export const UNREADABLE_VALUE = '';

function toAttributeValue(value: OtlpAnyValue): AttributeValue | undefined {
  const primitive = toPrimitive(value);
  if (primitive !== undefined) return primitive;
  if (Object.hasOwn(value, 'arrayValue') && value.arrayValue) {
    const list: (Primitive | null)[] = [];
    for (const element of value.arrayValue.values) {
      list.push(toPrimitive(element) ?? null);
    }
    return list;
  }
  return undefined;
}

function toPrimitive(value: OtlpAnyValue): Primitive | undefined {
  // Decoded messages carry defaults on their prototype: test own fields.
  if (Object.hasOwn(value, 'stringValue')) return value.stringValue;
  if (Object.hasOwn(value, 'intValue') && value.intValue != null) {
    return longToNumber(value.intValue);
  }
  if (Object.hasOwn(value, 'doubleValue')) return value.doubleValue;
  if (Object.hasOwn(value, 'boolValue')) return value.boolValue;
  return undefined;
}

/**
 * A value written by this library as an OTLP value, with the OpenTelemetry
 * JS SDK's rule (integral numbers become `intValue`, others `doubleValue`),
 * so the gateway's output matches the span processor's. Only safe integers
 * become `intValue`: a larger integer-valued double (1e308, 2^64) would wrap
 * when encoded as int64 (1e308 became 0), so it stays a `doubleValue`, which
 * carries it exactly.
 */
export function toOtlpAnyValue(
  value: Primitive | readonly Primitive[],
): OtlpAnyValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') {
    return Number.isSafeInteger(value)
      ? { intValue: intValue(value) }
      : { doubleValue: value };
  }
  return { arrayValue: { values: value.map(toOtlpAnyValue) } };
}

function intValue(value: number): NonNullable<OtlpAnyValue['intValue']> {
  // protobufjs encodes a plain number for int64; the type asks for a Long.
  return value as unknown as NonNullable<OtlpAnyValue['intValue']>;
}

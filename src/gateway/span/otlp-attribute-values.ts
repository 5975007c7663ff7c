import type { AttributeValue, SpanAttributes } from '../../core/span-like.js';
import { identitySourceOf } from '../../core/identity/read-span-identity.js';
import { longToNumber } from '../otlp/otlp-message-types.js';
import type { OtlpAnyValue, OtlpKeyValue } from '../otlp/otlp-types.js';

type Primitive = string | number | boolean;

/**
 * OTLP key-values as the core's attribute record. Strings, booleans,
 * integers (as numbers), doubles and arrays of those map one to one; nested
 * maps and bytes have no `SpanLike` equivalent and are left out (no reader
 * uses them). A repeated key keeps its last value, as the SDK would.
 */
export function readOtlpAttributes(
  keyValues: readonly OtlpKeyValue[] | undefined,
): SpanAttributes {
  const attributes: Record<string, AttributeValue> = {};
  if (keyValues === undefined) return attributes;
  for (const keyValue of keyValues) {
    const value = keyValue.value;
    const converted =
      value === undefined || value === null
        ? undefined
        : toAttributeValue(value);
    if (converted !== undefined) attributes[keyValue.key] = converted;
    // An identity key whose value cannot be read (a map, bytes, no value)
    // reads as '', so the privacy rules rewrite it: never forwarded raw.
    else if (identitySourceOf(keyValue.key) !== undefined) {
      attributes[keyValue.key] = '';
    }
  }
  return attributes;
}

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

import type { JsonPath } from './json-path.js';
import {
  asObject,
  readArray,
  readBase64,
  readBool,
  readDouble,
  readIntValue,
  readMessage,
  readObject,
  isSet,
  readString,
  type JsonObject,
} from './json-values.js';
import type { OtlpAnyValue, OtlpKeyValue } from './otlp-types.js';
import { jsonKeys, type JsonKey } from './json-field-names.js';

const ANY_VALUE_FIELDS = [
  'stringValue',
  'boolValue',
  'intValue',
  'doubleValue',
  'arrayValue',
  'kvlistValue',
  'bytesValue',
] as const;
type AnyValueField = (typeof ANY_VALUE_FIELDS)[number];

// The value field each key names (JSON or proto name), with that one key.
const ANY_VALUE_KEYS: Readonly<
  Record<string, { field: AnyValueField; key: JsonKey } | undefined>
> = (() => {
  const byKey = Object.create(null) as Record<
    string,
    { field: AnyValueField; key: JsonKey }
  >;
  for (const [field, { name, proto }] of Object.entries(
    jsonKeys(ANY_VALUE_FIELDS),
  ) as [AnyValueField, JsonKey][]) {
    for (const spelling of [name, proto ?? name]) {
      byKey[spelling] = { field, key: { name: spelling, proto: undefined } };
    }
  }
  return byKey;
})();
const K = jsonKeys(['key', 'value', 'values']);

/**
 * One OTLP/JSON attribute (`{"key": ..., "value": {"intValue": "3"}}`) in
 * the decoded-protobuf shape. An `AnyValue` has at most one field set,
 * under either spelling (`intValue` or `int_value`; two set keys fail, even
 * two spellings of one field); arrays and key-value lists nest.
 */
export function keyValue(value: unknown, path: JsonPath): OtlpKeyValue {
  const object = asObject(value, path);
  const anyValue = readObject(object, K.value, path);
  path.enter('value');
  const result: OtlpKeyValue = {
    key: readString(object, K.key, path) ?? '',
    value: anyValue === undefined ? undefined : toAnyValue(anyValue, path),
  };
  path.leave();
  return result;
}

function anyValueElement(value: unknown, path: JsonPath): OtlpAnyValue {
  return toAnyValue(asObject(value, path), path);
}

function toAnyValue(object: JsonObject, path: JsonPath): OtlpAnyValue {
  let set: { field: AnyValueField; key: JsonKey } | undefined;
  for (const name in object) {
    const known = ANY_VALUE_KEYS[name];
    if (known === undefined || !isSet(object[name])) continue;
    if (set !== undefined) path.fail(`${bothSet(object)} are set`);
    set = known;
  }
  if (set === undefined) return {};
  const key = set.key;
  switch (set.field) {
    case 'stringValue':
      return { stringValue: readString(object, key, path) };
    case 'boolValue':
      return { boolValue: readBool(object, key, path) };
    case 'intValue':
      return { intValue: readIntValue(object, key, path) };
    case 'doubleValue':
      return { doubleValue: readDouble(object, key, path) };
    case 'bytesValue':
      return { bytesValue: readBase64(object, key, path) };
    case 'arrayValue':
      return {
        arrayValue: { values: nested(object, key, path, anyValueElement) },
      };
    case 'kvlistValue':
      return { kvlistValue: { values: nested(object, key, path, keyValue) } };
  }
}

/** `both stringValue and intValue`: the first two set keys, by field. */
function bothSet(object: JsonObject): string {
  const keys = Object.keys(object).filter(
    name => ANY_VALUE_KEYS[name] !== undefined && isSet(object[name]),
  );
  const rank = (name: string): number =>
    ANY_VALUE_FIELDS.indexOf(ANY_VALUE_KEYS[name]?.field as AnyValueField);
  keys.sort((a, b) => rank(a) - rank(b));
  return `both ${keys[0]} and ${keys[1]}`;
}

function nested<T>(
  object: JsonObject,
  key: JsonKey,
  path: JsonPath,
  map: (element: unknown, path: JsonPath) => T,
): T[] {
  return (
    readMessage(object, key, path, inner =>
      readArray(inner, K.values, path, map),
    ) ?? []
  );
}

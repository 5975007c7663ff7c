import type { JsonPath } from './json-path.js';
import {
  asObject,
  readArray,
  readBase64,
  readBool,
  readDouble,
  readIntValue,
  readObject,
  readString,
  type JsonObject,
} from './json-values.js';
import type { OtlpAnyValue, OtlpKeyValue } from './otlp-types.js';

const ANY_VALUE_FIELDS = [
  'stringValue',
  'boolValue',
  'intValue',
  'doubleValue',
  'arrayValue',
  'kvlistValue',
  'bytesValue',
] as const;

/**
 * One OTLP/JSON attribute (`{"key": ..., "value": {"intValue": "3"}}`) in
 * the decoded-protobuf shape. An `AnyValue` has at most one field set;
 * arrays and key-value lists nest.
 */
export function keyValue(value: unknown, path: JsonPath): OtlpKeyValue {
  const object = asObject(value, path);
  const anyValue = readObject(object, 'value', path);
  path.enter('value');
  const result: OtlpKeyValue = {
    key: readString(object, 'key', path) ?? '',
    value: anyValue === undefined ? undefined : toAnyValue(anyValue, path),
  };
  path.leave();
  return result;
}

function anyValueElement(value: unknown, path: JsonPath): OtlpAnyValue {
  return toAnyValue(asObject(value, path), path);
}

function toAnyValue(object: JsonObject, path: JsonPath): OtlpAnyValue {
  let set: (typeof ANY_VALUE_FIELDS)[number] | undefined;
  for (const name of ANY_VALUE_FIELDS) {
    if (object[name] === undefined || object[name] === null) continue;
    if (set !== undefined) path.fail(`both ${set} and ${name} are set`);
    set = name;
  }
  switch (set) {
    case 'stringValue':
      return { stringValue: readString(object, set, path) };
    case 'boolValue':
      return { boolValue: readBool(object, set, path) };
    case 'intValue':
      return { intValue: readIntValue(object, set, path) };
    case 'doubleValue':
      return { doubleValue: readDouble(object, set, path) };
    case 'bytesValue':
      return { bytesValue: readBase64(object, set, path) };
    case 'arrayValue':
      return {
        arrayValue: { values: nested(object, set, path, anyValueElement) },
      };
    case 'kvlistValue':
      return { kvlistValue: { values: nested(object, set, path, keyValue) } };
    default:
      return {};
  }
}

function nested<T>(
  object: JsonObject,
  key: 'arrayValue' | 'kvlistValue',
  path: JsonPath,
  map: (element: unknown, path: JsonPath) => T,
): T[] {
  const inner = readObject(object, key, path) ?? {};
  path.enter(key);
  const values = readArray(inner, 'values', path, map);
  path.leave();
  return values;
}

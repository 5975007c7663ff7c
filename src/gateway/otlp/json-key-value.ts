import type { JsonPath } from './json-path.js';
import {
  asObject,
  readArray,
  readBase64,
  readBool,
  readDouble,
  readIntValue,
  readObject,
  isSet,
  readString,
  type JsonObject,
} from './json-values.js';
import type { OtlpAnyValue, OtlpKeyValue } from './otlp-types.js';
import { protoFieldName } from './json-field-names.js';

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

// The value field each key names: the JSON name and the proto name.
const ANY_VALUE_FIELD_BY_KEY: Readonly<
  Record<string, AnyValueField | undefined>
> = (() => {
  const byKey = Object.create(null) as Record<string, AnyValueField>;
  for (const name of ANY_VALUE_FIELDS) {
    byKey[name] = name;
    byKey[protoFieldName(name)] = name;
  }
  return byKey;
})();

/**
 * One OTLP/JSON attribute (`{"key": ..., "value": {"intValue": "3"}}`) in
 * the decoded-protobuf shape. An `AnyValue` has at most one field set,
 * under either spelling (`intValue` or `int_value`; two set keys fail, even
 * two spellings of one field); arrays and key-value lists nest.
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
  let set: AnyValueField | undefined;
  let key = '';
  for (const name in object) {
    const field = ANY_VALUE_FIELD_BY_KEY[name];
    if (field === undefined || !isSet(object[name])) continue;
    if (set !== undefined) path.fail(`${bothSet(object)} are set`);
    set = field;
    key = name;
  }
  switch (set) {
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
    default:
      return {};
  }
}

/** `both stringValue and intValue`: the first two set keys, by field. */
function bothSet(object: JsonObject): string {
  const keys = Object.keys(object).filter(
    name => ANY_VALUE_FIELD_BY_KEY[name] !== undefined && isSet(object[name]),
  );
  const rank = (name: string): number =>
    ANY_VALUE_FIELDS.indexOf(ANY_VALUE_FIELD_BY_KEY[name] as AnyValueField);
  keys.sort((a, b) => rank(a) - rank(b));
  return `both ${keys[0]} and ${keys[1]}`;
}

function nested<T>(
  object: JsonObject,
  key: string,
  path: JsonPath,
  map: (element: unknown, path: JsonPath) => T,
): T[] {
  const inner = readObject(object, key, path) ?? {};
  path.enter(key);
  const values = readArray(inner, 'values', path, map);
  path.leave();
  return values;
}

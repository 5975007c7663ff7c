import type { Long as LongType } from 'protobufjs';
import { describeJson, type JsonPath } from './json-path.js';
import { int64FromDecimal, isDecimalInt64 } from './decimal-int64.js';
import { Long } from './otlp-message-types.js';
import type { JsonKey } from './json-field-names.js';

/**
 * Typed readers for one field of an OTLP/JSON object (proto3 JSON mapping
 * with the OTLP deviations). Each is given the field's keys (`jsonKeys`:
 * its JSON name and its proto name) and reads it under either. Each returns
 * `undefined` for an absent or `null` field and fails with the field's
 * path, as the sender spelled it, on a wrong type.
 */
export type JsonObject = Readonly<Record<string, unknown>>;

const DECIMAL = /^-?\d{1,20}$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function field(
  object: JsonObject,
  key: JsonKey,
  path: JsonPath,
  read: (value: unknown) => unknown,
): unknown {
  const present = presentKey(object, key);
  if (present === undefined) return undefined;
  path.enter(present);
  const result = read(object[present]);
  path.leave();
  return result;
}

/** A field is set unless absent or `null`. */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/**
 * The key a single-valued field is set under (`null` is unset): its JSON
 * name or its proto name (`json-field-names.ts`); when both are set, the
 * later one in the object, as the Collector reads them.
 */
function presentKey(object: JsonObject, key: JsonKey): string | undefined {
  const { name, proto } = key;
  const set = isSet(object[name]);
  if (proto === undefined || !isSet(object[proto])) {
    return set ? name : undefined;
  }
  return set && isLaterKey(object, name, proto) ? name : proto;
}

/** Whether the object has the field under either spelling, even `null`. */
export function hasField(object: JsonObject, key: JsonKey): boolean {
  return (
    Object.hasOwn(object, key.name) ||
    (key.proto !== undefined && Object.hasOwn(object, key.proto))
  );
}

/** Whether `key` comes after `than` in the object (both are in it). */
function isLaterKey(object: JsonObject, key: string, than: string): boolean {
  for (const name in object) {
    if (name === key) return false;
    if (name === than) return true;
  }
  return false;
}

export function asObject(value: unknown, path: JsonPath): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    path.fail(`expected an object, got ${describeJson(value)}`);
  }
  return value as JsonObject;
}

export function readObject(
  object: JsonObject,
  key: JsonKey,
  path: JsonPath,
): JsonObject | undefined {
  return field(object, key, path, value => asObject(value, path)) as
    JsonObject | undefined;
}

/** A message field converted by `convert` (its path entered), if set. */
export function readMessage<T>(
  object: JsonObject,
  key: JsonKey,
  path: JsonPath,
  convert: (message: JsonObject, path: JsonPath) => T,
): T | undefined {
  return field(object, key, path, value =>
    convert(asObject(value, path), path),
  ) as T | undefined;
}

/**
 * Maps each element of an array field; absent or `null` gives `[]`. Under
 * both of its spellings, the elements of both in the object's order, as the
 * Collector reads them.
 */
export function readArray<T>(
  object: JsonObject,
  key: JsonKey,
  path: JsonPath,
  map: (element: unknown, path: JsonPath) => T,
): T[] {
  const { name, proto } = key;
  if (proto === undefined || !isSet(object[proto])) {
    return mapArray(object, name, path, map);
  }
  if (!isSet(object[name])) return mapArray(object, proto, path, map);
  const [first, second] = isLaterKey(object, name, proto)
    ? [proto, name]
    : [name, proto];
  return mapArray(
    object,
    second,
    path,
    map,
    mapArray(object, first, path, map),
  );
}

/** The mapped elements of `object[key]`, appended to `result` if given. */
function mapArray<T>(
  object: JsonObject,
  key: string,
  path: JsonPath,
  map: (element: unknown, path: JsonPath) => T,
  result?: T[],
): T[] {
  const value = object[key];
  if (value === undefined || value === null) return result ?? [];
  path.enter(key);
  if (!Array.isArray(value)) {
    path.fail(`expected an array, got ${describeJson(value)}`);
  }
  const mapped = result ?? new Array<T>(value.length);
  const offset = result === undefined ? 0 : result.length;
  for (let index = 0; index < value.length; index++) {
    path.enter(index);
    mapped[offset + index] = map(value[index], path);
    path.leave();
  }
  path.leave();
  return mapped;
}

export function readString(
  object: JsonObject,
  key: JsonKey,
  path: JsonPath,
): string | undefined {
  return field(object, key, path, value =>
    typeof value === 'string'
      ? value
      : path.fail(`expected a string, got ${describeJson(value)}`),
  ) as string | undefined;
}

export function readBool(
  object: JsonObject,
  key: JsonKey,
  path: JsonPath,
): boolean | undefined {
  return field(object, key, path, value =>
    typeof value === 'boolean'
      ? value
      : path.fail(`expected true or false, got ${describeJson(value)}`),
  ) as boolean | undefined;
}

/** int64 or (unsigned) fixed64: a JSON number or a decimal string. */
export function readInt64(
  object: JsonObject,
  key: JsonKey,
  path: JsonPath,
  unsigned: boolean,
): LongType | undefined {
  return field(object, key, path, value => {
    // Most integers are small JSON numbers: no text needed.
    if (
      typeof value === 'number' &&
      Number.isSafeInteger(value) &&
      (value >= 0 || !unsigned)
    ) {
      return Long.fromNumber(value, unsigned);
    }
    const text = integerText(value);
    if (text === undefined) {
      path.fail(
        `expected an integer (number or decimal string), got ${describeJson(value)}`,
      );
    }
    const long = int64FromDecimal(text, unsigned);
    if (long === undefined) {
      path.fail(`${text} is out of range for ${unsigned ? 'uint64' : 'int64'}`);
    }
    return long;
  }) as LongType | undefined;
}

/**
 * An `AnyValue.intValue` (int64): the number when it is a safe integer,
 * else the decimal text, checked to be within int64 but kept as it came
 * (`OtlpAnyValue.intValue`); the encoder writes it without `BigInt` or
 * `Long` objects.
 */
export function readIntValue(
  object: JsonObject,
  key: JsonKey,
  path: JsonPath,
): number | string | undefined {
  return field(object, key, path, value => {
    if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
    const text = integerText(value);
    if (text === undefined) {
      path.fail(
        `expected an integer (number or decimal string), got ${describeJson(value)}`,
      );
    }
    if (!isDecimalInt64(text)) path.fail(`${text} is out of range for int64`);
    return text;
  }) as number | string | undefined;
}

/** uint32 / fixed32: a JSON number or a decimal string. */
export function readUint32(
  object: JsonObject,
  key: JsonKey,
  path: JsonPath,
): number | undefined {
  return field(object, key, path, value => {
    const text = integerText(value);
    const number = text === undefined ? NaN : Number(text);
    if (!(number >= 0 && number <= 0xffff_ffff)) {
      path.fail(
        `expected an unsigned 32-bit integer, got ${describeJson(value)}`,
      );
    }
    return number;
  }) as number | undefined;
}

/** double: a JSON number, a numeric string, `NaN`, `Infinity`, `-Infinity`. */
export function readDouble(
  object: JsonObject,
  key: JsonKey,
  path: JsonPath,
): number | undefined {
  return field(object, key, path, value => {
    if (typeof value === 'number') return value;
    if (typeof value === 'string' && value.trim() !== '') {
      const number = Number(value);
      if (!Number.isNaN(number) || value === 'NaN') return number;
    }
    return path.fail(`expected a number, got ${describeJson(value)}`);
  }) as number | undefined;
}

/** An enum as its number or its name (`SPAN_KIND_SERVER`). */
export function readEnum(
  object: JsonObject,
  key: JsonKey,
  path: JsonPath,
  names: Readonly<Record<string, number>>,
): number | undefined {
  return field(object, key, path, value => {
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    if (typeof value === 'string' && Object.hasOwn(names, value)) {
      return names[value];
    }
    return path.fail(
      `expected an enum number or one of ${Object.keys(names).join(', ')}, got ${describeJson(value)}`,
    );
  }) as number | undefined;
}

/** Trace and span ids: hex strings (case-insensitive), not base64. */
export function readHexId(
  object: JsonObject,
  key: JsonKey,
  path: JsonPath,
): Uint8Array | undefined {
  return field(object, key, path, value =>
    typeof value === 'string' && HEX.test(value)
      ? Buffer.from(value, 'hex')
      : path.fail(`expected a hex-encoded id, got ${describeJson(value)}`),
  ) as Uint8Array | undefined;
}

/** Other bytes fields: base64 (standard or URL-safe). */
export function readBase64(
  object: JsonObject,
  key: JsonKey,
  path: JsonPath,
): Uint8Array | undefined {
  return field(object, key, path, value =>
    typeof value === 'string' && BASE64.test(value)
      ? Buffer.from(
          value,
          value.includes('-') || value.includes('_') ? 'base64url' : 'base64',
        )
      : path.fail(`expected base64 bytes, got ${describeJson(value)}`),
  ) as Uint8Array | undefined;
}

function integerText(value: unknown): string | undefined {
  if (typeof value === 'number') {
    return Number.isInteger(value) ? BigInt(value).toString() : undefined;
  }
  return typeof value === 'string' && DECIMAL.test(value) ? value : undefined;
}

import type { DecodeLimits } from './decode-limits.js';
import { DecodeBudget } from './decode-budget.js';
import { FIELDS_PER_SLICE, runSteps, type DecodeSteps } from './decode-lane.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import { JSON_FIELDS_BY_NAME } from './json-field-names.js';
import { MessageKind, type FieldSpec } from './otlp-wire-schema.js';

// What the next value is, by the schema: a message kind (0..13), an array
// of a message kind (ARRAY + kind), an array of strings, a known scalar, or
// something the schema does not know (counted value by value).
const ARRAY = 100;
const STRINGS = 200;
const SCALAR = 300;
const UNKNOWN = -1;

/** JSON nesting the OTLP shape needs around `maxValueDepth` nested values. */
export function maxJsonDepth(limits: DecodeLimits): number {
  return 16 + 4 * limits.maxValueDepth;
}

/**
 * Checks an OTLP/JSON body byte by byte before it is parsed, following the
 * OTLP trace schema by key (either spelling, `json-field-names.ts`): the
 * same counts and value nesting as for protobuf (`DecodeBudget`; values the
 * schema does not know count one item each), a bound on JSON nesting, and valid JSON structure. Iterative, so
 * no input can overflow the call stack. Returns the body to parse, with
 * every integer literal longer than 15 digits turned into a string (OTLP/JSON
 * accepts decimal strings wherever it accepts integers), so `JSON.parse`
 * keeps 64-bit integers exact. Throws `OtlpDecodeError` (400, 413).
 */
export function boundJsonRequest(
  body: Uint8Array,
  limits: DecodeLimits,
): Uint8Array {
  return runSteps(boundJsonSteps(body, limits));
}

/** `boundJsonRequest` in steps of `FIELDS_PER_SLICE` values. */
export function* boundJsonSteps(
  body: Uint8Array,
  limits: DecodeLimits,
): DecodeSteps<Uint8Array> {
  const budget = new DecodeBudget(limits);
  const maxDepth = maxJsonDepth(limits);
  const length = body.length;
  // Per open container: its message kind or UNKNOWN (objects), or what its
  // elements are (arrays), and whether it is an array.
  const types: number[] = [];
  const isArray: boolean[] = [];
  const empty: boolean[] = [];
  const longIntegers: number[] = []; // start, end pairs
  let pos = 0;
  const fail = (message: string): never => {
    throw new OtlpDecodeError(
      `invalid JSON ExportTraceServiceRequest: ${message} at byte ${pos}`,
    );
  };
  const skipSpace = (): void => {
    while (pos < length) {
      const c = body[pos] as number;
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      pos += 1;
    }
  };
  // Returns the index after the closing quote; `pos` is at the opening one.
  const stringEnd = (): number => {
    let index = pos + 1;
    while (index < length) {
      const c = body[index] as number;
      if (c === 0x22) return index + 1;
      index += c === 0x5c ? 2 : 1;
    }
    return fail('unterminated string');
  };
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // A key as JSON.parse reads it (escapes too), to look it up in the schema.
  const keyAt = (start: number, end: number): string => {
    let escaped = false;
    for (let index = start; index < end && !escaped; index++) {
      escaped = body[index] === 0x5c;
    }
    if (!escaped) return text.toString('latin1', start, end);
    try {
      return JSON.parse(text.toString('utf8', start - 1, end + 1)) as string;
    } catch {
      return fail('invalid escape in a key');
    }
  };
  const open = (type: number, array: boolean): void => {
    if (types.length >= maxDepth) {
      fail(
        `nested more than ${maxDepth} levels deep (--max-value-depth ${limits.maxValueDepth})`,
      );
    }
    types.push(type);
    isArray.push(array);
    empty.push(true);
  };

  // Reads one value expected to be `expected`; containers are pushed and
  // their contents read by the main loop.
  const value = (expected: number): void => {
    skipSpace();
    const c = body[pos];
    if (c === 0x7b /* { */) {
      if (expected >= 0 && expected < ARRAY) {
        budget.enter(expected as MessageKind);
        open(expected, false);
      } else {
        budget.item();
        open(UNKNOWN, false);
      }
      pos += 1;
      return;
    }
    if (c === 0x5b /* [ */) {
      if (expected >= ARRAY && expected < STRINGS) open(expected - ARRAY, true);
      else if (expected === STRINGS) open(STRINGS, true);
      // An array where the schema has a message or a scalar is an error
      // the converter reports; its contents are counted as unknown.
      else {
        budget.item();
        open(UNKNOWN, true);
      }
      pos += 1;
      return;
    }
    if (expected === UNKNOWN || expected === STRINGS) budget.item();
    if (c === 0x22) pos = stringEnd();
    else if (c === 0x2d || (c !== undefined && c >= 0x30 && c <= 0x39))
      number();
    else if (c === 0x74 || c === 0x66 || c === 0x6e) literal();
    else fail(c === undefined ? 'unexpected end' : 'unexpected character');
  };
  const number = (): void => {
    const start = pos;
    if (body[pos] === 0x2d) pos += 1;
    let integer = true;
    while (pos < length) {
      const c = body[pos] as number;
      if (c >= 0x30 && c <= 0x39) pos += 1;
      else if (
        c === 0x2e ||
        c === 0x65 ||
        c === 0x45 ||
        c === 0x2b ||
        c === 0x2d
      ) {
        integer = false;
        pos += 1;
      } else break;
    }
    const digits = pos - start - (body[start] === 0x2d ? 1 : 0);
    if (integer && digits > 15) longIntegers.push(start, pos);
  };
  const literal = (): void => {
    while (
      pos < length &&
      (body[pos] as number) >= 0x61 &&
      (body[pos] as number) <= 0x7a
    ) {
      pos += 1;
    }
  };

  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) pos = 3;
  value(MessageKind.Request);
  // Inside a container: its first entry, or `,` and the next, or its end.
  let slice = FIELDS_PER_SLICE;
  while (types.length > 0) {
    if (--slice === 0) {
      slice = FIELDS_PER_SLICE;
      yield;
    }
    const top = types.length - 1;
    const array = isArray[top] as boolean;
    const type = types[top] as number;
    skipSpace();
    let c = body[pos];
    if (c === (array ? 0x5d : 0x7d)) {
      pos += 1;
      types.pop();
      isArray.pop();
      empty.pop();
      if (!array && type >= 0) budget.leave(type as MessageKind);
      continue;
    }
    if (empty[top] === true) empty[top] = false;
    else {
      if (c !== 0x2c) {
        fail(
          c === undefined
            ? 'unexpected end'
            : 'expected , or the end of the container',
        );
      }
      pos += 1;
      skipSpace();
      c = body[pos];
    }
    if (array) {
      value(type);
      continue;
    }
    if (c !== 0x22) fail('expected a key');
    const keyStart = pos + 1;
    pos = stringEnd();
    const keyEnd = pos - 1;
    skipSpace();
    if (body[pos] !== 0x3a) fail('expected :');
    pos += 1;
    value(
      type === UNKNOWN
        ? UNKNOWN
        : expectedFor(JSON_FIELDS_BY_NAME[type]?.get(keyAt(keyStart, keyEnd))),
    );
  }
  skipSpace();
  if (pos !== length) fail('unexpected data after the request');
  return longIntegers.length === 0 ? body : quoted(body, longIntegers);
}

/** What the value of a field is, by its spec. */
function expectedFor(spec: FieldSpec | undefined): number {
  if (spec === undefined) return UNKNOWN;
  if (spec.message !== undefined) {
    return spec.repeated ? ARRAY + spec.message : spec.message;
  }
  return spec.repeated ? STRINGS : SCALAR;
}

/** The body with each of the ranges (start, end pairs) in double quotes. */
function quoted(body: Uint8Array, ranges: readonly number[]): Uint8Array {
  const out = Buffer.allocUnsafe(body.length + ranges.length);
  let from = 0;
  let at = 0;
  for (let index = 0; index < ranges.length; index += 2) {
    const start = ranges[index] as number;
    const end = ranges[index + 1] as number;
    out.set(body.subarray(from, start), at);
    at += start - from;
    out[at++] = 0x22;
    out.set(body.subarray(start, end), at);
    at += end - start;
    out[at++] = 0x22;
    from = end;
  }
  out.set(body.subarray(from), at);
  return out;
}

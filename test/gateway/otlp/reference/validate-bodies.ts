/**
 * Bodies for the differential tests of the protobuf validation: random
 * requests (protobufjs-encoded), random field soups (any field number and
 * wire type at any level, so unknown fields, wrong wire types and
 * non-minimal tags land inside spans, attributes and values), random
 * limits, and mutations of any body (truncated, bit-flipped, bytes
 * overwritten, inserted or removed). `outcomeOf` is what a validation
 * answers: its counts, or its error.
 */
import fc from 'fast-check';
import type { DecodeLimits } from '../../../../src/gateway/otlp/decode-limits.js';
import type { DecodeBudget } from '../../../../src/gateway/otlp/decode-budget.js';
import { OtlpDecodeError } from '../../../../src/gateway/otlp/otlp-decode-error.js';
import { otlpMessageTypes } from '../../../../src/gateway/otlp/otlp-message-types.js';
import { ld, requestOf, tinySpan } from '../../helpers/hostile-bodies.js';
import { request } from '../request-arbitrary.js';

export type Outcome =
  | { readonly spans: number; readonly items: number }
  | { readonly error: string; readonly status: number };

export function outcomeOf(
  validate: (body: Uint8Array, limits: DecodeLimits) => DecodeBudget,
  body: Uint8Array,
  limits: DecodeLimits,
): Outcome {
  try {
    const { spans, items } = validate(body, limits);
    return { spans, items };
  } catch (error) {
    if (!(error instanceof OtlpDecodeError)) throw error;
    return { error: error.message, status: error.status };
  }
}

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 128) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return bytes;
}

/** Random requests as the official encoding writes them. */
export const encodedRequest: fc.Arbitrary<Uint8Array> = request.map(object =>
  otlpMessageTypes().request.encode(object).finish(),
);

/** A field of a soup: mostly the schema's own numbers and wire types. */
const fieldNumber = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 1, max: 16 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom(1000, 2 ** 29 - 1, 2 ** 29) },
);
const wireType = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(0, 1, 2, 5) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 7 }) },
);

/** A varint's bytes: minimal, or padded up to 12 bytes (over 10: invalid). */
const varintBytes: fc.Arbitrary<number[]> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 300 }).map(varint) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(2 ** 32, 2 ** 53, 2 ** 63).map(varint),
  },
  {
    weight: 2,
    arbitrary: fc
      .integer({ min: 8, max: 12 })
      .map(length => [...Array<number>(length - 1).fill(0x80), 0x01]),
  },
);

/** One scalar field of an `AnyValue`, valid. */
const scalarField: fc.Arbitrary<number[]> = fc.oneof(
  fc
    .array(fc.integer({ min: 0, max: 255 }), { maxLength: 6 })
    .chain(bytes =>
      fc
        .constantFrom(0x0a, 0x3a)
        .map(tag => [tag, ...varint(bytes.length), ...bytes]),
    ),
  fc
    .tuple(fc.constantFrom(0x10, 0x18), varintBytes)
    .map(([tag, bytes]) => [tag, ...bytes]),
  fc.constant<number[]>([0x21, 1, 2, 3, 4, 5, 6, 7, 8]),
);

/**
 * A message as random fields, nested up to five levels: since the schema
 * gives each number a meaning per message, soups reach every message kind
 * (field 1 of the request is resource spans, its field 2 scope spans, and
 * so on down to values).
 */
const soup: fc.Arbitrary<number[]> = fc.letrec<{ message: number[] }>(tie => ({
  message: fc
    .array(
      fc.record({
        number: fieldNumber,
        wireType,
        // A tag of more bytes than needed (still valid protobuf).
        padded: fc.oneof(
          { weight: 19, arbitrary: fc.constant(false) },
          { weight: 1, arbitrary: fc.constant(true) },
        ),
        payload: fc.oneof(
          { depthSize: 'small' },
          fc.constant<number[]>([]),
          fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 12 }),
          tie('message'),
        ),
        value: varintBytes,
      }),
      { maxLength: 6 },
    )
    .map(fields =>
      fields.flatMap(field => {
        const tag = varint(field.number * 8 + field.wireType);
        if (field.padded) {
          tag[tag.length - 1] = (tag[tag.length - 1] as number) | 0x80;
          tag.push(0);
        }
        switch (field.wireType) {
          case 0:
            return [...tag, ...field.value];
          case 1:
            return [
              ...tag,
              ...[...field.payload, 1, 2, 3, 4, 5, 6, 7, 8].slice(0, 8),
            ];
          case 5:
            return [...tag, 9, 8, 7, 6];
          case 2:
            return [...tag, ...varint(field.payload.length), ...field.payload];
          default:
            return [...tag, ...field.payload];
        }
      }),
    ),
})).message;

/**
 * A soup as a whole request, or as a span, an attribute or an attribute
 * value of an otherwise ordinary request, or after the scalar value of an
 * attribute, or after an attribute's value.
 */
export const soupBody: fc.Arbitrary<Uint8Array> = fc
  .tuple(soup, fc.integer({ min: 0, max: 5 }), scalarField, fc.boolean())
  .map(([bytes, level, scalar, withSoup]) => {
    const content = Buffer.from(level < 4 || withSoup ? bytes : []);
    const value = Buffer.concat([Buffer.from(scalar), content]);
    switch (level) {
      case 0:
        return content;
      case 1:
        return requestOf(content);
      case 2:
        return requestOf(tinySpan(ld(0x4a, content)));
      case 3:
        return requestOf(
          tinySpan(ld(0x4a, ld(0x0a, Buffer.from('k')), ld(0x12, content))),
        );
      case 4:
        // A scalar value, then the soup.
        return requestOf(
          tinySpan(ld(0x4a, ld(0x0a, Buffer.from('k')), ld(0x12, value))),
        );
      default:
        // A key-value with a scalar value, then the soup.
        return requestOf(
          tinySpan(
            ld(
              0x4a,
              ld(0x0a, Buffer.from('k')),
              ld(0x12, Buffer.from(scalar)),
              content,
            ),
          ),
        );
    }
  });

/** Limits from tight (every limit reachable in a small body) to the defaults. */
export const limitsArbitrary: fc.Arbitrary<DecodeLimits> = fc.oneof(
  fc.record({
    maxSpansPerRequest: fc.integer({ min: 0, max: 8 }),
    maxItemsPerRequest: fc.integer({ min: 0, max: 200 }),
    maxValueDepth: fc.integer({ min: 0, max: 6 }),
  }),
  fc.constant({
    maxSpansPerRequest: 10_000,
    maxItemsPerRequest: 1_000_000,
    maxValueDepth: 16,
  }),
);

export type Mutation =
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'set'; readonly at: number; readonly byte: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: number[] }
  | { readonly kind: 'remove'; readonly at: number; readonly count: number };

export const mutations: fc.Arbitrary<Mutation[]> = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({
      kind: fc.constant('flip' as const),
      at: fc.nat(),
      bit: fc.integer({ min: 0, max: 7 }),
    }),
    fc.record({
      kind: fc.constant('set' as const),
      at: fc.nat(),
      byte: fc.constantFrom(0x00, 0x01, 0x7f, 0x80, 0x85, 0xff, 0x0a, 0x12),
    }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      bytes: fc.array(fc.integer({ min: 0, max: 255 }), {
        minLength: 1,
        maxLength: 4,
      }),
    }),
    fc.record({
      kind: fc.constant('remove' as const),
      at: fc.nat(),
      count: fc.integer({ min: 1, max: 4 }),
    }),
  ),
  { minLength: 1, maxLength: 3 },
);

/** `body` with the mutations applied, in order (a new buffer). */
export function mutate(
  body: Uint8Array,
  changes: readonly Mutation[],
): Uint8Array {
  let bytes = Buffer.from(body);
  for (const change of changes) {
    if (bytes.length === 0) break;
    const at = change.at % bytes.length;
    switch (change.kind) {
      case 'truncate':
        bytes = bytes.subarray(0, at);
        break;
      case 'flip':
        bytes[at] = (bytes[at] as number) ^ (1 << change.bit);
        break;
      case 'set':
        bytes[at] = change.byte;
        break;
      case 'insert':
        bytes = Buffer.concat([
          bytes.subarray(0, at),
          Buffer.from(change.bytes),
          bytes.subarray(at),
        ]);
        break;
      case 'remove':
        bytes = Buffer.concat([
          bytes.subarray(0, at),
          bytes.subarray(at + change.count),
        ]);
        break;
    }
  }
  return bytes;
}

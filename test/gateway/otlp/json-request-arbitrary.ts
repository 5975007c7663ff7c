/**
 * Arbitrary OTLP/JSON trace requests as senders write them (lowerCamelCase
 * keys, hex ids, 64-bit integers as decimal strings or numbers, enums as
 * numbers or names, some `null`s and unknown fields), for fast-check.
 * Every field of the trace request appears in some of them.
 */
import fc from 'fast-check';

const optional = { requiredKeys: [] as never[] };
const hex = (bytes: number): fc.Arbitrary<string> =>
  fc
    .uint8Array({ minLength: bytes, maxLength: bytes })
    .map(array => Buffer.from(array).toString('hex'));
const uint32 = fc.oneof(
  fc.nat({ max: 0xffff_ffff }),
  fc.nat({ max: 0xffff_ffff }).map(String),
);
const uint64 = fc.oneof(fc.nat(), fc.bigInt(0n, 2n ** 64n - 1n).map(String));
const text = fc.string({ maxLength: 8 });
const orNull = <T>(value: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.oneof(
    { weight: 4, arbitrary: value },
    { weight: 1, arbitrary: fc.constant(null) },
  );
/** Fields no version of the schema has: ignored in any spelling. */
const unknownFields = fc.record(
  {
    futureField: fc.oneof(text, fc.record({ nestedKey: fc.array(fc.nat(9)) })),
    someNewCount: fc.nat(),
  },
  optional,
);
const withUnknown = <T extends object>(
  value: fc.Arbitrary<T>,
): fc.Arbitrary<T> =>
  fc
    .tuple(value, fc.option(unknownFields, { nil: undefined }))
    .map(([known, unknown]) => ({ ...unknown, ...known }));

const anyValue = fc.letrec<{ value: object }>(tie => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ stringValue: text }),
    fc.record({ boolValue: fc.boolean() }),
    fc.record({
      intValue: fc.oneof(
        fc.integer(),
        fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n).map(String),
      ),
    }),
    fc.record({ doubleValue: fc.double({ noNaN: true }) }),
    fc.record({
      bytesValue: fc
        .uint8Array({ maxLength: 6 })
        .map(bytes => Buffer.from(bytes).toString('base64')),
    }),
    fc.record({
      arrayValue: fc.record({
        values: fc.array(tie('value'), { maxLength: 3 }),
      }),
    }),
    fc.record({
      kvlistValue: fc.record({
        values: fc.array(fc.record({ key: text, value: tie('value') }), {
          maxLength: 3,
        }),
      }),
    }),
    fc.constant({}),
  ),
})).value;
const attributes = fc.array(
  withUnknown(fc.record({ key: text, value: anyValue }, optional)),
  { maxLength: 3 },
);
const scope = withUnknown(
  fc.record(
    {
      name: text,
      version: orNull(text),
      attributes,
      droppedAttributesCount: uint32,
    },
    optional,
  ),
);
const span = withUnknown(
  fc.record(
    {
      traceId: hex(16),
      spanId: hex(8),
      traceState: orNull(text),
      parentSpanId: fc.oneof(hex(8), fc.constant('')),
      flags: uint32,
      name: text,
      kind: fc.oneof(
        fc.nat(5),
        fc.constantFrom('SPAN_KIND_INTERNAL', 'SPAN_KIND_CLIENT'),
      ),
      startTimeUnixNano: uint64,
      endTimeUnixNano: uint64,
      attributes,
      droppedAttributesCount: uint32,
      events: fc.array(
        withUnknown(
          fc.record(
            {
              timeUnixNano: uint64,
              name: text,
              attributes,
              droppedAttributesCount: uint32,
            },
            optional,
          ),
        ),
        { maxLength: 2 },
      ),
      droppedEventsCount: uint32,
      links: fc.array(
        withUnknown(
          fc.record(
            {
              traceId: hex(16),
              spanId: hex(8),
              traceState: text,
              attributes,
              droppedAttributesCount: uint32,
              flags: uint32,
            },
            optional,
          ),
        ),
        { maxLength: 2 },
      ),
      droppedLinksCount: uint32,
      status: orNull(
        fc.record(
          {
            message: text,
            code: fc.oneof(fc.nat(2), fc.constant('STATUS_CODE_ERROR')),
          },
          optional,
        ),
      ),
    },
    optional,
  ),
);
const scopeSpans = (scopeKey: 'scope' | 'instrumentationLibrary') =>
  withUnknown(
    fc.record(
      {
        [scopeKey]: scope,
        spans: fc.array(span, { maxLength: 3 }),
        schemaUrl: text,
      } as Record<string, fc.Arbitrary<unknown>>,
      optional,
    ),
  );
const resource = withUnknown(
  fc.record(
    {
      attributes,
      droppedAttributesCount: uint32,
      entityRefs: fc.array(
        fc.record(
          {
            schemaUrl: text,
            type: text,
            idKeys: fc.array(text, { maxLength: 2 }),
            descriptionKeys: fc.array(text, { maxLength: 2 }),
          },
          optional,
        ),
        { maxLength: 2 },
      ),
    },
    optional,
  ),
);

export const jsonRequest: fc.Arbitrary<Record<string, unknown>> = withUnknown(
  fc.record(
    {
      resourceSpans: fc.array(
        withUnknown(
          fc.record(
            {
              resource: orNull(resource),
              scopeSpans: fc.array(scopeSpans('scope'), { maxLength: 2 }),
              schemaUrl: text,
              instrumentationLibrarySpans: fc.array(
                scopeSpans('instrumentationLibrary'),
                { maxLength: 1 },
              ),
            },
            optional,
          ),
        ),
        { maxLength: 2 },
      ),
    },
    optional,
  ),
);

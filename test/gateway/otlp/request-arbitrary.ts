/** Arbitrary OTLP trace requests in the decoded-protobuf shape (fast-check). */
import fc from 'fast-check';

const anyValue = fc.letrec<{ value: object }>(tie => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ stringValue: fc.string() }),
    fc.record({ boolValue: fc.boolean() }),
    fc.record({
      intValue: fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n).map(String),
    }),
    fc.record({ doubleValue: fc.double() }),
    fc.record({
      arrayValue: fc.record({
        values: fc.array(tie('value'), { maxLength: 3 }),
      }),
    }),
    fc.record({
      kvlistValue: fc.record({
        values: fc.array(fc.record({ key: fc.string(), value: tie('value') }), {
          maxLength: 3,
        }),
      }),
    }),
  ),
})).value;
const keyValues = fc.array(fc.record({ key: fc.string(), value: anyValue }), {
  maxLength: 4,
});
const id = (length: number): fc.Arbitrary<Uint8Array> =>
  fc.uint8Array({ minLength: length, maxLength: length });
const span = fc.record({
  traceId: id(16),
  spanId: id(8),
  parentSpanId: fc.option(id(8), { nil: undefined }),
  name: fc.string(),
  kind: fc.integer({ min: 0, max: 5 }),
  startTimeUnixNano: fc.bigInt(0n, 2n ** 64n - 1n).map(String),
  endTimeUnixNano: fc.bigInt(0n, 2n ** 64n - 1n).map(String),
  attributes: keyValues,
  events: fc.array(fc.record({ name: fc.string(), attributes: keyValues }), {
    maxLength: 2,
  }),
  links: fc.array(
    fc.record({ traceId: id(16), spanId: id(8), attributes: keyValues }),
    { maxLength: 2 },
  ),
  flags: fc.option(fc.nat({ max: 0xffff_ffff }), { nil: undefined }),
  droppedAttributesCount: fc.option(fc.nat({ max: 0xffff_ffff }), {
    nil: undefined,
  }),
  status: fc.option(fc.record({ message: fc.string(), code: fc.nat(2) }), {
    nil: undefined,
  }),
});
export const request = fc.record({
  resourceSpans: fc.array(
    fc.record({
      resource: fc.option(fc.record({ attributes: keyValues }), {
        nil: undefined,
      }),
      scopeSpans: fc.array(
        fc.record({
          scope: fc.option(fc.record({ name: fc.string() }), {
            nil: undefined,
          }),
          spans: fc.array(span, { maxLength: 3 }),
        }),
        { maxLength: 3 },
      ),
    }),
    { maxLength: 3 },
  ),
});

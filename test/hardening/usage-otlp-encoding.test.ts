/**
 * How the gateway encodes the numbers it writes: an integer-valued double
 * past 2^53 must not become an `intValue` (1e308 wrapped to 0 as int64, so
 * the span said 0 while the counter said 5e302).
 */
import { describe, expect, it } from 'vitest';
import { otlpMessageTypes } from '../../src/gateway/otlp/otlp-message-types.js';
import { toOtlpAnyValue } from '../../src/gateway/span/otlp-attribute-values.js';

/** Encodes one AnyValue inside a KeyValue of a span and decodes it again. */
function roundTrip(value: number): unknown {
  const type = otlpMessageTypes().span;
  const span = type.fromObject({
    traceId: Buffer.alloc(16, 1),
    spanId: Buffer.alloc(8, 2),
    name: 'x',
    attributes: [{ key: 'v', value: toOtlpAnyValue(value) }],
  });
  const decoded = type.toObject(type.decode(type.encode(span).finish()), {
    longs: String,
  }) as { attributes: { value: Record<string, unknown> }[] };
  return decoded.attributes[0]?.value;
}

describe('toOtlpAnyValue: numbers', () => {
  it.each([0, 1, 42, Number.MAX_SAFE_INTEGER])(
    'safe integer %d is an intValue',
    value => {
      expect(toOtlpAnyValue(value)).toEqual({ intValue: value });
      expect(roundTrip(value)).toEqual({ intValue: String(value) });
    },
  );

  it.each([1e308, 2 ** 63, 2 ** 64, 2 ** 53 + 2, Number.MAX_VALUE])(
    'integer-valued double %d stays a doubleValue and survives encoding',
    value => {
      expect(toOtlpAnyValue(value)).toEqual({ doubleValue: value });
      expect(roundTrip(value)).toEqual({ doubleValue: value });
    },
  );

  it('fractions are doubleValue', () => {
    expect(roundTrip(0.0075)).toEqual({ doubleValue: 0.0075 });
  });
});

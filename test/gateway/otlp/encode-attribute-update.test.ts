/**
 * The gateway's own encoder of span updates against protobufjs with the
 * vendored protos (the reference encoder): the same bytes for any update
 * (strings of any code points, booleans, safe integers of either sign,
 * other numbers, lists), so the writer's output is what protobufjs wrote.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeAttributeUpdate } from '../../../src/gateway/otlp/encode-attribute-update.js';
import { otlpMessageTypes } from '../../../src/gateway/otlp/otlp-message-types.js';
import { toOtlpAnyValue } from '../../../src/gateway/span/otlp-attribute-values.js';

const scalar = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ maxLength: 3 }),
  fc.boolean(),
  fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, -1, 127, 128, 2 ** 53, -(2 ** 53), 1e308, Infinity),
);
const value = fc.oneof(
  scalar,
  fc.array(fc.oneof(fc.string(), fc.double(), fc.boolean()), { maxLength: 4 }),
);

function reference(update: Record<string, unknown>): Buffer {
  return Buffer.from(
    otlpMessageTypes()
      .span.encode({
        attributes: Object.entries(update).map(([key, v]) => ({
          key,
          value: toOtlpAnyValue(v as never),
        })),
      })
      .finish(),
  );
}

describe('encodeAttributeUpdate', () => {
  it('writes what protobufjs writes, for any update', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 40 }), value, {
          maxKeys: 12,
        }),
        update => {
          expect(Buffer.from(encodeAttributeUpdate(update))).toEqual(
            reference(update),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('writes long values with multi-byte lengths', () => {
    const update = {
      'gen_ai.cost.issues': ['x'.repeat(300), 'é'.repeat(70_000)],
      'user.id': 'y'.repeat(20_000),
      'gen_ai.usage.cost': 0.000125,
      'gen_ai.cost.input': -5,
    };
    expect(Buffer.from(encodeAttributeUpdate(update))).toEqual(
      reference(update),
    );
  });
});

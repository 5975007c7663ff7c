/**
 * Issue 15, fifth pass: the update encoder finds the known keys of an
 * update's key list among the last lists it saw (`knownKeysOf`) instead of
 * looking each key up twice. Streams of updates whose key lists repeat,
 * reorder, grow past the remembered length and outnumber the remembered
 * lists (keys from a pool, some too long to be known, more keys than the
 * known-key bound over a run) encode byte for byte as the encoder it
 * replaced (test/gateway/otlp/reference/encode-attribute-update-9f95c47.ts)
 * and as the stateless reference (before any key cache).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  attributeUpdateSize,
  encodeAttributeUpdate,
  writeAttributeUpdate,
} from '../../../src/gateway/otlp/encode-attribute-update.js';
import type { AttributeUpdateValue } from '../../../src/gateway/otlp/scanned-request.js';
import { encodeAttributeUpdate as encodeBefore } from './reference/encode-attribute-update-9f95c47.js';
import { referenceEncodeAttributeUpdate } from './reference/encode-attribute-update.js';

const POOL = [
  'gen_ai.usage.cost',
  'gen_ai.cost.input',
  'gen_ai.cost.output',
  'gen_ai.cost.currency',
  'gen_ai.cost.source',
  'gen_ai.cost.price_version',
  'é.key',
  'k'.repeat(120),
];

const value: fc.Arbitrary<AttributeUpdateValue> = fc.oneof(
  fc.constantFrom('USD', 'price_table', 'none'),
  fc.string({ maxLength: 8 }),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.integer()), {
    maxLength: 3,
  }),
);

/** A key of the pool, or one made up (so runs pass the known-key bound). */
const key: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...POOL) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) },
);

const update: fc.Arbitrary<Record<string, AttributeUpdateValue>> = fc
  .array(fc.tuple(key, value), { maxLength: 40 })
  .map(entries => Object.fromEntries(entries));

describe('known keys by key list', () => {
  it('encode updates as the encoder before and the stateless reference do', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(update, fc.constantFrom(0, 1, 2)), { maxLength: 40 }),
        stream => {
          const seen: Record<string, AttributeUpdateValue>[] = [];
          for (const item of stream) {
            // A number repeats an update seen before (same key list).
            const u =
              typeof item === 'number'
                ? (seen[item % Math.max(1, seen.length)] ?? {})
                : item;
            seen.push(u);
            const bytes = Buffer.from(encodeAttributeUpdate(u));
            expect(bytes).toEqual(Buffer.from(encodeBefore(u)));
            expect(bytes).toEqual(
              Buffer.from(referenceEncodeAttributeUpdate(u)),
            );
            const keys = Object.keys(u);
            const out = Buffer.alloc(attributeUpdateSize(u, keys) + 3);
            expect(writeAttributeUpdate(out, 3, u, keys)).toBe(out.length);
            expect(out.subarray(3)).toEqual(bytes);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

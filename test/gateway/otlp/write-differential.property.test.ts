/**
 * The writer and the span-update encoder against the versions before the
 * key cache (test/gateway/otlp/reference/), byte for byte: updates drawn
 * from a small vocabulary, so keys and string values repeat, alternate and
 * change between the size pass and the write pass of one request (the
 * cache's entries are made and dropped in between), with keys and values
 * on both sides of the cache's bounds (100 code units, 128 bytes of key,
 * non-ASCII, lone surrogates), after the cache is full or not.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeAttributeUpdate } from '../../../src/gateway/otlp/encode-attribute-update.js';
import { scanExportTraceRequest } from '../../../src/gateway/otlp/scan-export-trace-request.js';
import type {
  AttributeUpdateValue,
  ScannedRequest,
  ScannedSpan,
} from '../../../src/gateway/otlp/scanned-request.js';
import { writeExportTraceRequest } from '../../../src/gateway/otlp/write-export-trace-request.js';
import { requestBytes } from '../pipeline/scan-path-arbitrary.js';
import { referenceEncodeAttributeUpdate } from './reference/encode-attribute-update.js';
import { referenceWriteExportTraceRequest } from './reference/write-export-trace-request.js';

const KEYS = [
  'gen_ai.usage.cost',
  'gen_ai.cost.currency',
  'gen_ai.cost.source',
  'user.id',
  'é.key',
  '\ud800.lone',
  'k'.repeat(100),
  'k'.repeat(101),
  // 126, 127, 128 and 129 bytes (a key of 128 or more has a longer length).
  '€'.repeat(42),
  '€'.repeat(42) + 'a',
  '€'.repeat(42) + 'aa',
  '€'.repeat(43),
];
const STRINGS = [
  'USD',
  'price_table',
  'genai-prices@0.1.8+corrections.2026-11-30',
  '',
  'é',
  '\udc00',
  'v'.repeat(100),
  'v'.repeat(101),
  'w'.repeat(300),
];
const value: fc.Arbitrary<AttributeUpdateValue> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...STRINGS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(0, 1, -1, 0.00033, 2 ** 53, -(2 ** 60), NaN),
  },
  { weight: 1, arbitrary: fc.boolean() },
  {
    weight: 1,
    arbitrary: fc.array(
      fc.constantFrom<string | number | boolean>('a', 1, 0.5, true),
      {
        maxLength: 3,
      },
    ),
  },
);
const key = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...KEYS) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
);
const update = fc.dictionary(key, value, { minKeys: 1, maxKeys: 6 });

function spansOf(request: ScannedRequest): ScannedSpan[] {
  return request.resources.flatMap(resource =>
    resource.scopes.flatMap(scope => [...scope.spans]),
  );
}

function checkEncodings(
  updates: readonly Record<string, AttributeUpdateValue>[],
): void {
  for (const one of updates) {
    expect(Buffer.from(encodeAttributeUpdate(one))).toEqual(
      Buffer.from(referenceEncodeAttributeUpdate(one)),
    );
  }
}

describe('span updates are written as before the key cache', () => {
  it('encodeAttributeUpdate, for sequences of updates that repeat and alternate', () => {
    fc.assert(
      fc.property(
        fc.array(update, { minLength: 1, maxLength: 30 }),
        checkEncodings,
      ),
      { numRuns: 300 },
    );
  });

  it('writeExportTraceRequest, with updates on many spans of one request', () => {
    fc.assert(
      fc.property(
        requestBytes,
        fc.array(fc.option(update, { nil: undefined }), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.constantFrom('all', 'if-marked' as const),
        (body, updates, read) => {
          const scanned = scanExportTraceRequest(body, undefined, read);
          spansOf(scanned).forEach((span, i) => {
            span.update = updates[i % updates.length];
          });
          expect(Buffer.from(writeExportTraceRequest(scanned))).toEqual(
            Buffer.from(referenceWriteExportTraceRequest(scanned)),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('once 256 keys are remembered, as before for the others', () => {
    const many: Record<string, AttributeUpdateValue>[] = [];
    for (let i = 0; i < 300; i++) many.push({ [`key.${i}`]: 'same', x: i });
    checkEncodings(many);
    checkEncodings(many);
    fc.assert(
      fc.property(
        fc.array(update, { minLength: 1, maxLength: 10 }),
        checkEncodings,
      ),
      { numRuns: 100 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeExportTraceRequest } from '../../../src/gateway/otlp/decode-export-trace-request.js';
import type { DecodeLimits } from '../../../src/gateway/otlp/decode-limits.js';
import { encodeExportTraceRequest } from '../../../src/gateway/otlp/encode-export-trace-request.js';
import { OtlpDecodeError } from '../../../src/gateway/otlp/otlp-decode-error.js';
import {
  deepValueJson,
  emptyResourceSpansJson,
  jsonRequest,
  tinyAttributesJson,
} from '../helpers/hostile-bodies.js';
import { referenceDecode } from '../helpers/reference-decoder.js';

const LIMITS: DecodeLimits = {
  maxSpansPerRequest: 50,
  maxItemsPerRequest: 1_000,
  maxValueDepth: 8,
};

function decodeError(body: string, limits = LIMITS): OtlpDecodeError {
  try {
    decodeExportTraceRequest(Buffer.from(body), 'json', limits);
  } catch (error) {
    if (error instanceof OtlpDecodeError) return error;
    throw error;
  }
  throw new Error('expected an OtlpDecodeError');
}

/** The attributes of the one span, as the next hop would read them. */
function forwardedAttributes(body: string): Record<string, unknown> {
  const request = decodeExportTraceRequest(Buffer.from(body), 'json', LIMITS);
  return (
    referenceDecode(encodeExportTraceRequest(request))[0]?.attributes ?? {}
  );
}

describe('OTLP/JSON nesting (issue 9, case 6c)', () => {
  it.each([
    [1_000, 'kvlist'],
    [10_000, 'kvlist'],
    [10_000, 'array'],
  ] as const)(
    '%i nested %s values answer 400, not a stack overflow',
    (depth, kind) => {
      const error = decodeError(deepValueJson(depth, kind), {
        ...LIMITS,
        maxValueDepth: 16,
      });
      expect(error.status).toBe(400);
      expect(error.message).toContain('(--max-value-depth');
    },
  );

  it.each(['array', 'kvlist'] as const)(
    'nested %s values up to the limit decode, one more is 400',
    kind => {
      expect(
        forwardedAttributes(deepValueJson(LIMITS.maxValueDepth, kind)),
      ).toHaveProperty('deep');
      expect(
        decodeError(deepValueJson(LIMITS.maxValueDepth + 1, kind)).message,
      ).toBe(
        'an attribute value nests arrays or key-value lists more than 8 levels deep (--max-value-depth)',
      );
    },
  );

  it('bounds nesting in fields the schema does not know, and under escaped keys', () => {
    const unknown = `{"resourceSpans":[],"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(decodeError(unknown).status).toBe(400);
    const escaped = deepValueJson(
      LIMITS.maxValueDepth + 1,
      'kvlist',
    ).replaceAll('kvlistValue', 'kvlist\\u0056alue');
    expect(decodeError(escaped).message).toContain('(--max-value-depth)');
  });
});

describe('OTLP/JSON counts', () => {
  it('empty resource spans, attributes and unknown values count against --max-items-per-request (413)', () => {
    for (const body of [
      emptyResourceSpansJson(1_000),
      tinyAttributesJson(500),
      `{"resourceSpans":[],"x":[${'1,'.repeat(1_000)}1]}`,
    ]) {
      const error = decodeError(body);
      expect(error.status).toBe(413);
      expect(error.message).toMatch(
        /more than 1000 items .*\(--max-items-per-request\)$/,
      );
    }
    expect(() =>
      decodeExportTraceRequest(
        Buffer.from(emptyResourceSpansJson(990)),
        'json',
        LIMITS,
      ),
    ).not.toThrow();
  });

  it('spans count against --max-spans-per-request (413)', () => {
    const spans = (count: number): string =>
      `{"resourceSpans":[{"scopeSpans":[{"spans":[${'{},'.repeat(count - 1)}{}]}]}]}`;
    expect(() =>
      decodeExportTraceRequest(Buffer.from(spans(50)), 'json', LIMITS),
    ).not.toThrow();
    const error = decodeError(spans(51));
    expect(error.status).toBe(413);
    expect(error.message).toBe(
      'request has more than 50 spans (--max-spans-per-request)',
    );
  });
});

describe('OTLP/JSON 64-bit integers stay exact (issue 9, case 6d)', () => {
  it.each([
    ['9007199254740993', { i: '9007199254740993' }],
    ['-9223372036854775808', { i: '-9223372036854775808' }],
    ['9223372036854775807', { i: '9223372036854775807' }],
    ['123456789012345', { i: '123456789012345' }],
  ])('intValue %s as a JSON number', (literal, expected) => {
    const body = jsonRequest(`[{"key":"n","value":{"intValue":${literal}}}]`);
    expect(forwardedAttributes(body)).toEqual({ n: expected });
  });

  it('timestamps as JSON numbers keep every nanosecond', () => {
    const body = jsonRequest('[]').replace(
      '"endTimeUnixNano":"1767225601000000000"',
      '"endTimeUnixNano":1767225601000000001',
    );
    const request = decodeExportTraceRequest(Buffer.from(body), 'json', LIMITS);
    expect(
      referenceDecode(encodeExportTraceRequest(request))[0]?.endTimeUnixNano,
    ).toBe('1767225601000000001');
  });

  it('doubles and integer-valued doubles read as before', () => {
    const body = jsonRequest(
      '[{"key":"d","value":{"doubleValue":12345678901234567890}},{"key":"e","value":{"doubleValue":1.5e300}}]',
    );
    expect(forwardedAttributes(body)).toEqual({
      d: { d: Number('12345678901234567890') },
      e: { d: 1.5e300 },
    });
  });

  it('integers out of int64 range are still refused', () => {
    const body = jsonRequest(
      '[{"key":"n","value":{"intValue":9223372036854775808}}]',
    );
    expect(decodeError(body).message).toContain('out of range for int64');
  });

  it('generated: any int64 written as a JSON number decodes like the same decimal string', () => {
    fc.assert(
      fc.property(
        fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n),
        fc.constantFrom('', ' ', '\n'),
        (value, space) => {
          const asNumber = jsonRequest(
            `[{"key":"n","value":{"intValue":${space}${value}${space}}}]`,
          );
          expect(forwardedAttributes(asNumber)).toEqual({
            n: { i: value.toString() },
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('OTLP/JSON that is not valid', () => {
  it('generated JSON values are decoded or refused with a 400 or 413, never another error', () => {
    fc.assert(
      fc.property(fc.json({ depthSize: 'medium' }), text => {
        try {
          decodeExportTraceRequest(Buffer.from(text), 'json', LIMITS);
        } catch (error) {
          expect(error).toBeInstanceOf(OtlpDecodeError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('generated byte strings too (cut, spliced and flipped requests)', () => {
    const valid = jsonRequest(
      '[{"key":"n","value":{"intValue":9007199254740993}},{"key":"s","value":{"arrayValue":{"values":[{"stringValue":"x"}]}}}]',
    );
    fc.assert(
      fc.property(
        fc.nat(valid.length),
        fc.nat(valid.length),
        fc.string({ maxLength: 4 }),
        (from, to, insert) => {
          const text =
            valid.slice(0, Math.min(from, to)) +
            insert +
            valid.slice(Math.max(from, to));
          try {
            decodeExportTraceRequest(Buffer.from(text), 'json', LIMITS);
          } catch (error) {
            expect(error).toBeInstanceOf(OtlpDecodeError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('syntax errors name the byte', () => {
    expect(decodeError('{"resourceSpans": [}').message).toMatch(
      /^invalid JSON ExportTraceServiceRequest: .* at byte \d+$/,
    );
    expect(decodeError('{"resourceSpans": []} x').message).toMatch(
      /after the request/,
    );
  });
});

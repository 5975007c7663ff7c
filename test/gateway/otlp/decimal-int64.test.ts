/**
 * Attack finding 7 (issue 9 hardening): OTLP/JSON 64-bit integers are read
 * without `BigInt` or `Long` objects per value (`readDecimalInt64`), and
 * must stay exact: every int64 (as a JSON number literal, as a decimal
 * string) reaches the forwarded protobuf unchanged, and anything out of
 * range is refused with the field's path. Checked against `BigInt`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  int64FromDecimal,
  readDecimalInt64,
  type Int64Halves,
} from '../../../src/gateway/otlp/decimal-int64.js';
import { decodeExportTraceRequest } from '../../../src/gateway/otlp/decode-export-trace-request.js';
import { encodeExportTraceRequest } from '../../../src/gateway/otlp/encode-export-trace-request.js';
import { OtlpDecodeError } from '../../../src/gateway/otlp/otlp-decode-error.js';
import {
  Long,
  longToNumber,
} from '../../../src/gateway/otlp/otlp-message-types.js';
import { WireReader } from '../../../src/gateway/otlp/wire-reader.js';
import protobuf from 'protobufjs/light.js';
import { jsonRequest } from '../helpers/hostile-bodies.js';
import { referenceDecode } from '../helpers/reference-decoder.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

function expectedHalves(value: bigint): Int64Halves {
  const bits = BigInt.asUintN(64, value);
  return { low: Number(bits & 0xffff_ffffn), high: Number(bits >> 32n) };
}

function read(text: string, unsigned = false): Int64Halves | undefined {
  const out = { low: -1, high: -1 };
  return readDecimalInt64(text, unsigned, out) ? out : undefined;
}

/** Decimal text of a bigint, sometimes with leading zeros. */
const decimal = (value: bigint, zeros: number): string => {
  const digits = (value < 0n ? -value : value).toString();
  return `${value < 0n ? '-' : ''}${'0'.repeat(zeros)}${digits}`;
};

describe('readDecimalInt64', () => {
  it.each([
    ['0', 0n],
    ['-0', 0n],
    ['1', 1n],
    ['-1', -1n],
    ['4294967295', 4294967295n],
    ['4294967296', 4294967296n],
    ['9007199254740993', 9007199254740993n],
    ['1234567890123456789', 1234567890123456789n],
    ['9223372036854775807', INT64_MAX],
    ['-9223372036854775808', INT64_MIN],
    ['000000000000000000000000042', 42n],
  ])('%s reads as the int64 %s', (text, value) => {
    expect(read(text)).toEqual(expectedHalves(value));
  });

  it.each([
    '9223372036854775808',
    '-9223372036854775809',
    '18446744073709551616',
    '99999999999999999999999',
    '',
    '-',
    '12a',
    '+1',
    '1.5',
  ])('%j is refused as int64', text => {
    expect(read(text)).toBeUndefined();
  });

  it('uint64: up to 2^64 - 1, no negatives', () => {
    expect(read('18446744073709551615', true)).toEqual(
      expectedHalves(UINT64_MAX),
    );
    expect(read('18446744073709551616', true)).toBeUndefined();
    expect(read('-1', true)).toBeUndefined();
    expect(read('-0', true)).toEqual({ low: 0, high: 0 });
  });

  it('generated: every int64 (and leading zeros) reads as BigInt does; past the range is refused', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: INT64_MIN - 2n ** 66n, max: INT64_MAX + 2n ** 66n }),
        fc.nat({ max: 3 }),
        (value, zeros) => {
          const text = decimal(value, zeros);
          const inRange = value >= INT64_MIN && value <= INT64_MAX;
          expect(read(text)).toEqual(
            inRange ? expectedHalves(value) : undefined,
          );
          const long = int64FromDecimal(text, false);
          expect(long?.toString()).toBe(inRange ? value.toString() : undefined);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('generated: every uint64 reads as BigInt does', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: UINT64_MAX + 2n ** 10n }),
        value => {
          expect(read(value.toString(), true)).toEqual(
            value <= UINT64_MAX ? expectedHalves(value) : undefined,
          );
        },
      ),
      { numRuns: 1_000 },
    );
  });
});

describe('OTLP/JSON intValue reaches the forwarded protobuf exactly', () => {
  const forwarded = (attributes: string): string | undefined => {
    const body = Buffer.from(jsonRequest(attributes));
    const [span] = referenceDecode(
      encodeExportTraceRequest(decodeExportTraceRequest(body, 'json')),
    );
    const value = span?.attributes.n;
    return value !== undefined && 'i' in value ? value.i : undefined;
  };

  it('generated: any int64 as a JSON number literal or a decimal string', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
        fc.boolean(),
        (value, quoted) => {
          const literal = quoted ? `"${value}"` : `${value}`;
          expect(
            forwarded(`[{"key":"n","value":{"intValue":${literal}}}]`),
          ).toBe(value.toString());
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('inside arrays too (the many-values shape of finding 7)', () => {
    const body = Buffer.from(
      jsonRequest(
        `[{"key":"n","value":{"arrayValue":{"values":[{"intValue":1234567890123456789},{"intValue":"-9223372036854775808"},{"intValue":7}]}}}]`,
      ),
    );
    const [span] = referenceDecode(
      encodeExportTraceRequest(decodeExportTraceRequest(body, 'json')),
    );
    expect(span?.attributes.n).toEqual({
      a: [
        { i: '1234567890123456789' },
        { i: '-9223372036854775808' },
        { i: '7' },
      ],
    });
  });

  it.each(['9223372036854775808', '"-9223372036854775809"', '"1e3"'])(
    'intValue %s is refused (400) with its path',
    literal => {
      const body = Buffer.from(
        jsonRequest(`[{"key":"n","value":{"intValue":${literal}}}]`),
      );
      expect(() => decodeExportTraceRequest(body, 'json')).toThrow(
        OtlpDecodeError,
      );
      expect(() => decodeExportTraceRequest(body, 'json')).toThrow(
        /attributes\[0\]\.value\.intValue/,
      );
    },
  );
});

describe('protobuf intValue: a number when safe, else a bigint (exact either way)', () => {
  it('generated: WireReader.int64 is the exact value, a number for safe integers', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
          fc.bigInt({ min: -(2n ** 54n), max: 2n ** 54n }),
          fc.bigInt({ min: 0n, max: 2n ** 36n }),
        ),
        value => {
          const bytes = protobuf.Writer.create()
            .int64(Long.fromString(value.toString(), false))
            .finish();
          const read = new WireReader(Buffer.from(bytes)).int64();
          const safe =
            value >= BigInt(Number.MIN_SAFE_INTEGER) &&
            value <= BigInt(Number.MAX_SAFE_INTEGER);
          if (safe) expect(typeof read).toBe('number');
          expect(BigInt(read)).toBe(value);
          expect(longToNumber(read)).toBe(Number(value));
        },
      ),
      { numRuns: 3_000 },
    );
  });
});

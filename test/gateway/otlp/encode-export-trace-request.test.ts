import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeExportTraceRequest } from '../../../src/gateway/otlp/encode-export-trace-request.js';
import { otlpMessageTypes } from '../../../src/gateway/otlp/otlp-message-types.js';
import type { ExportTraceRequest } from '../../../src/gateway/otlp/otlp-types.js';
import { request } from './request-arbitrary.js';

const protobufjs = otlpMessageTypes().request;

describe('encodeExportTraceRequest', () => {
  it('writes the bytes protobufjs writes, for plain objects and for decoded messages', () => {
    fc.assert(
      fc.property(request, object => {
        const expected = Buffer.from(protobufjs.encode(object).finish());
        const plain = encodeExportTraceRequest(
          object as unknown as ExportTraceRequest,
        );
        expect(Buffer.from(plain).equals(expected)).toBe(true);
        // Decoded messages: defaults on prototypes, Longs, Buffers.
        const decoded = protobufjs.decode(
          expected,
        ) as unknown as ExportTraceRequest;
        expect(
          Buffer.from(encodeExportTraceRequest(decoded)).equals(expected),
        ).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('writes negative enums and int64 values as ten-byte varints, like protobufjs', () => {
    const object = {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  kind: -1,
                  attributes: [
                    { key: 'n', value: { intValue: -5 } },
                    { key: 'm', value: { intValue: '-9223372036854775808' } },
                  ],
                  status: { code: -2 },
                },
              ],
            },
          ],
        },
      ],
    };
    expect(
      Buffer.from(
        encodeExportTraceRequest(object as unknown as ExportTraceRequest),
      ).equals(Buffer.from(protobufjs.encode(object).finish())),
    ).toBe(true);
  });
});

import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeExportTraceRequest } from '../../../src/gateway/otlp/decode-export-trace-request.js';
import { encodeExportTraceRequest } from '../../../src/gateway/otlp/encode-export-trace-request.js';
import { scanExportTraceRequest } from '../../../src/gateway/otlp/scan-export-trace-request.js';
import { writeExportTraceRequest } from '../../../src/gateway/otlp/write-export-trace-request.js';
import { startGatewayFixture } from '../helpers/gateway-fixture.js';
import {
  emitScenario,
  scenarioProvider,
  scenarioTracers,
} from '../helpers/genai-scenario.js';
import { chatAttributes, otlpJson } from '../helpers/otlp-json.js';
import {
  startOtlpReceiver,
  type OtlpReceiver,
} from '../../helpers/otlp-receiver.js';
import { rawRequest } from '../helpers/raw-http.js';
import { referenceDecode } from '../helpers/reference-decoder.js';

let sink: OtlpReceiver;
let exported: Buffer;
beforeAll(async () => {
  sink = await startOtlpReceiver();
  const { provider } = scenarioProvider(
    new OTLPTraceExporter({ url: sink.url }),
  );
  emitScenario(scenarioTracers(provider));
  await provider.forceFlush();
  await provider.shutdown();
  // One request per span (SimpleSpanProcessor): take the server span's.
  exported = sink.accepted.at(-1)?.body as Buffer;
});
afterAll(async () => {
  await sink.close();
});

/** A field the vendored protos do not know: number 99, varint 42. */
const UNKNOWN_FIELD = Buffer.from([0x98, 0x06, 0x2a]);

function twoSpans(): Uint8Array {
  const base = { traceId: '5a'.repeat(16), startMillis: 0, endMillis: 10 };
  return encodeExportTraceRequest(
    decodeExportTraceRequest(
      otlpJson([
        {
          ...base,
          spanId: '01'.repeat(8),
          name: 'chat',
          attributes: { ...chatAttributes(10, 5), 'user.id': 'u1' },
        },
        {
          ...base,
          spanId: '02'.repeat(8),
          name: 'other',
          attributes: { 'http.route': '/x' },
        },
      ]),
      'json',
    ),
  );
}

describe('scanExportTraceRequest and writeExportTraceRequest', () => {
  it('write back the exporter bytes exactly when nothing changes', () => {
    expect(
      Buffer.from(
        writeExportTraceRequest(scanExportTraceRequest(exported)),
      ).equals(exported),
    ).toBe(true);
  });

  it('replace updated attributes in place of the old ones, add new ones, and drop rejected spans', () => {
    const scanned = scanExportTraceRequest(twoSpans());
    const [chat, other] = scanned.resources[0]?.scopes[0]?.spans ?? [];
    if (chat === undefined || other === undefined)
      throw new Error('expected two spans');
    chat.update = {
      'user.id': 'redacted-email',
      'gen_ai.usage.cost': 0.25,
      'gen_ai.cost.issues': ['a', 'b'],
    };
    other.rejected = true;
    const [span, ...rest] = referenceDecode(writeExportTraceRequest(scanned));
    expect(rest).toEqual([]);
    expect(span?.attributes).toEqual({
      'gen_ai.operation.name': { s: 'chat' },
      'gen_ai.provider.name': { s: 'openai' },
      'gen_ai.request.model': { s: 'gpt-4o-mini' },
      'gen_ai.usage.input_tokens': { i: '10' },
      'gen_ai.usage.output_tokens': { i: '5' },
      'user.id': { s: 'redacted-email' },
      'gen_ai.usage.cost': { d: 0.25 },
      'gen_ai.cost.issues': { a: [{ s: 'a' }, { s: 'b' }] },
    });
  });

  it('reject a span that overruns its length, with the protobuf error', () => {
    const body = Buffer.from(twoSpans());
    // Span.trace_id is tag 0x0a, length 16: make it claim 127 bytes.
    const index = body.indexOf(Buffer.from([0x0a, 0x10]));
    body[index + 1] = 0x7f;
    expect(() => scanExportTraceRequest(body)).toThrow(
      /^invalid protobuf ExportTraceServiceRequest: /,
    );
  });
});

describe('the gateway forwards fields it does not know', () => {
  it('on spans it prices and on spans it leaves alone', async () => {
    const scanned = scanExportTraceRequest(twoSpans());
    for (const span of scanned.resources[0]?.scopes[0]?.spans ?? []) {
      Object.assign(span, {
        bytes: Buffer.concat([span.bytes, UNKNOWN_FIELD]),
      });
    }
    const body = writeExportTraceRequest(scanned);
    const fixture = await startGatewayFixture();
    try {
      const response = await rawRequest(fixture.gateway.url, {
        headers: { 'content-type': 'application/x-protobuf' },
        body,
      });
      expect(response.status).toBe(200);
      const forwarded = scanExportTraceRequest(
        fixture.sink.accepted[0]?.body as Buffer,
      );
      const spans = forwarded.resources[0]?.scopes[0]?.spans ?? [];
      expect(spans).toHaveLength(2);
      for (const span of spans)
        expect(Buffer.from(span.bytes).includes(UNKNOWN_FIELD)).toBe(true);
      expect(
        referenceDecode(fixture.sink.accepted[0]?.body as Buffer)[0]
          ?.attributes['gen_ai.cost.source'],
      ).toEqual({ s: 'price_table' });
    } finally {
      await fixture.close();
    }
  });
});

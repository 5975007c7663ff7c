import { OTLPTraceExporter as HttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeExportTraceRequest } from '../../../src/gateway/otlp/decode-export-trace-request.js';
import { encodeExportTraceRequest } from '../../../src/gateway/otlp/encode-export-trace-request.js';
import {
  emitScenario,
  scenarioProvider,
  scenarioTracers,
} from '../helpers/genai-scenario.js';
import {
  startOtlpReceiver,
  type OtlpReceiver,
  type ReceivedRequest,
} from '../../helpers/otlp-receiver.js';
import {
  comparableFromReadable,
  referenceDecode,
  type ComparableSpan,
} from '../helpers/reference-decoder.js';

const bySpanId = (a: ComparableSpan, b: ComparableSpan): number =>
  a.spanId.localeCompare(b.spanId);

interface Captured {
  /** One request per span (SimpleSpanProcessor). */
  readonly requests: ReceivedRequest[];
  readonly contentType: string;
  readonly expected: ComparableSpan[];
}

/** Runs the scenario through a real exporter and captures what it sent. */
async function capture(
  sink: OtlpReceiver,
  kind: 'proto' | 'json',
): Promise<Captured> {
  const before = sink.accepted.length;
  const exporter =
    kind === 'proto'
      ? new ProtoExporter({ url: sink.url, compression: 'none' as never })
      : new HttpJsonExporter({ url: sink.url, compression: 'none' as never });
  const { provider, memory } = scenarioProvider(exporter);
  emitScenario(scenarioTracers(provider));
  await provider.forceFlush();
  const expected = memory
    .getFinishedSpans()
    .map(comparableFromReadable)
    .sort(bySpanId);
  await provider.shutdown();
  const requests = sink.accepted.slice(before);
  expect(requests.length).toBeGreaterThan(0);
  return {
    requests,
    contentType: String(requests[0]?.headers['content-type']),
    expected,
  };
}

describe('decodeExportTraceRequest with bodies from the real OTLP exporters', () => {
  let sink: OtlpReceiver;
  beforeAll(async () => {
    sink = await startOtlpReceiver();
  });
  afterAll(async () => {
    await sink.close();
  });

  it('decodes protobuf and re-encodes every field unchanged', async () => {
    const captured = await capture(sink, 'proto');
    const decoded = captured.requests.flatMap(request => {
      const request_ = decodeExportTraceRequest(request.body, 'protobuf');
      const reencoded = encodeExportTraceRequest(request_);
      expect(referenceDecode(reencoded)).toEqual(referenceDecode(request.body));
      return referenceDecode(reencoded);
    });
    expect(captured.contentType).toBe('application/x-protobuf');
    expect(decoded.sort(bySpanId)).toEqual(captured.expected);
  });

  it('decodes OTLP/JSON from the http exporter into the same content', async () => {
    const captured = await capture(sink, 'json');
    expect(captured.contentType).toMatch(/^application\/json/);
    const decoded = captured.requests.flatMap(request =>
      referenceDecode(
        encodeExportTraceRequest(
          decodeExportTraceRequest(request.body, 'json'),
        ),
      ),
    );
    expect(decoded.sort(bySpanId)).toEqual(captured.expected);
  });
});

const TRACE_ID = '5B8EFFF798038103D269B633813FC60C';
const SPAN_ID = 'EEE19B7EC3C1B174';

function jsonBody(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value));
}

function oneSpanRequest(span: Record<string, unknown>): Uint8Array {
  return jsonBody({
    resourceSpans: [
      {
        resource: {
          attributes: [{ key: 'service.name', value: { stringValue: 'py' } }],
        },
        scopeSpans: [
          {
            scope: { name: 'opentelemetry.instrumentation.openai' },
            spans: [span],
          },
        ],
      },
    ],
  });
}

describe('decodeExportTraceRequest with hand-written OTLP/JSON', () => {
  it('accepts int64 as strings and numbers, uppercase hex ids, enum names, unknown fields', () => {
    const body = oneSpanRequest({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      parentSpanId: '',
      name: 'chat gpt-4o',
      kind: 'SPAN_KIND_CLIENT',
      startTimeUnixNano: '1544712660000000000',
      endTimeUnixNano: 1544712661000000000,
      futureField: { anything: [1, 2] },
      attributes: [
        { key: 'gen_ai.usage.input_tokens', value: { intValue: '1000' } },
        { key: 'gen_ai.usage.output_tokens', value: { intValue: 200 } },
        { key: 'ratio', value: { doubleValue: 'NaN' } },
        { key: 'ok', value: { boolValue: false } },
        {
          key: 'list',
          value: {
            arrayValue: { values: [{ stringValue: 'x' }, { intValue: '2' }] },
          },
        },
        {
          key: 'map',
          value: {
            kvlistValue: {
              values: [{ key: 'k', value: { stringValue: 'v' } }],
            },
          },
        },
        { key: 'raw', value: { bytesValue: 'AQID' } },
        { key: 'empty', value: {} },
      ],
      status: { code: 'STATUS_CODE_ERROR', message: 'boom' },
    });
    const [span] = referenceDecode(
      encodeExportTraceRequest(decodeExportTraceRequest(body, 'json')),
    );
    expect(span).toMatchObject({
      traceId: TRACE_ID.toLowerCase(),
      spanId: SPAN_ID.toLowerCase(),
      parentSpanId: '',
      kind: 3,
      startTimeUnixNano: '1544712660000000000',
      endTimeUnixNano: '1544712661000000000',
      status: { code: 2, message: 'boom' },
      scope: 'opentelemetry.instrumentation.openai',
      resource: { 'service.name': { s: 'py' } },
    });
    expect(span?.attributes).toEqual({
      'gen_ai.usage.input_tokens': { i: '1000' },
      'gen_ai.usage.output_tokens': { i: '200' },
      ratio: { d: NaN },
      ok: { b: false },
      list: { a: [{ s: 'x' }, { i: '2' }] },
      map: { kv: { k: { s: 'v' } } },
      raw: { bytes: 'AQID' },
      empty: {},
    });
  });

  it('treats an empty body object as an empty request', () => {
    expect(decodeExportTraceRequest(jsonBody({}), 'json')).toEqual({
      resourceSpans: [],
    });
  });

  it.each([
    [
      { traceId: 42 },
      'resourceSpans[0].scopeSpans[0].spans[0].traceId: expected a hex-encoded id',
    ],
    [
      { traceId: 'zz' },
      'spans[0].traceId: expected a hex-encoded id, got the string "zz"',
    ],
    [
      { startTimeUnixNano: 1.5 },
      'spans[0].startTimeUnixNano: expected an integer',
    ],
    [
      { startTimeUnixNano: '-1' },
      'spans[0].startTimeUnixNano: -1 is out of range for uint64',
    ],
    [{ name: ['x'] }, 'spans[0].name: expected a string, got an array'],
    [
      { kind: 'SERVER' },
      'spans[0].kind: expected an enum number or one of SPAN_KIND_UNSPECIFIED',
    ],
    [
      { attributes: {} },
      'spans[0].attributes: expected an array, got an object',
    ],
    [
      { attributes: [{ key: 'a', value: { intValue: 'ten' } }] },
      'spans[0].attributes[0].value.intValue: expected an integer (number or decimal string), got the string "ten"',
    ],
    [
      { attributes: [{ key: 'a', value: { stringValue: 'x', intValue: 1 } }] },
      'spans[0].attributes[0].value: both stringValue and intValue are set',
    ],
    [
      { droppedAttributesCount: -3 },
      'spans[0].droppedAttributesCount: expected an unsigned 32-bit integer',
    ],
  ])('rejects wrong types with the path: %j', (patch, message) => {
    const body = oneSpanRequest({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      name: 'x',
      ...patch,
    });
    expect(() => decodeExportTraceRequest(body, 'json')).toThrow(message);
  });

  it('rejects a body that is not JSON, or not an object', () => {
    expect(() =>
      decodeExportTraceRequest(Buffer.from('{"resourceSpans": ['), 'json'),
    ).toThrow(/^invalid JSON ExportTraceServiceRequest: /);
    expect(() => decodeExportTraceRequest(jsonBody([1]), 'json')).toThrow(
      '(request): expected an object, got an array',
    );
    expect(() =>
      decodeExportTraceRequest(Buffer.from([0xff, 0xfe]), 'json'),
    ).toThrow(/invalid JSON/);
  });
});

describe('decodeExportTraceRequest with broken protobuf', () => {
  const valid = encodeExportTraceRequest(
    decodeExportTraceRequest(
      oneSpanRequest({
        traceId: TRACE_ID,
        spanId: SPAN_ID,
        name: 'chat',
        attributes: [{ key: 'k', value: { stringValue: 'v'.repeat(50) } }],
      }),
      'json',
    ),
  );

  it('rejects a truncated body', () => {
    expect(() =>
      decodeExportTraceRequest(
        valid.subarray(0, valid.length - 20),
        'protobuf',
      ),
    ).toThrow(
      /^invalid protobuf ExportTraceServiceRequest: index out of range/,
    );
  });

  it('rejects garbage with an invalid wire type', () => {
    expect(() =>
      decodeExportTraceRequest(Buffer.from([0x2f, 0x01, 0x02]), 'protobuf'),
    ).toThrow(/^invalid protobuf ExportTraceServiceRequest: invalid wire type/);
  });

  it('decodes an empty body as an empty request', () => {
    expect(
      decodeExportTraceRequest(new Uint8Array(0), 'protobuf').resourceSpans,
    ).toEqual([]);
  });
});

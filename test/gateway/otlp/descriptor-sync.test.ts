import { join } from 'node:path';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { OTLP_TRACE_DESCRIPTOR } from '../../../src/gateway/otlp/otlp-trace-descriptor.js';

const PROTO_DIR = join(import.meta.dirname, '..', '..', '..', 'proto');

describe('the vendored OTLP descriptor', () => {
  it('matches the .proto files in proto/ (regenerate with `node proto/generate-descriptor.mjs`)', () => {
    const root = new protobuf.Root();
    root.resolvePath = (_origin, file) => join(PROTO_DIR, file);
    root.loadSync('opentelemetry/proto/collector/trace/v1/trace_service.proto');
    const service = root.lookupService(
      'opentelemetry.proto.collector.trace.v1.TraceService',
    );
    service.parent?.remove(service);
    expect(OTLP_TRACE_DESCRIPTOR).toEqual(root.toJSON());
  });

  it('has the field numbers of the official OTLP span', () => {
    const root = protobuf.Root.fromJSON(OTLP_TRACE_DESCRIPTOR);
    const span = root.lookupType('opentelemetry.proto.trace.v1.Span');
    const ids = Object.fromEntries(
      span.fieldsArray.map(field => [field.name, [field.id, field.type]]),
    );
    expect(ids).toEqual({
      traceId: [1, 'bytes'],
      spanId: [2, 'bytes'],
      traceState: [3, 'string'],
      parentSpanId: [4, 'bytes'],
      flags: [16, 'fixed32'],
      name: [5, 'string'],
      kind: [6, 'SpanKind'],
      startTimeUnixNano: [7, 'fixed64'],
      endTimeUnixNano: [8, 'fixed64'],
      attributes: [9, 'opentelemetry.proto.common.v1.KeyValue'],
      droppedAttributesCount: [10, 'uint32'],
      events: [11, 'Event'],
      droppedEventsCount: [12, 'uint32'],
      links: [13, 'Link'],
      droppedLinksCount: [14, 'uint32'],
      status: [15, 'Status'],
    });
  });
});

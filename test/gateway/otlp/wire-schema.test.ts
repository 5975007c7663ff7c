import protobuf from 'protobufjs/light.js';
import { describe, expect, it } from 'vitest';
import { OTLP_TRACE_DESCRIPTOR } from '../../../src/gateway/otlp/otlp-trace-descriptor.js';
import {
  fieldsOf,
  MessageKind,
  WireType,
} from '../../../src/gateway/otlp/otlp-wire-schema.js';

const TYPES: Record<keyof typeof MessageKind, string> = {
  Request: 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
  ResourceSpans: 'opentelemetry.proto.trace.v1.ResourceSpans',
  Resource: 'opentelemetry.proto.resource.v1.Resource',
  EntityRef: 'opentelemetry.proto.common.v1.EntityRef',
  ScopeSpans: 'opentelemetry.proto.trace.v1.ScopeSpans',
  Scope: 'opentelemetry.proto.common.v1.InstrumentationScope',
  Span: 'opentelemetry.proto.trace.v1.Span',
  Event: 'opentelemetry.proto.trace.v1.Span.Event',
  Link: 'opentelemetry.proto.trace.v1.Span.Link',
  Status: 'opentelemetry.proto.trace.v1.Status',
  KeyValue: 'opentelemetry.proto.common.v1.KeyValue',
  AnyValue: 'opentelemetry.proto.common.v1.AnyValue',
  ArrayValue: 'opentelemetry.proto.common.v1.ArrayValue',
  KeyValueList: 'opentelemetry.proto.common.v1.KeyValueList',
};

const WIRE: Record<string, WireType> = {
  string: WireType.Len,
  bytes: WireType.Len,
  fixed64: WireType.Fixed64,
  double: WireType.Fixed64,
  fixed32: WireType.Fixed32,
  uint32: WireType.Varint,
  int64: WireType.Varint,
  bool: WireType.Varint,
};

describe('the wire schema of the bounded decoders', () => {
  const root = protobuf.Root.fromJSON(OTLP_TRACE_DESCRIPTOR);
  it.each(Object.entries(TYPES))(
    '%s has the fields of the vendored descriptor',
    (kind, typeName) => {
      const type = root.lookupType(typeName);
      type.resolveAll();
      const expected = type.fieldsArray.map(field => ({
        number: field.id,
        name: field.name,
        repeated: field.repeated,
        wireType:
          field.resolvedType instanceof protobuf.Type
            ? WireType.Len
            : field.resolvedType instanceof protobuf.Enum
              ? WireType.Varint
              : WIRE[field.type],
        message:
          field.resolvedType instanceof protobuf.Type
            ? Object.entries(TYPES).find(
                ([, name]) => name === field.resolvedType?.fullName.slice(1),
              )?.[0]
            : undefined,
      }));
      const actual = fieldsOf(
        MessageKind[kind as keyof typeof MessageKind],
      ).map(spec => ({
        number: spec.number,
        name: spec.name,
        repeated: spec.repeated,
        wireType: spec.wireType,
        message:
          spec.message === undefined
            ? undefined
            : Object.keys(MessageKind)[spec.message],
      }));
      const byNumber = (a: { number: number }, b: { number: number }) =>
        a.number - b.number;
      expect(actual.sort(byNumber)).toEqual(expected.sort(byNumber));
    },
  );
});

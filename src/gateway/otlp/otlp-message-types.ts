import protobuf from 'protobufjs/light.js';
import type { Long as LongValue, Type } from 'protobufjs';
import { OTLP_TRACE_DESCRIPTOR } from './otlp-trace-descriptor.js';

const PACKAGE = 'opentelemetry.proto.collector.trace.v1';

interface OtlpMessageTypes {
  readonly request: Type;
  readonly response: Type;
  readonly resource: Type;
  readonly scope: Type;
  readonly span: Type;
}

let types: OtlpMessageTypes | undefined;

/**
 * The protobufjs message types of the OTLP trace service, built once from
 * the vendored descriptor (reflection; protobufjs generates the codec
 * functions on first use).
 */
export function otlpMessageTypes(): OtlpMessageTypes {
  if (types === undefined) {
    const root = protobuf.Root.fromJSON(OTLP_TRACE_DESCRIPTOR);
    types = {
      request: root.lookupType(`${PACKAGE}.ExportTraceServiceRequest`),
      response: root.lookupType(`${PACKAGE}.ExportTraceServiceResponse`),
      resource: root.lookupType('opentelemetry.proto.resource.v1.Resource'),
      scope: root.lookupType(
        'opentelemetry.proto.common.v1.InstrumentationScope',
      ),
      span: root.lookupType('opentelemetry.proto.trace.v1.Span'),
    };
  }
  return types;
}

/** The static side of protobufjs's bundled `long` package. */
interface LongStatics {
  readonly UZERO: LongValue;
  fromString(text: string, unsigned: boolean): LongValue;
  fromBits(low: number, high: number, unsigned: boolean): LongValue;
  fromNumber(value: number, unsigned: boolean): LongValue;
}

/** `Long` from protobufjs's bundled `long` package (64-bit integers). */
export const Long = protobuf.util.Long as unknown as LongStatics;

/** A 64-bit integer as a number (exact up to 2^53). */
export function longToNumber(
  value: LongValue | number | bigint | string,
): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'object') return Number(value);
  const high = value.unsigned ? value.high >>> 0 : value.high;
  return high * 0x1_0000_0000 + (value.low >>> 0);
}

/**
 * Decodes OTLP trace requests independently of the gateway's decoder:
 * protobufjs loads the vendored `.proto` files themselves and `toObject`
 * converts, so a bug in the gateway's descriptor, JSON reader or span
 * adapter cannot hide itself. Gives a comparable, JSON-friendly view of
 * every span.
 */
import { join } from 'node:path';
import protobuf from 'protobufjs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

const PROTO_DIR = join(import.meta.dirname, '..', '..', '..', 'proto');

let requestType: protobuf.Type | undefined;

function loadRequestType(): protobuf.Type {
  if (requestType === undefined) {
    const root = new protobuf.Root();
    root.resolvePath = (_origin, file) => join(PROTO_DIR, file);
    root.loadSync('opentelemetry/proto/collector/trace/v1/trace_service.proto');
    requestType = root.lookupType(
      'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
    );
  }
  return requestType;
}

/** A canonical attribute value: the OTLP value kind and the value. */
export type Canonical =
  | { s: string }
  | { i: string }
  | { d: number }
  | { b: boolean }
  | { a: Canonical[] }
  | { kv: Record<string, Canonical> }
  | { bytes: string }
  | Record<string, never>;

export interface ComparableSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Record<string, Canonical>;
  events: {
    name: string;
    timeUnixNano: string;
    attributes: Record<string, Canonical>;
  }[];
  links: {
    traceId: string;
    spanId: string;
    attributes: Record<string, Canonical>;
  }[];
  status: { code: number; message: string };
  traceState: string;
  flags: number;
  scope: string;
  resource: Record<string, Canonical>;
}

type Obj = Record<string, unknown>;

const b64ToHex = (value: unknown): string =>
  typeof value === 'string' ? Buffer.from(value, 'base64').toString('hex') : '';

function canonicalAny(value: Obj | undefined): Canonical {
  if (value === undefined) return {};
  if (value.stringValue !== undefined)
    return { s: value.stringValue as string };
  if (value.intValue !== undefined) return { i: String(value.intValue) };
  if (value.doubleValue !== undefined)
    return { d: value.doubleValue as number };
  if (value.boolValue !== undefined) return { b: value.boolValue as boolean };
  if (value.arrayValue !== undefined) {
    const values = ((value.arrayValue as Obj).values ?? []) as Obj[];
    return { a: values.map(canonicalAny) };
  }
  if (value.kvlistValue !== undefined) {
    return {
      kv: canonicalAttributes((value.kvlistValue as Obj).values as Obj[]),
    };
  }
  if (value.bytesValue !== undefined)
    return { bytes: value.bytesValue as string };
  return {};
}

function canonicalAttributes(
  list: Obj[] | undefined,
): Record<string, Canonical> {
  const result: Record<string, Canonical> = {};
  for (const entry of list ?? []) {
    result[entry.key as string] = canonicalAny(entry.value as Obj | undefined);
  }
  return result;
}

/** Every span of a binary `ExportTraceServiceRequest`, in order. */
export function referenceDecode(body: Uint8Array): ComparableSpan[] {
  const message = loadRequestType().decode(body);
  const object = loadRequestType().toObject(message, {
    longs: String,
    bytes: String,
    enums: Number,
    defaults: true,
    oneofs: false,
  }) as Obj;
  const spans: ComparableSpan[] = [];
  for (const rs of (object.resourceSpans ?? []) as Obj[]) {
    const resource = canonicalAttributes(
      ((rs.resource as Obj | null)?.attributes ?? []) as Obj[],
    );
    for (const ss of (rs.scopeSpans ?? []) as Obj[]) {
      const scope = ((ss.scope as Obj | null)?.name ?? '') as string;
      for (const span of (ss.spans ?? []) as Obj[]) {
        const status = (span.status ?? {}) as Obj;
        spans.push({
          traceId: b64ToHex(span.traceId),
          spanId: b64ToHex(span.spanId),
          parentSpanId: b64ToHex(span.parentSpanId),
          name: span.name as string,
          kind: span.kind as number,
          startTimeUnixNano: span.startTimeUnixNano as string,
          endTimeUnixNano: span.endTimeUnixNano as string,
          attributes: canonicalAttributes(span.attributes as Obj[]),
          events: ((span.events ?? []) as Obj[]).map(event => ({
            name: event.name as string,
            timeUnixNano: event.timeUnixNano as string,
            attributes: canonicalAttributes(event.attributes as Obj[]),
          })),
          links: ((span.links ?? []) as Obj[]).map(link => ({
            traceId: b64ToHex(link.traceId),
            spanId: b64ToHex(link.spanId),
            attributes: canonicalAttributes(link.attributes as Obj[]),
          })),
          status: {
            code: (status.code ?? 0) as number,
            message: (status.message ?? '') as string,
          },
          traceState: (span.traceState ?? '') as string,
          flags: (span.flags ?? 0) as number,
          scope,
          resource,
        });
      }
    }
  }
  return spans;
}

function canonicalJs(value: unknown): Canonical {
  if (typeof value === 'string') return { s: value };
  if (typeof value === 'boolean') return { b: value };
  if (typeof value === 'number') {
    return Number.isInteger(value) ? { i: String(value) } : { d: value };
  }
  if (Array.isArray(value)) return { a: value.map(canonicalJs) };
  return {};
}

function jsAttributes(
  attributes: Readonly<Record<string, unknown>>,
): Record<string, Canonical> {
  const result: Record<string, Canonical> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined) result[key] = canonicalJs(value);
  }
  return result;
}

const nanos = ([seconds, ns]: readonly [number, number]): string =>
  (BigInt(seconds) * 1_000_000_000n + BigInt(ns)).toString();

/** What an SDK span should look like after an OTLP round trip. */
export function comparableFromReadable(span: ReadableSpan): ComparableSpan {
  const context = span.spanContext();
  const parent = span.parentSpanContext;
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    parentSpanId: parent?.spanId ?? '',
    name: span.name,
    kind: span.kind + 1,
    startTimeUnixNano: nanos(span.startTime),
    endTimeUnixNano: nanos(span.endTime),
    attributes: jsAttributes(span.attributes),
    events: span.events.map(event => ({
      name: event.name,
      timeUnixNano: nanos(event.time),
      attributes: jsAttributes(event.attributes ?? {}),
    })),
    links: span.links.map(link => ({
      traceId: link.context.traceId,
      spanId: link.context.spanId,
      attributes: jsAttributes(link.attributes ?? {}),
    })),
    status: { code: span.status.code, message: span.status.message ?? '' },
    traceState: context.traceState?.serialize() ?? '',
    flags:
      (context.traceFlags & 0xff) |
      0x100 |
      (parent?.isRemote === true ? 0x200 : 0),
    scope: span.instrumentationScope.name,
    resource: jsAttributes(span.resource.attributes),
  };
}

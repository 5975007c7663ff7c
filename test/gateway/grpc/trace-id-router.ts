/**
 * A trace-id router for the fleet test, standing in for the Collector's
 * `loadbalancing` exporter with `routing_key: traceID` and `protocol: otlp`:
 * an OTLP/gRPC server that splits each request by trace id and sends each
 * part over OTLP/gRPC to replica `fnv1a(traceId) % replicas`, answering OK
 * only once every part was accepted, else the first refusal (its code,
 * message and trailers, retry info included), so the sender retries.
 * Decoding uses protobufjs over the vendored protos (not the gateway's code).
 */
import * as grpc from '@grpc/grpc-js';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { EXPORT_PATH, GrpcTestClient } from './grpc-test-client.js';

const PROTO_DIR = join(import.meta.dirname, '..', '..', '..', 'proto');

function requestType(): protobuf.Type {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, file) => join(PROTO_DIR, file);
  root.loadSync('opentelemetry/proto/collector/trace/v1/trace_service.proto');
  return root.lookupType(
    'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
  );
}

/** FNV-1a (32 bits) of the trace id's hex: a stable, evenly spread key. */
export function replicaOf(traceIdHex: string, replicas: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < traceIdHex.length; index += 1) {
    hash ^= traceIdHex.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % replicas;
}

interface Obj {
  [key: string]: unknown;
}

export interface TraceIdRouter {
  readonly address: string;
  /** Requests each replica was sent (parts of split requests). */
  readonly sent: number[];
  close(): Promise<void>;
}

export async function startTraceIdRouter(
  replicaAddresses: readonly string[],
): Promise<TraceIdRouter> {
  const type = requestType();
  const clients = replicaAddresses.map(address => new GrpcTestClient(address));
  const sent = replicaAddresses.map(() => 0);
  const server = new grpc.Server();
  const identity = (value: Buffer): Buffer => value;
  server.addService(
    {
      Export: {
        path: EXPORT_PATH,
        requestStream: false,
        responseStream: false,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
      },
    },
    {
      Export: (
        call: grpc.ServerUnaryCall<Buffer, Buffer>,
        callback: grpc.sendUnaryData<Buffer>,
      ) => {
        const parts = split(type, call.request, clients.length);
        void Promise.all(
          parts.map((part, replica) => {
            if (part === undefined) return undefined;
            sent[replica] = (sent[replica] ?? 0) + 1;
            return (clients[replica] as GrpcTestClient).export(part);
          }),
        ).then(answers => {
          const refused = answers.find(
            answer => answer !== undefined && answer.code !== grpc.status.OK,
          );
          if (refused === undefined) callback(null, Buffer.alloc(0));
          else {
            callback({
              code: refused.code,
              details: refused.details,
              metadata: refused.trailers ?? new grpc.Metadata(),
            });
          }
        });
      },
    },
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      '127.0.0.1:0',
      grpc.ServerCredentials.createInsecure(),
      (error, bound) => (error === null ? resolve(bound) : reject(error)),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    sent,
    close: () =>
      new Promise<void>(resolve => {
        for (const client of clients) client.close();
        server.tryShutdown(() => resolve());
      }),
  };
}

/** The request's spans grouped by replica, each part keeping its resource and scope. */
function split(
  type: protobuf.Type,
  body: Buffer,
  replicas: number,
): (Uint8Array | undefined)[] {
  const request = type.toObject(type.decode(body)) as Obj;
  const parts: (Obj[] | undefined)[] = Array.from({ length: replicas });
  for (const resourceSpans of (request.resourceSpans ?? []) as Obj[]) {
    for (const scopeSpans of (resourceSpans.scopeSpans ?? []) as Obj[]) {
      const byReplica = new Map<number, Obj[]>();
      for (const span of (scopeSpans.spans ?? []) as Obj[]) {
        const traceId = Buffer.from(span.traceId as Uint8Array).toString('hex');
        const replica = replicaOf(traceId, replicas);
        byReplica.set(replica, [...(byReplica.get(replica) ?? []), span]);
      }
      for (const [replica, spans] of byReplica) {
        const part = (parts[replica] ??= []);
        part.push({
          ...resourceSpans,
          scopeSpans: [{ ...scopeSpans, spans }],
        });
      }
    }
  }
  return parts.map(part =>
    part === undefined
      ? undefined
      : type.encode(type.fromObject({ resourceSpans: part })).finish(),
  );
}

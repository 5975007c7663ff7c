/**
 * A raw OTLP/gRPC client for the gateway's receiver (grpc-js, bytes in and
 * out), and readers of what it answers: the status, the trailers and the
 * `google.rpc.RetryInfo` in `grpc-status-details-bin`, decoded here by hand
 * (independently of the gateway's encoder).
 */
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs/light.js';
import { decodeExportTraceRequest } from '../../../src/gateway/otlp/decode-export-trace-request.js';
import { encodeExportTraceRequest } from '../../../src/gateway/otlp/encode-export-trace-request.js';

export const EXPORT_PATH =
  '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

const identity = (value: Buffer): Buffer => value;

const TraceClient = grpc.makeGenericClientConstructor(
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
  'TraceService',
);

export interface GrpcAnswer {
  readonly code: number;
  readonly details: string;
  readonly response: Buffer | undefined;
  readonly trailers: grpc.Metadata | undefined;
}

export interface ExportOptions {
  readonly token?: string;
  readonly gzip?: boolean;
  /** grpc-js retry policy for UNAVAILABLE (honours grpc-retry-pushback-ms). */
  readonly retryAttempts?: number;
  readonly deadlineMillis?: number;
}

/** A client of `address`; close it when done. */
export class GrpcTestClient {
  private readonly _client: grpc.Client & {
    Export: (
      body: Buffer,
      metadata: grpc.Metadata,
      options: grpc.CallOptions,
      callback: (error: grpc.ServiceError | null, response?: Buffer) => void,
    ) => grpc.ClientUnaryCall;
  };

  constructor(address: string, options: ExportOptions = {}) {
    const channelOptions: grpc.ChannelOptions = {
      'grpc.max_send_message_length': -1,
      ...(options.gzip === true
        ? { 'grpc.default_compression_algorithm': 2 }
        : {}),
    };
    if (options.retryAttempts !== undefined) {
      channelOptions['grpc.service_config'] = JSON.stringify({
        methodConfig: [
          {
            name: [
              {
                service: 'opentelemetry.proto.collector.trace.v1.TraceService',
              },
            ],
            retryPolicy: {
              maxAttempts: options.retryAttempts,
              initialBackoff: '0.1s',
              maxBackoff: '5s',
              backoffMultiplier: 2,
              retryableStatusCodes: ['UNAVAILABLE'],
            },
          },
        ],
      });
    }
    this._client = new TraceClient(
      address,
      grpc.credentials.createInsecure(),
      channelOptions,
    ) as never;
    this._token = options.token;
    this._deadline = options.deadlineMillis ?? 20_000;
  }

  private readonly _token: string | undefined;
  private readonly _deadline: number;

  export(body: Uint8Array, token = this._token): Promise<GrpcAnswer> {
    const metadata = new grpc.Metadata();
    if (token !== undefined) metadata.set('authorization', `Bearer ${token}`);
    return new Promise(resolve => {
      let trailers: grpc.Metadata | undefined;
      const call = this._client.Export(
        Buffer.from(body),
        metadata,
        { deadline: Date.now() + this._deadline },
        (error, response) => {
          resolve({
            code: error?.code ?? grpc.status.OK,
            details: error?.details ?? '',
            response,
            trailers: error?.metadata ?? trailers,
          });
        },
      );
      call.on('status', status => {
        trailers = status.metadata;
      });
    });
  }

  close(): void {
    this._client.close();
  }
}

/** `retry_delay` seconds of the RetryInfo in `grpc-status-details-bin`, with the Status code. */
export function retryInfoOf(
  trailers: grpc.Metadata | undefined,
):
  | { code: number; message: string; retryDelaySeconds: number | undefined }
  | undefined {
  const bin = trailers?.get('grpc-status-details-bin')[0];
  if (!(bin instanceof Buffer)) return undefined;
  const status = protobuf.Reader.create(bin);
  let code = 0;
  let message = '';
  let retryDelaySeconds: number | undefined;
  while (status.pos < status.len) {
    const tag = status.uint32();
    if (tag >>> 3 === 1) code = status.int32();
    else if (tag >>> 3 === 2) message = status.string();
    else if (tag >>> 3 === 3) {
      const any = protobuf.Reader.create(status.bytes());
      let typeUrl = '';
      let value: Uint8Array = new Uint8Array(0);
      while (any.pos < any.len) {
        const anyTag = any.uint32();
        if (anyTag >>> 3 === 1) typeUrl = any.string();
        else if (anyTag >>> 3 === 2) value = any.bytes();
        else any.skipType(anyTag & 7);
      }
      if (typeUrl !== 'type.googleapis.com/google.rpc.RetryInfo') continue;
      const info = protobuf.Reader.create(value);
      while (info.pos < info.len) {
        const infoTag = info.uint32();
        if (infoTag >>> 3 !== 1) {
          info.skipType(infoTag & 7);
          continue;
        }
        const duration = protobuf.Reader.create(info.bytes());
        while (duration.pos < duration.len) {
          const durationTag = duration.uint32();
          if (durationTag >>> 3 === 1) {
            retryDelaySeconds = Number(duration.int64());
          } else duration.skipType(durationTag & 7);
        }
      }
    } else status.skipType(tag & 7);
  }
  return { code, message, retryDelaySeconds };
}

/** The `partial_success` of an ExportTraceServiceResponse, decoded by hand. */
export function partialSuccessOf(
  response: Buffer | undefined,
): { rejectedSpans: number; errorMessage: string } | undefined {
  if (response === undefined || response.length === 0) return undefined;
  const reader = protobuf.Reader.create(response);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 !== 1) {
      reader.skipType(tag & 7);
      continue;
    }
    const inner = protobuf.Reader.create(reader.bytes());
    let rejectedSpans = 0;
    let errorMessage = '';
    while (inner.pos < inner.len) {
      const innerTag = inner.uint32();
      if (innerTag >>> 3 === 1) rejectedSpans = Number(inner.int64());
      else if (innerTag >>> 3 === 2) errorMessage = inner.string();
      else inner.skipType(innerTag & 7);
    }
    return { rejectedSpans, errorMessage };
  }
  return undefined;
}

/** OTLP/JSON (the shared test builders) as the protobuf a gRPC sender sends. */
export function protobufOf(json: Buffer): Uint8Array {
  return encodeExportTraceRequest(decodeExportTraceRequest(json, 'json'));
}

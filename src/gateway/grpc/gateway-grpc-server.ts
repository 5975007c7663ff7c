import { diag } from '@opentelemetry/api';
import type * as GrpcJs from '@grpc/grpc-js';
import { acceptExport } from '../accept/accept-export.js';
import type { HostPort } from '../gateway-option-parsers.js';
import { encodeExportTraceResponse } from '../otlp/encode-export-trace-response.js';
import type { TracesEndpointContext } from '../http/traces-endpoint.js';
import { grpcAdmission, type AdmittedCalls } from './grpc-admission.js';
import { grpcRefusal, type GrpcRefusal } from './grpc-refusal.js';
import { loadGrpcJs, type GrpcModule } from './load-grpc-js.js';

/** The OTLP/gRPC trace service method. */
export const TRACE_EXPORT_PATH =
  '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

/** A running OTLP/gRPC receiver. */
export interface GatewayGrpcServer {
  /** `host:port` it listens on (the port chosen when 0 was asked). */
  readonly address: string;
  readonly port: number;
  /**
   * Closes the receiver: with `graceful`, once the calls in progress have
   * been answered (at most `CLOSE_GRACE_MILLIS`), else at once, cutting
   * the connections of any left (they were not acknowledged).
   */
  close(graceful: boolean): Promise<void>;
}

/** How long a graceful close waits for answers still being written. */
const CLOSE_GRACE_MILLIS = 2_000;

/** Bytes in, bytes out: the gateway's own bounded walk decodes the request. */
const identity = (value: Buffer): Buffer => value;

/**
 * Starts the OTLP/gRPC receiver (`--listen-grpc`): the service
 * `opentelemetry.proto.collector.trace.v1.TraceService/Export`, its
 * request taken as raw bytes and run through the gateway's one accept path
 * (`acceptExport`), the same as `POST /v1/traces` with protobuf. The
 * message size limit is `--max-decompressed-bytes` (grpc-js applies one
 * limit to the message on the wire and once inflated: RESOURCE_EXHAUSTED
 * over it); admission, auth and backpressure are `grpcAdmission`'s.
 */
export async function startGatewayGrpcServer(
  listen: HostPort,
  context: TracesEndpointContext,
): Promise<GatewayGrpcServer> {
  const grpc = await loadGrpcJs();
  const admitted: AdmittedCalls = new WeakMap();
  const count = (code: number): void => {
    const key = `grpc ${grpc.status[code] ?? code}`;
    context.stats.responses[key] = (context.stats.responses[key] ?? 0) + 1;
  };
  const server = new grpc.Server({
    'grpc.max_receive_message_length': context.limits.maxDecompressedBytes,
    'grpc.max_send_message_length': 1024 * 1024,
    interceptors: [grpcAdmission(grpc, context, admitted, count)],
  });
  const definition: GrpcJs.ServiceDefinition = {
    Export: {
      path: TRACE_EXPORT_PATH,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  };
  server.addService(definition, {
    Export: (
      call: GrpcJs.ServerUnaryCall<Buffer, Buffer>,
      callback: GrpcJs.sendUnaryData<Buffer>,
    ) => {
      void answerCall(grpc, call, context, admitted).then(answer => {
        count(answer.error?.code ?? grpc.status.OK);
        if (answer.error !== undefined) callback(answer.error);
        else callback(null, answer.response);
      });
    },
  });
  const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(
      `${host}:${listen.port}`,
      grpc.ServerCredentials.createInsecure(),
      (error, bound) => (error === null ? resolve(bound) : reject(error)),
    );
  });
  return {
    address: `${host}:${port}`,
    port,
    close: graceful =>
      new Promise<void>(resolve => {
        if (!graceful) {
          server.forceShutdown();
          resolve();
          return;
        }
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, CLOSE_GRACE_MILLIS);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}

interface ExportAnswer {
  readonly error?: GrpcRefusal;
  readonly response?: Buffer;
}

/**
 * The answer to an admitted call; its admission ticket (reading slot, then
 * bytes and queue slot) is released once the answer is known.
 */
async function answerCall(
  grpc: GrpcModule,
  call: GrpcJs.ServerUnaryCall<Buffer, Buffer>,
  context: TracesEndpointContext,
  admitted: AdmittedCalls,
): Promise<ExportAnswer> {
  const ticket = admitted.get(call.metadata);
  try {
    if (ticket === undefined) {
      // Every call passes the admission interceptor first; never expected.
      throw new Error('call was not admitted');
    }
    return await exportCall(grpc, call.request, context);
  } catch (error) {
    diag.error(
      'otel-genai-cost gateway: failed to process a gRPC request',
      error,
    );
    return {
      error: grpcRefusal(
        grpc,
        'INTERNAL',
        `internal error: ${(error as Error).message}`,
      ),
    };
  } finally {
    ticket?.release();
  }
}

/** The one accept path, its outcome as a gRPC answer. */
async function exportCall(
  grpc: GrpcModule,
  body: Buffer,
  context: TracesEndpointContext,
): Promise<ExportAnswer> {
  const outcome = await acceptExport(body, 'protobuf', context);
  switch (outcome.kind) {
    case 'invalid':
      return {
        error: grpcRefusal(
          grpc,
          outcome.status === 413 ? 'RESOURCE_EXHAUSTED' : 'INVALID_ARGUMENT',
          outcome.message,
        ),
      };
    case 'retryable':
      return {
        error: grpcRefusal(
          grpc,
          'UNAVAILABLE',
          outcome.message,
          outcome.retryAfterSeconds,
        ),
      };
    case 'refused':
      return {
        error: grpcRefusal(
          grpc,
          'INTERNAL',
          `${outcome.message}; the batch was not accepted`,
        ),
      };
    case 'exported':
      return {
        response: Buffer.from(
          encodeExportTraceResponse(outcome.partialSuccess, 'protobuf'),
        ),
      };
  }
}

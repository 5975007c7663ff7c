import type { IncomingMessage, ServerResponse } from 'node:http';
import { contentTypeOf } from '../otlp/otlp-content-type.js';
import { encodeExportTraceResponse } from '../otlp/encode-export-trace-response.js';
import { encodeRpcStatus, RpcCode } from '../otlp/encode-rpc-status.js';
import type {
  ExportTracePartialSuccess,
  OtlpFormat,
} from '../otlp/otlp-types.js';

/** Bodies up to this size are read and discarded after an early answer. */
const DISCARD_LIMIT_BYTES = 256 * 1024;

const RPC_CODES: Readonly<Record<number, number>> = {
  400: RpcCode.INVALID_ARGUMENT,
  401: RpcCode.UNAUTHENTICATED,
  404: RpcCode.NOT_FOUND,
  405: RpcCode.UNIMPLEMENTED,
  413: RpcCode.RESOURCE_EXHAUSTED,
  415: RpcCode.INVALID_ARGUMENT,
  500: RpcCode.INTERNAL,
  503: RpcCode.UNAVAILABLE,
};

export interface ErrorReplyOptions {
  readonly retryAfterSeconds?: number | undefined;
  /** Extra headers (`WWW-Authenticate`, `Allow`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Close the connection after the answer (a sender cut off for slowness). */
  readonly close?: boolean;
}

/** 200 with an `ExportTraceServiceResponse` in the request's format. */
export function replyExported(
  response: ServerResponse,
  format: OtlpFormat,
  partialSuccess: ExportTracePartialSuccess | undefined,
): void {
  const body = encodeExportTraceResponse(partialSuccess, format);
  response.writeHead(200, {
    'content-type': contentTypeOf(format),
    'content-length': body.byteLength,
  });
  response.end(body);
}

/**
 * An error answer with a `google.rpc.Status` body in the request's format.
 * When the request body was not (fully) read, a small body is discarded so
 * the connection can be reused; a large or unknown-length one closes the
 * connection after the answer, as Go's net/http does.
 */
export function replyError(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  message: string,
  format: OtlpFormat,
  options: ErrorReplyOptions = {},
): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const body = encodeRpcStatus(
    RPC_CODES[status] ?? RpcCode.INTERNAL,
    message,
    format,
  );
  const headers: Record<string, string | number> = {
    ...options.headers,
    'content-type': contentTypeOf(format),
    'content-length': body.byteLength,
  };
  if (options.retryAfterSeconds !== undefined) {
    headers['retry-after'] = String(options.retryAfterSeconds);
  }
  if (options.close === true || (!request.complete && !smallBody(request))) {
    headers.connection = 'close';
  }
  response.writeHead(status, headers);
  response.end(body);
  if (options.close === true) {
    // Not a byte more from this sender; the socket closes once the answer is out.
    request.pause();
    return;
  }
  if (!request.complete) request.resume();
}

function smallBody(request: IncomingMessage): boolean {
  const length = Number(request.headers['content-length']);
  return Number.isFinite(length) && length <= DISCARD_LIMIT_BYTES;
}

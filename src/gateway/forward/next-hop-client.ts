import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import type { IncomingMessage, RequestOptions } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import { urlToHttpOptions } from 'node:url';
import { promisify } from 'node:util';
import { constants, gzip, gzipSync } from 'node:zlib';
import { forwardPayloads } from './payload-buffers.js';
import {
  isRetryableStatus,
  parseRetryAfter,
  type ForwardOutcome,
} from './forward-outcome.js';

const gzipAsync = promisify(gzip);
/**
 * Payloads up to this size are gzipped on this thread (about a millisecond
 * at most): a thread pool round trip costs more CPU than they take.
 */
const GZIP_HERE_BYTES = 1024 * 1024;

/** Level 1: about 12x on OTLP batches, the fastest level. */
const GZIP_OPTIONS = { level: constants.Z_BEST_SPEED, chunkSize: 64 * 1024 };

/** The Collector's client reads at most this much of a response body. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface NextHopClientOptions {
  /** OTLP/HTTP traces URL, e.g. `http://collector:4320/v1/traces`. */
  readonly url: URL;
  /** Extra headers (authorization for the next hop, ...). */
  readonly headers: Readonly<Record<string, string>>;
  readonly compression: 'gzip' | 'none';
  readonly timeoutMillis: number;
  /** Concurrent connections to keep. */
  readonly maxSockets: number;
}

/**
 * Sends encoded `ExportTraceServiceRequest`s to the next hop as
 * `application/x-protobuf` (gzip by default, compressed off the main thread past 1 MiB)
 * over keep-alive connections, and classifies the answer the way an OTLP
 * exporter does: 2xx ok, 429/502/503/504 or no answer retryable, other
 * statuses permanent.
 */
export class NextHopClient {
  private readonly _options: NextHopClientOptions;
  private readonly _agent: HttpAgent;
  private readonly _send: typeof httpRequest;
  /**
   * What every request gets, made once: the URL's parts as Node makes
   * them of a URL for each request (`urlToHttpOptions`), the method, the
   * agent and the timeout; and the headers before the length.
   */
  private readonly _request: RequestOptions;
  private readonly _headers: Readonly<Record<string, string>>;

  constructor(options: NextHopClientOptions) {
    this._options = options;
    const https = options.url.protocol === 'https:';
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets };
    this._agent = https
      ? new HttpsAgent(agentOptions)
      : new HttpAgent(agentOptions);
    this._send = https ? httpsRequest : httpRequest;
    this._request = {
      ...urlToHttpOptions(options.url),
      method: 'POST',
      agent: this._agent,
      timeout: options.timeoutMillis,
    };
    this._headers = {
      ...options.headers,
      'content-type': 'application/x-protobuf',
    };
  }

  /**
   * Sends `payload` and classifies the answer. A payload taken from
   * `forwardPayloads` (the writer's) is given back once gzip has read it
   * on this thread: the caller must not read it after calling `send`.
   */
  async send(payload: Uint8Array): Promise<ForwardOutcome> {
    const gzipped = this._options.compression === 'gzip';
    let body: Uint8Array;
    if (!gzipped) body = payload;
    else if (payload.byteLength <= GZIP_HERE_BYTES) {
      body = gzipSync(payload, GZIP_OPTIONS);
      // gzip's output is its own memory: the payload is read no more.
      forwardPayloads.release(payload);
    } else body = await gzipAsync(payload, GZIP_OPTIONS);
    const headers: Record<string, string> = {
      ...this._headers,
      'content-length': String(body.byteLength),
    };
    if (gzipped) headers['content-encoding'] = 'gzip';
    return new Promise<ForwardOutcome>(resolve => {
      const request = this._send({ ...this._request, headers }, response => {
        readLimited(response, text => resolve(classify(response, text)));
      });
      request.on('timeout', () => {
        request.destroy(
          new Error(`no answer within ${this._options.timeoutMillis} ms`),
        );
      });
      request.on('error', error => {
        resolve({
          kind: 'retryable',
          retryAfterSeconds: undefined,
          message: `next hop unreachable: ${error.message}`,
        });
      });
      request.end(body);
    });
  }

  close(): void {
    this._agent.destroy();
  }
}

function classify(response: IncomingMessage, text: string): ForwardOutcome {
  const status = response.statusCode ?? 0;
  if (status >= 200 && status < 300) return { kind: 'ok', warning: undefined };
  const message = `next hop answered HTTP ${status}${describeBody(response, text)}`;
  if (isRetryableStatus(status)) {
    const header = response.headers['retry-after'];
    return {
      kind: 'retryable',
      retryAfterSeconds: parseRetryAfter(
        Array.isArray(header) ? header[0] : header,
        Date.now(),
      ),
      message,
    };
  }
  return { kind: 'permanent', status, message };
}

function describeBody(response: IncomingMessage, text: string): string {
  const type = response.headers['content-type'] ?? '';
  if (text === '' || !/^(text\/|application\/json)/.test(type)) return '';
  return `: ${text.slice(0, 200)}`;
}

function readLimited(
  response: IncomingMessage,
  done: (text: string) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  response.on('data', (chunk: Buffer) => {
    if (size < MAX_RESPONSE_BYTES) chunks.push(chunk);
    size += chunk.length;
  });
  response.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
  response.on('error', () => done(''));
}

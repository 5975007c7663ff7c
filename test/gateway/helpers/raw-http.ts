/** A plain HTTP client for the bad-input tests: full control over headers and body. */
import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import protobuf from 'protobufjs';

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface RawRequest {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** A buffer, or a stream piped into the request (chunked). */
  readonly body?: Uint8Array | Readable;
}

/**
 * Sends one request and resolves with the answer, even when the server
 * answers before the body was sent (write errors after the answer are
 * ignored, as a real client that already has its answer would).
 */
export function rawRequest(
  url: string,
  options: RawRequest = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(
      url,
      { method: options.method ?? 'POST', headers: options.headers },
      res => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', error => {
      if (!answered) reject(error);
    });
    const body = options.body;
    if (body === undefined) req.end();
    else if (body instanceof Uint8Array) req.end(body);
    else {
      body.on('error', () => req.destroy());
      body.pipe(req);
      req.on('close', () => body.destroy());
    }
  });
}

const statusType = new protobuf.Type('Status')
  .add(new protobuf.Field('code', 1, 'int32'))
  .add(new protobuf.Field('message', 2, 'string'));
new protobuf.Root().define('google.rpc').add(statusType);

/** The `google.rpc.Status` of an error answer (protobuf or JSON body). */
export function rpcStatusOf(response: RawResponse): {
  code: number;
  message: string;
} {
  if (String(response.headers['content-type']).startsWith('application/json')) {
    return JSON.parse(response.body.toString('utf8')) as {
      code: number;
      message: string;
    };
  }
  const decoded = statusType.toObject(statusType.decode(response.body), {
    defaults: true,
  });
  return decoded as { code: number; message: string };
}

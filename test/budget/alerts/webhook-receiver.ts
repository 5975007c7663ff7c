/**
 * A budget alert webhook on 127.0.0.1 for tests. It checks each request's
 * signature with its own HMAC code (written from the documented format,
 * not with the library's verifier), remembers every request and the event
 * ids it processed once, and answers as the test's plan says (a status, a
 * reset connection, or no answer at all).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Answer =
  | { readonly status: number; readonly headers?: Record<string, string> }
  | 'reset'
  | 'hang';

export interface ReceivedRequest {
  readonly body: string;
  readonly headers: IncomingHttpHeaders;
  /** The signature matched the body under the secret, with a fresh timestamp. */
  readonly signed: boolean;
  readonly timestamp: number | undefined;
  readonly eventId: string | undefined;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Event ids answered 2xx, in order, each once (what a deduping receiver keeps). */
  readonly processed: string[];
  /** How many 2xx answers repeated an already processed id. */
  duplicates: number;
  close(): Promise<void>;
}

/** Independent check of `t=<s>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export function signatureMatches(
  secret: string,
  body: string,
  header: string | undefined,
): { ok: boolean; timestamp: number | undefined } {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (match === null) return { ok: false, timestamp: undefined };
  const timestamp = Number(match[1]);
  const expected = createHmac('sha256', secret)
    .update(`${match[1]}.${body}`, 'utf8')
    .digest();
  const given = Buffer.from(match[2] as string, 'hex');
  const fresh = Math.abs(Date.now() / 1000 - timestamp) <= 300;
  return { ok: fresh && timingSafeEqual(expected, given), timestamp };
}

export async function startWebhookReceiver(
  secret: string,
  plan: (requestNumber: number, body: string) => Answer = () => ({
    status: 204,
  }),
): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const processed: string[] = [];
  const seen = new Set<string>();
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();
  const receiver: WebhookReceiver = {
    url: '',
    requests,
    processed,
    duplicates: 0,
    close: () => Promise.resolve(),
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = request.headers['x-otel-genai-cost-signature'];
      const check = signatureMatches(
        secret,
        body,
        typeof header === 'string' ? header : undefined,
      );
      let eventId: string | undefined;
      try {
        eventId = (JSON.parse(body) as { id?: string }).id;
      } catch {
        eventId = undefined;
      }
      requests.push({
        body,
        headers: request.headers,
        signed: check.ok,
        timestamp: check.timestamp,
        eventId,
      });
      const answer = plan(requests.length, body);
      if (answer === 'reset') {
        request.socket.destroy();
        return;
      }
      if (answer === 'hang') {
        hanging.add(response);
        return;
      }
      if (
        answer.status >= 200 &&
        answer.status < 300 &&
        eventId !== undefined
      ) {
        if (seen.has(eventId)) receiver.duplicates += 1;
        else {
          seen.add(eventId);
          processed.push(eventId);
        }
      }
      response.writeHead(answer.status, answer.headers ?? {});
      response.end();
    });
  });
  server.on('connection', socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hooks/budget`,
    close: () =>
      new Promise<void>(resolve => {
        for (const socket of sockets) socket.destroy();
        hanging.clear();
        server.close(() => resolve());
      }),
  });
}

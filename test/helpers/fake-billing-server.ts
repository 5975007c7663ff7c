/**
 * The common part of the fake billing APIs (Stripe, OpenMeter, Lago):
 * `node:http` on 127.0.0.1, an ephemeral port, no network. A vendor fake
 * supplies `handle`, which checks a request against the vendor's
 * documented rules and either refuses it or accepts an event. The state
 * (events billed, keys seen) lives in a `FakeBillingState` that outlives
 * a server, so a test can stop one and start another on the same books.
 *
 * Faults: `faults` is a queue of answers given instead of handling
 * (`{ status: 500 }`, `{ status: 429, retryAfter: '1' }`), one per request;
 * `dieAfterEvents: n` accepts the (n+1)th billable event, then destroys the
 * connection without answering and stops listening (the vendor has it,
 * the client never hears).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** An event the vendor would bill. */
export interface BilledEvent {
  /** The vendor's dedupe key (Stripe identifier, OpenMeter source + id, Lago transaction id). */
  readonly key: string;
  readonly customer: string;
  /** The meter value (micro-dollars in our export). */
  readonly value: number;
  /** Event time, Unix seconds. */
  readonly timestamp: number;
  /** The whole accepted body, parsed. */
  readonly body: unknown;
}

export interface FakeBillingState {
  /** Events billed (duplicates refused or dropped are not here). */
  readonly billed: BilledEvent[];
  /** Dedupe keys seen, with the fake clock time (ms) first seen. */
  readonly seen: Map<string, number>;
  /** Every request, with its answer status. */
  readonly requests: {
    path: string;
    status: number;
    headers: IncomingMessage['headers'];
  }[];
}

export function newBillingState(): FakeBillingState {
  return { billed: [], seen: new Map(), requests: [] };
}

export interface FakeAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Accept this event (it is billed). */
  readonly bill?: BilledEvent;
}

export interface FakeFault {
  readonly status: number;
  readonly retryAfter?: string;
}

export interface FakeBillingOptions {
  readonly state?: FakeBillingState;
  /** The fake's clock (dedupe windows, timestamp rules); default `Date.now`. */
  readonly now?: () => number;
  readonly faults?: FakeFault[];
  readonly dieAfterEvents?: number;
}

export interface FakeBillingServer {
  /** `http://127.0.0.1:<port>`, the `--endpoint`. */
  readonly endpoint: string;
  readonly state: FakeBillingState;
  /** Billed value per customer. */
  billedByCustomer(): Map<string, number>;
  close(): Promise<void>;
}

export type FakeHandler = (request: {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly state: FakeBillingState;
  readonly nowMillis: number;
}) => FakeAnswer;

/** Starts a fake on 127.0.0.1 with `handle` as the vendor's rules. */
export async function startFakeBillingServer(
  handle: FakeHandler,
  options: FakeBillingOptions = {},
): Promise<FakeBillingServer> {
  const state = options.state ?? newBillingState();
  const now = options.now ?? Date.now;
  const faults = options.faults ?? [];
  const sockets = new Set<Socket>();
  let dead = false;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '';
      const fault = faults.shift();
      if (fault !== undefined) {
        state.requests.push({
          path,
          status: fault.status,
          headers: req.headers,
        });
        res.writeHead(fault.status, {
          'content-type': 'application/json',
          ...(fault.retryAfter === undefined
            ? {}
            : { 'retry-after': fault.retryAfter }),
        });
        res.end(JSON.stringify({ error: { message: 'injected fault' } }));
        return;
      }
      const answer = handle({
        method: req.method ?? '',
        path,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        state,
        nowMillis: now(),
      });
      state.requests.push({
        path,
        status: answer.status,
        headers: req.headers,
      });
      if (answer.bill !== undefined) {
        state.billed.push(answer.bill);
        if (
          options.dieAfterEvents !== undefined &&
          state.billed.length > options.dieAfterEvents &&
          !dead
        ) {
          dead = true;
          server.close();
          for (const socket of sockets) socket.destroy();
          return;
        }
      }
      res.writeHead(answer.status, {
        'content-type': 'application/json',
        ...answer.headers,
      });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  server.on('connection', socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    state,
    billedByCustomer() {
      const sums = new Map<string, number>();
      for (const event of state.billed)
        sums.set(event.customer, (sums.get(event.customer) ?? 0) + event.value);
      return sums;
    },
    close: () =>
      new Promise<void>(resolve => {
        for (const socket of sockets) socket.destroy();
        if (!server.listening) resolve();
        else server.close(() => resolve());
      }),
  };
}

/** `Bearer <token>` with a token matching `pattern`. */
export function bearer(
  headers: IncomingMessage['headers'],
  pattern: RegExp,
): boolean {
  const match = /^Bearer (\S+)$/.exec(headers.authorization ?? '');
  return match !== null && pattern.test(match[1] as string);
}

/** The media type of a request, without parameters, lower case. */
export function mediaType(headers: IncomingMessage['headers']): string {
  return (
    (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  );
}

/**
 * Slow and rude HTTP clients on raw sockets, for the fair-admission tests:
 * each holds a connection its own way and records what the gateway sent
 * back and whether it closed the connection.
 */
import { connect, type Socket } from 'node:net';

export type SlowKind =
  /** Headers and one body byte of a 1000-byte body, then nothing. */
  | 'body-byte'
  /** Half a request line and headers, then nothing. */
  | 'headers'
  /** A 100 kB body, one byte every 200 ms. */
  | 'trickle'
  /** A complete request, and its answer never read. */
  | 'no-read';

export interface SlowClient {
  readonly kind: SlowKind;
  /** Everything the gateway sent (not for `no-read` until `resume()`). */
  readonly received: () => string;
  readonly closed: () => boolean;
  /** Starts reading (for `no-read`). */
  resume(): void;
  destroy(): void;
}

const HEAD = (length: number): string =>
  `POST /v1/traces HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

export function openSlowClient(
  port: number,
  kind: SlowKind,
  completeBody: Buffer,
): Promise<SlowClient> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: '127.0.0.1', port });
    let received = '';
    let closed = false;
    let trickle: NodeJS.Timeout | undefined;
    socket.on(
      'data',
      (chunk: Buffer) => (received += chunk.toString('latin1')),
    );
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      clearInterval(trickle);
    });
    socket.once('connect', () => {
      switch (kind) {
        case 'body-byte':
          socket.write(HEAD(1000) + '{');
          break;
        case 'headers':
          socket.write('POST /v1/traces HTTP/1.1\r\nHost: gat');
          break;
        case 'trickle':
          socket.write(HEAD(100_000));
          trickle = setInterval(() => {
            if (!socket.destroyed) socket.write(' ');
          }, 200);
          break;
        case 'no-read':
          socket.pause();
          socket.write(
            Buffer.concat([
              Buffer.from(HEAD(completeBody.length)),
              completeBody,
            ]),
          );
          break;
      }
      resolve({
        kind,
        received: () => received,
        closed: () => closed,
        resume: () => socket.resume(),
        destroy: () => {
          clearInterval(trickle);
          socket.destroy();
        },
      });
    });
    socket.once('error', reject);
  });
}

/** Waits until `condition` holds, polling, for at most `millis`. */
export async function waitFor(
  condition: () => boolean,
  millis: number,
): Promise<boolean> {
  const until = Date.now() + millis;
  while (!condition()) {
    if (Date.now() > until) return false;
    await new Promise(resolve => setTimeout(resolve, 25));
  }
  return true;
}

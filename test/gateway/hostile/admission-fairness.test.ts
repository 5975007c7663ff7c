/**
 * Issue 9, case 5: slow clients must not starve honest ones. A request
 * takes a queue slot only once its body is complete; while it arrives it
 * holds a reading slot and its bytes, for at most --body-timeout-seconds,
 * after which it gets 408 and its connection is closed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  startGatewayFixture,
  type GatewayFixture,
} from '../helpers/gateway-fixture.js';
import {
  chatAttributes,
  JSON_HEADERS,
  otlpJson,
} from '../helpers/otlp-json.js';
import { rawRequest, rpcStatusOf } from '../helpers/raw-http.js';
import {
  openSlowClient,
  waitFor,
  type SlowClient,
  type SlowKind,
} from './admission-slow-clients.js';

let fixture: GatewayFixture | undefined;
let slow: SlowClient[] = [];
afterEach(async () => {
  for (const client of slow) client.destroy();
  slow = [];
  await fixture?.close();
  fixture = undefined;
});

function honestBody(id: number): Buffer {
  return otlpJson([
    {
      traceId: id.toString(16).padStart(32, '0'),
      spanId: id.toString(16).padStart(16, '0'),
      name: 'chat gpt-4o-mini',
      startMillis: 0,
      endMillis: 100,
      attributes: chatAttributes(1000, 200),
    },
  ]);
}

function queueOf(current: GatewayFixture): {
  requests: number;
  bytes: number;
  reading: number;
} {
  return current.gateway.status().details.queue as {
    requests: number;
    bytes: number;
    reading: number;
  };
}

async function openMany(
  current: GatewayFixture,
  kinds: readonly SlowKind[],
): Promise<SlowClient[]> {
  const clients: SlowClient[] = [];
  for (const kind of kinds) {
    clients.push(
      await openSlowClient(
        current.gateway.port,
        kind,
        honestBody(9000 + clients.length),
      ),
    );
  }
  return clients;
}

/** Honest senders, all at once: every one must get 200. */
async function sendHonest(
  current: GatewayFixture,
  count: number,
  from: number,
) {
  return Promise.all(
    Array.from({ length: count }, (_, index) =>
      rawRequest(current.gateway.url, {
        headers: JSON_HEADERS,
        body: honestBody(from + index),
      }),
    ),
  );
}

async function readyz(current: GatewayFixture): Promise<number> {
  const url = current.gateway.url.replace('/v1/traces', '/readyz');
  return (await rawRequest(url, { method: 'GET' })).status;
}

describe('case 5: slow clients do not take the queue', () => {
  it('64 clients that send headers and one body byte hold no queue slot; honest requests get 200; the slow ones get 408 and are closed', async () => {
    fixture = await startGatewayFixture({ bodyTimeoutSeconds: 2 });
    const current = fixture;
    slow = await openMany(current, Array<SlowKind>(64).fill('body-byte'));
    expect(await waitFor(() => queueOf(current).reading === 64, 5000)).toBe(
      true,
    );
    expect(queueOf(current).requests).toBe(0);
    expect(await readyz(current)).toBe(200);

    const answers = await sendHonest(current, 16, 1);
    expect(answers.map(answer => answer.status)).toEqual(
      Array<number>(16).fill(200),
    );
    expect(current.sink.accepted).toHaveLength(16);
    expect(current.records).toHaveLength(16);

    // Cut off after the body timeout (2 s; polled for at most 8 s).
    expect(
      await waitFor(() => slow.every(client => client.closed()), 8000),
    ).toBe(true);
    for (const client of slow) {
      expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
      expect(client.received()).toContain('--body-timeout-seconds');
      expect(client.received()).toMatch(/connection: close/i);
    }
    expect(queueOf(current)).toEqual({ requests: 0, bytes: 0, reading: 0 });
    expect(current.gateway.stats.responses[408]).toBe(64);
  });
});

describe('done when: honest clients are served while 100 slow clients hold connections', () => {
  it('slow headers, one body byte, a trickle, and unread answers, 25 of each', async () => {
    fixture = await startGatewayFixture({ bodyTimeoutSeconds: 2 });
    const current = fixture;
    const kinds: SlowKind[] = [];
    for (let index = 0; index < 25; index += 1) {
      kinds.push('headers', 'body-byte', 'trickle', 'no-read');
    }
    slow = await openMany(current, kinds);
    // The bodies that arrived were answered; the others are being read.
    expect(await waitFor(() => queueOf(current).reading === 50, 5000)).toBe(
      true,
    );
    expect(await readyz(current)).toBe(200);

    for (let round = 0; round < 3; round += 1) {
      const answers = await sendHonest(current, 20, 100 + round * 20);
      expect(answers.map(answer => answer.status)).toEqual(
        Array<number>(20).fill(200),
      );
    }
    expect(
      await waitFor(
        () =>
          slow.every(client => client.kind === 'no-read' || client.closed()),
        8000,
      ),
    ).toBe(true);
    for (const client of slow) {
      if (client.kind === 'no-read') continue;
      // Ours for bodies, Node's own for headers that never ended.
      expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
    }
    // The clients that never read were answered all the same.
    for (const client of slow) client.resume();
    expect(
      await waitFor(
        () =>
          slow
            .filter(client => client.kind === 'no-read')
            .every(client => client.received().startsWith('HTTP/1.1 200 ')),
        5000,
      ),
    ).toBe(true);
    expect(current.sink.accepted).toHaveLength(60 + 25);
    expect(queueOf(current)).toEqual({ requests: 0, bytes: 0, reading: 0 });
  });

  it('more slow clients than reading slots: an honest request takes the slot of one that has been reading over a second', async () => {
    fixture = await startGatewayFixture({
      bodyTimeoutSeconds: 5,
      maxReadingRequests: 20,
    });
    const current = fixture;
    slow = await openMany(current, Array<SlowKind>(100).fill('body-byte'));
    expect(await waitFor(() => queueOf(current).reading === 20, 5000)).toBe(
      true,
    );
    // The 80 beyond the reading slots were told to retry, and closed.
    expect(
      await waitFor(
        () => slow.filter(client => client.closed()).length === 80,
        5000,
      ),
    ).toBe(true);
    for (const client of slow.filter(client => client.closed())) {
      expect(client.received()).toMatch(/^HTTP\/1\.1 503 /);
      expect(client.received()).toMatch(/retry-after: 1/i);
    }
    // Readers are evicted once they have been reading for 1 s.
    await new Promise(resolve => setTimeout(resolve, 1100));
    const answers = await sendHonest(current, 10, 300);
    expect(answers.map(answer => answer.status)).toEqual(
      Array<number>(10).fill(200),
    );
    expect(queueOf(current).reading).toBeLessThanOrEqual(20);
    const evicted = slow.filter(
      client =>
        client.received().startsWith('HTTP/1.1 503 ') &&
        /still incomplete/.test(client.received()),
    );
    // Each honest request that found every slot taken evicted one reader.
    expect(evicted.length).toBeGreaterThanOrEqual(1);
    expect(evicted.length).toBeLessThanOrEqual(10);
  });

  it('bytes of bodies still arriving count against --max-queue-bytes and are released when the sender is cut off', async () => {
    const limit = 64 * 1024;
    fixture = await startGatewayFixture({
      bodyTimeoutSeconds: 2,
      maxDecompressedBytes: limit,
      maxQueueBytes: limit,
    });
    const current = fixture;
    // A sender that stops 1 byte short of a 40 KB body.
    const { connect } = await import('node:net');
    const partial = Array.from({ length: 1 }, () => {
      const socket = connect({ host: '127.0.0.1', port: current.gateway.port });
      socket.on('error', () => undefined);
      socket.write(
        `POST /v1/traces HTTP/1.1\r\nHost: g\r\nContent-Type: application/json\r\nContent-Length: ${40 * 1024}\r\n\r\n`,
      );
      socket.write(Buffer.alloc(40 * 1024 - 1, 0x20));
      return socket;
    });
    try {
      expect(
        await waitFor(() => queueOf(current).bytes === 40 * 1024 - 1, 5000),
      ).toBe(true);
      const refused = await rawRequest(current.gateway.url, {
        headers: JSON_HEADERS,
        body: Buffer.concat([honestBody(500), Buffer.alloc(30 * 1024, 0x20)]),
      });
      expect(refused.status).toBe(503);
      expect(rpcStatusOf(refused).message).toBe(
        'gateway queue is full (bytes)',
      );
      expect(await readyz(current)).toBe(200);
      expect(await waitFor(() => queueOf(current).bytes === 0, 8000)).toBe(
        true,
      );
      const served = await rawRequest(current.gateway.url, {
        headers: JSON_HEADERS,
        body: Buffer.concat([honestBody(501), Buffer.alloc(30 * 1024, 0x20)]),
      });
      expect(served.status).toBe(200);
    } finally {
      for (const socket of partial) socket.destroy();
    }
  });
});

describe('--max-connections', () => {
  it('closes connections beyond the limit at once, and serves again once slow ones are cut off', async () => {
    fixture = await startGatewayFixture({
      bodyTimeoutSeconds: 1,
      maxConnections: 5,
    });
    const current = fixture;
    slow = await openMany(current, Array<SlowKind>(5).fill('headers'));
    const extra = await openSlowClient(
      current.gateway.port,
      'body-byte',
      honestBody(1),
    );
    slow.push(extra);
    expect(await waitFor(() => extra.closed(), 5000)).toBe(true);
    expect(extra.received()).toBe('');
    // Node answers the slow headers 408 after --body-timeout-seconds.
    expect(
      await waitFor(() => slow.every(client => client.closed()), 8000),
    ).toBe(true);
    const answer = await rawRequest(current.gateway.url, {
      headers: JSON_HEADERS,
      body: honestBody(2),
    });
    expect(answer.status).toBe(200);
  });
});

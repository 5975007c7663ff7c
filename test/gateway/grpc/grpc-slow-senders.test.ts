/**
 * Slow and greedy gRPC senders, over raw HTTP/2 (a message announced in
 * its 5-byte prefix and never finished): the same bounds as an HTTP body.
 * A message must arrive within --body-timeout-seconds (DEADLINE_EXCEEDED),
 * a call holds a reading slot while it arrives (--max-reading-requests;
 * more get UNAVAILABLE at once, the oldest sender is evicted after 1 s),
 * and its bytes count against --max-queue-bytes as they arrive.
 */
import { status } from '@grpc/grpc-js';
import {
  connect,
  type ClientHttp2Session,
  type ClientHttp2Stream,
} from 'node:http2';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startGatewayFixture,
  type GatewayFixture,
} from '../helpers/gateway-fixture.js';
import { chatAttributes, otlpJson } from '../helpers/otlp-json.js';
import { EXPORT_PATH, GrpcTestClient, protobufOf } from './grpc-test-client.js';

const sleep = (millis: number): Promise<void> =>
  new Promise(resolve => setTimeout(resolve, millis));

let fixture: GatewayFixture | undefined;
const sessions: ClientHttp2Session[] = [];
const clients: GrpcTestClient[] = [];
afterEach(async () => {
  for (const session of sessions.splice(0)) session.destroy();
  for (const client of clients.splice(0)) client.close();
  await fixture?.close();
  fixture = undefined;
});

interface SlowCall {
  readonly stream: ClientHttp2Stream;
  /** The grpc-status and grpc-message it ended with. */
  readonly ended: Promise<{ code: number; message: string }>;
}

/** Opens a call announcing `announced` bytes and sends `sent` of them. */
function slowCall(address: string, announced: number, sent: number): SlowCall {
  const session = connect(`http://${address}`);
  sessions.push(session);
  session.on('error', () => {});
  const stream = session.request({
    ':method': 'POST',
    ':path': EXPORT_PATH,
    'content-type': 'application/grpc',
    te: 'trailers',
  });
  stream.on('error', () => {});
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(announced, 1);
  stream.write(Buffer.concat([prefix, Buffer.alloc(sent, 0x0a)]));
  const ended = new Promise<{ code: number; message: string }>(resolve => {
    const read = (headers: Record<string, unknown>): void => {
      if (headers['grpc-status'] !== undefined) {
        resolve({
          code: Number(headers['grpc-status']),
          message: decodeURIComponent(String(headers['grpc-message'] ?? '')),
        });
      }
    };
    stream.on('response', read);
    stream.on('trailers', read);
    stream.on('close', () => resolve({ code: -1, message: 'closed' }));
    stream.resume();
  });
  return { stream, ended };
}

function chat(id: number): Uint8Array {
  return protobufOf(
    otlpJson([
      {
        traceId: id.toString(16).padStart(32, '7'),
        spanId: id.toString(16).padStart(16, '8'),
        name: 'chat gpt-4o-mini',
        startMillis: 0,
        endMillis: 1,
        attributes: chatAttributes(100, 10),
      },
    ]),
  );
}

describe('slow gRPC senders', () => {
  it('a message not complete within --body-timeout-seconds gets DEADLINE_EXCEEDED and gives its slot back', async () => {
    fixture = await startGatewayFixture({
      listenGrpc: { host: '127.0.0.1', port: 0 },
      bodyTimeoutSeconds: 1,
    });
    const address = fixture.gateway.grpcAddress as string;
    const call = slowCall(address, 1000, 10);
    const ended = await call.ended;
    expect(ended).toEqual({
      code: status.DEADLINE_EXCEEDED,
      message:
        'request message not received within 1 s (--body-timeout-seconds)',
    });
    const status_ = fixture.gateway.status().details as {
      queue: { reading: number; bytes: number };
    };
    expect(status_.queue).toMatchObject({ reading: 0, bytes: 0 });
  });

  it('beyond --max-reading-requests a call gets UNAVAILABLE at once; after 1 s the oldest sender is evicted for a new one', async () => {
    fixture = await startGatewayFixture({
      listenGrpc: { host: '127.0.0.1', port: 0 },
      maxReadingRequests: 2,
      bodyTimeoutSeconds: 30,
    });
    const address = fixture.gateway.grpcAddress as string;
    const first = slowCall(address, 1000, 10);
    await sleep(50);
    const second = slowCall(address, 1000, 10);
    await sleep(50);
    const client = new GrpcTestClient(address);
    clients.push(client);
    const refused = await client.export(chat(1));
    expect(refused.code).toBe(status.UNAVAILABLE);
    expect(refused.details).toBe(
      'gateway is receiving too many requests at once',
    );
    await sleep(1100);
    const admitted = await client.export(chat(2));
    expect(admitted.code, admitted.details).toBe(status.OK);
    expect(await first.ended).toEqual({
      code: status.UNAVAILABLE,
      message: expect.stringMatching(
        /request body still incomplete/,
      ) as unknown,
    });
    second.stream.close();
    expect(fixture.records).toHaveLength(1);
  });

  it('bytes still arriving count against --max-queue-bytes: a greedy sender is cut off, honest ones are served', async () => {
    const MIB = 1024 * 1024;
    fixture = await startGatewayFixture({
      listenGrpc: { host: '127.0.0.1', port: 0 },
      maxDecompressedBytes: MIB,
      maxQueueBytes: MIB,
      bodyTimeoutSeconds: 30,
    });
    const address = fixture.gateway.grpcAddress as string;
    const greedy = slowCall(address, MIB - 10, 0.7 * MIB);
    // Wait until its bytes are counted.
    const queue = (): { bytes: number } =>
      (fixture?.gateway.status().details as { queue: { bytes: number } }).queue;
    for (let tries = 0; queue().bytes < 0.6 * MIB && tries < 200; tries += 1) {
      await sleep(10);
    }
    expect(queue().bytes).toBeGreaterThanOrEqual(0.6 * MIB);
    const second = slowCall(address, MIB - 10, 0.5 * MIB);
    expect(await second.ended).toEqual({
      code: status.UNAVAILABLE,
      message: 'gateway queue is full (bytes)',
    });
    greedy.stream.close();
    for (let tries = 0; queue().bytes > 0 && tries < 200; tries += 1) {
      await sleep(10);
    }
    expect(queue().bytes).toBe(0);
    const client = new GrpcTestClient(address);
    clients.push(client);
    const honest = await client.export(chat(3));
    expect(honest.code, honest.details).toBe(status.OK);
  });
});

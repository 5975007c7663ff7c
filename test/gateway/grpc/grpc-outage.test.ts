/**
 * Nothing acknowledged over OTLP/gRPC is lost: while the next hop is down,
 * slow or throttling the gateway answers UNAVAILABLE with retry info
 * (`google.rpc.RetryInfo` in `grpc-status-details-bin`, as the Collector
 * reads it, and `grpc-retry-pushback-ms` for gRPC's own retries), a
 * retrying sender delivers once, and shutdown never acknowledges what it
 * did not forward. Mirrors test/gateway/next-hop-outage.test.ts.
 */
import { Metadata, status } from '@grpc/grpc-js';
import type { ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startGatewayFixture,
  type GatewayFixture,
} from '../helpers/gateway-fixture.js';
import { chatAttributes, otlpJson } from '../helpers/otlp-json.js';
import {
  emitScenario,
  scenarioProvider,
  scenarioTracers,
} from '../helpers/genai-scenario.js';
import { rawRequest } from '../helpers/raw-http.js';
import { GrpcTestClient, protobufOf, retryInfoOf } from './grpc-test-client.js';

const sleep = (millis: number): Promise<void> =>
  new Promise(resolve => setTimeout(resolve, millis));

const GRPC = { listenGrpc: { host: '127.0.0.1', port: 0 } } as const;

function chatRequest(id: number): Uint8Array {
  return protobufOf(
    otlpJson([
      {
        traceId: id.toString(16).padStart(32, 'c'),
        spanId: id.toString(16).padStart(16, 'd'),
        name: 'chat gpt-4o-mini',
        scope: 'opentelemetry.instrumentation.openai_v2',
        startMillis: 0,
        endMillis: 1000,
        attributes: chatAttributes(10, 5),
      },
    ]),
  );
}

let fixture: GatewayFixture | undefined;
const clients: GrpcTestClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  fixture?.sink.release();
  await fixture?.close();
  fixture = undefined;
});

function clientOf(
  current: GatewayFixture,
  options: ConstructorParameters<typeof GrpcTestClient>[1] = {},
): GrpcTestClient {
  const client = new GrpcTestClient(
    current.gateway.grpcAddress as string,
    options,
  );
  clients.push(client);
  return client;
}

describe('next hop down', () => {
  it('answers UNAVAILABLE with RetryInfo, then at once without forwarding; /readyz says so', async () => {
    fixture = await startGatewayFixture({ ...GRPC, retryAfterSeconds: 7 });
    await fixture.sink.stop();
    const client = clientOf(fixture);
    const first = await client.export(chatRequest(1));
    expect(first.code).toBe(status.UNAVAILABLE);
    expect(first.details).toMatch(
      /^next hop unreachable: connect ECONNREFUSED/,
    );
    expect(retryInfoOf(first.trailers)).toEqual({
      code: status.UNAVAILABLE,
      message: first.details,
      retryDelaySeconds: 7,
    });
    expect(first.trailers?.get('grpc-retry-pushback-ms')).toEqual(['7000']);
    // Known down: answered on its metadata, without forwarding.
    const second = await client.export(chatRequest(2));
    expect(second.code).toBe(status.UNAVAILABLE);
    expect(second.details).toMatch(/^next hop unavailable \(/);
    expect(
      retryInfoOf(second.trailers)?.retryDelaySeconds,
    ).toBeGreaterThanOrEqual(1);
    expect(fixture.sink.received).toHaveLength(0);
    const ready = await rawRequest(
      fixture.gateway.url.replace('/v1/traces', '/readyz'),
      { method: 'GET' },
    );
    expect(ready.status).toBe(503);
    expect(fixture.records).toHaveLength(0);
    expect(fixture.gateway.stats.responses['grpc UNAVAILABLE']).toBe(2);
  });

  it('a sender retrying on UNAVAILABLE (grpc-js retry policy, honouring the pushback) delivers once, counted once', async () => {
    fixture = await startGatewayFixture({ ...GRPC, retryAfterSeconds: 1 });
    await fixture.sink.stop();
    const client = clientOf(fixture, { retryAttempts: 5 });
    const pending = client.export(chatRequest(3));
    await sleep(1200);
    await fixture.sink.start();
    const answer = await pending;
    expect(answer.code, answer.details).toBe(status.OK);
    expect(fixture.sink.accepted).toHaveLength(1);
    expect(fixture.forwardedSpans()).toHaveLength(1);
    expect(fixture.records).toHaveLength(1);
    expect(fixture.gateway.stats.responses['grpc UNAVAILABLE']).toBeGreaterThan(
      0,
    );
  });

  it('the real OTLP/gRPC exporter is told the export failed (nothing acknowledged, nothing counted)', async () => {
    fixture = await startGatewayFixture(GRPC);
    await fixture.sink.stop();
    const exporter = new OTLPTraceExporter({
      url: `http://${fixture.gateway.grpcAddress as string}`,
      metadata: new Metadata(),
      timeoutMillis: 5_000,
    });
    const { provider, memory } = scenarioProvider(new InMemorySpanExporter());
    emitScenario(scenarioTracers(provider), 0);
    const result = await new Promise<ExportResult>(resolve =>
      exporter.export(memory.getFinishedSpans(), resolve),
    );
    await exporter.shutdown();
    await provider.shutdown();
    expect(result.code).toBe(1);
    expect(String(result.error)).toMatch(/UNAVAILABLE/);
    expect(fixture.records).toHaveLength(0);
  });

  it('passes on the next hop Retry-After when it throttles', async () => {
    fixture = await startGatewayFixture(GRPC);
    fixture.sink.setMode({ kind: 'status', status: 429, retryAfter: '3' });
    const answer = await clientOf(fixture).export(chatRequest(4));
    expect(answer.code).toBe(status.UNAVAILABLE);
    expect(retryInfoOf(answer.trailers)?.retryDelaySeconds).toBe(3);
    expect(fixture.records).toHaveLength(0);
  });

  it('does not invite a retry of what the next hop refuses for good (INTERNAL), and says why', async () => {
    fixture = await startGatewayFixture(GRPC);
    fixture.sink.setMode({ kind: 'status', status: 400 });
    const answer = await clientOf(fixture).export(chatRequest(5));
    expect(answer.code).toBe(status.INTERNAL);
    expect(answer.details).toBe(
      'next hop answered HTTP 400: sink says 400; the batch was not accepted',
    );
    expect(retryInfoOf(answer.trailers)).toBeUndefined();
    expect(fixture.records).toHaveLength(0);
  });

  it('a slow next hop: UNAVAILABLE after --forward-timeout-seconds, nothing counted', async () => {
    fixture = await startGatewayFixture({
      ...GRPC,
      forwardTimeoutSeconds: 1,
      retryAfterSeconds: 1,
    });
    fixture.sink.setMode({ kind: 'hold' });
    const answer = await clientOf(fixture).export(chatRequest(6));
    expect(answer.code).toBe(status.UNAVAILABLE);
    expect(retryInfoOf(answer.trailers)?.retryDelaySeconds).toBe(1);
    expect(fixture.records).toHaveLength(0);
  });
});

describe('shutdown mid-request', () => {
  it('a call in progress is not acknowledged when the next hop does not answer before the shutdown timeout; new calls get UNAVAILABLE', async () => {
    fixture = await startGatewayFixture({ ...GRPC, shutdownTimeoutSeconds: 1 });
    fixture.sink.setMode({ kind: 'hold' });
    const client = clientOf(fixture);
    const inFlight = client.export(chatRequest(7));
    while (fixture.sink.held === 0) await sleep(10);
    const stopped = fixture.gateway.shutdown();
    const late = await client.export(chatRequest(8));
    expect(late.code).toBe(status.UNAVAILABLE);
    expect(late.details).toBe('gateway is shutting down');
    expect(retryInfoOf(late.trailers)?.retryDelaySeconds).toBe(1);
    await stopped;
    const answer = await inFlight;
    expect(answer.code).not.toBe(status.OK);
    expect(fixture.records).toHaveLength(0);
  });

  it('a call in progress that the next hop accepts during the drain is acknowledged and counted once', async () => {
    fixture = await startGatewayFixture({
      ...GRPC,
      shutdownTimeoutSeconds: 10,
    });
    fixture.sink.setMode({ kind: 'hold' });
    const client = clientOf(fixture);
    const inFlight = client.export(chatRequest(9));
    while (fixture.sink.held === 0) await sleep(10);
    const stopped = fixture.gateway.shutdown();
    await sleep(200);
    fixture.sink.release();
    const answer = await inFlight;
    await stopped;
    expect(answer.code, answer.details).toBe(status.OK);
    expect(fixture.sink.accepted).toHaveLength(1);
    expect(fixture.records).toHaveLength(1);
  });
});

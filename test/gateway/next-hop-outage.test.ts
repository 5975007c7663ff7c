/**
 * Nothing acknowledged is lost: while the next hop is down or slow the
 * gateway answers 503 with Retry-After, the real OTLP exporter retries, and
 * every span accepted with 200 reaches the next hop exactly once.
 */
import type { ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeExportTraceRequest } from '../../src/gateway/otlp/decode-export-trace-request.js';
import { encodeExportTraceRequest } from '../../src/gateway/otlp/encode-export-trace-request.js';
import {
  startGatewayFixture,
  type GatewayFixture,
} from './helpers/gateway-fixture.js';
import {
  emitScenario,
  scenarioProvider,
  scenarioTracers,
} from './helpers/genai-scenario.js';
import { rawRequest, rpcStatusOf } from './helpers/raw-http.js';

const sleep = (millis: number): Promise<void> =>
  new Promise(resolve => setTimeout(resolve, millis));

/** Delegates to the real exporter and keeps every final export result. */
class ResultRecordingExporter implements SpanExporter {
  readonly results: ExportResult[] = [];
  constructor(private readonly _inner: SpanExporter) {}
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this._inner.export(spans, result => {
      this.results.push(result);
      done(result);
    });
  }
  shutdown(): Promise<void> {
    return this._inner.shutdown();
  }
}

function chatRequest(id: number): Uint8Array {
  const json = {
    resourceSpans: [
      {
        scopeSpans: [
          {
            scope: { name: 'opentelemetry.instrumentation.openai_v2' },
            spans: [
              {
                traceId: id.toString(16).padStart(32, 'c'),
                spanId: id.toString(16).padStart(16, 'd'),
                name: 'chat gpt-4o-mini',
                startTimeUnixNano: '1767225600000000000',
                endTimeUnixNano: '1767225601000000000',
                attributes: [
                  {
                    key: 'gen_ai.operation.name',
                    value: { stringValue: 'chat' },
                  },
                  {
                    key: 'gen_ai.provider.name',
                    value: { stringValue: 'openai' },
                  },
                  {
                    key: 'gen_ai.request.model',
                    value: { stringValue: 'gpt-4o-mini' },
                  },
                  { key: 'gen_ai.usage.input_tokens', value: { intValue: 10 } },
                  { key: 'gen_ai.usage.output_tokens', value: { intValue: 5 } },
                ],
              },
            ],
          },
        ],
      },
    ],
  };
  return encodeExportTraceRequest(
    decodeExportTraceRequest(Buffer.from(JSON.stringify(json)), 'json'),
  );
}

const PROTOBUF = { 'content-type': 'application/x-protobuf' };

let fixture: GatewayFixture | undefined;
afterEach(async () => {
  fixture?.sink.release();
  await fixture?.close();
  fixture = undefined;
});

describe('next hop down for a while, then back', () => {
  it('the real OTLP exporter retries the 503s and every span arrives exactly once', async () => {
    fixture = await startGatewayFixture({ retryAfterSeconds: 1 });
    const exporter = new ResultRecordingExporter(
      new OTLPTraceExporter({
        url: fixture.gateway.url,
        timeoutMillis: 30_000,
      }),
    );
    const { provider, memory } = scenarioProvider(exporter);
    const tracers = scenarioTracers(provider);

    emitScenario(tracers, 0);
    await provider.forceFlush();
    await fixture.sink.stop(); // connection refused from now on
    emitScenario(tracers, 1);
    emitScenario(tracers, 2);
    await sleep(1500);
    await fixture.sink.start();
    await provider.forceFlush();
    const sent = memory
      .getFinishedSpans()
      .map(span => span.spanContext().spanId);
    await provider.shutdown();

    const arrived = fixture.forwardedSpans().map(span => span.spanId);
    expect(sent).toHaveLength(15);
    expect(arrived.sort()).toEqual([...sent].sort()); // each exactly once
    expect(exporter.results.every(result => result.code === 0)).toBe(true);
    expect(fixture.gateway.stats.responses[503] ?? 0).toBeGreaterThan(0);
    // Counted once per LLM call despite the retries: 2 calls per scenario.
    expect(fixture.records).toHaveLength(6);
  });

  it('answers 503 with Retry-After while the next hop is down, and /readyz says so', async () => {
    fixture = await startGatewayFixture({ retryAfterSeconds: 7 });
    await fixture.sink.stop();
    const first = await rawRequest(fixture.gateway.url, {
      headers: PROTOBUF,
      body: chatRequest(1),
    });
    expect(first.status).toBe(503);
    expect(first.headers['retry-after']).toBe('7');
    expect(rpcStatusOf(first)).toEqual({
      code: 14,
      message: expect.stringMatching(
        /^next hop unreachable: connect ECONNREFUSED/,
      ) as unknown,
    });
    // Known down: the next request is answered at once, without forwarding.
    const second = await rawRequest(fixture.gateway.url, {
      headers: PROTOBUF,
      body: chatRequest(2),
    });
    expect(second.status).toBe(503);
    expect(Number(second.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const ready = await rawRequest(
      fixture.gateway.url.replace('/v1/traces', '/readyz'),
      { method: 'GET' },
    );
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body.toString())).toMatchObject({
      status: 'unavailable',
      nextHop: 'down',
    });
    const live = await rawRequest(
      fixture.gateway.url.replace('/v1/traces', '/healthz'),
      { method: 'GET' },
    );
    expect(live.status).toBe(200);
    expect(fixture.records).toHaveLength(0);
  });

  it('passes on the next hop Retry-After when it throttles', async () => {
    fixture = await startGatewayFixture();
    fixture.sink.setMode({ kind: 'status', status: 429, retryAfter: '3' });
    const response = await rawRequest(fixture.gateway.url, {
      headers: PROTOBUF,
      body: chatRequest(3),
    });
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('3');
  });

  it('does not retry what the next hop refuses for good, and says why', async () => {
    fixture = await startGatewayFixture();
    fixture.sink.setMode({ kind: 'status', status: 400 });
    const response = await rawRequest(fixture.gateway.url, {
      headers: PROTOBUF,
      body: chatRequest(4),
    });
    expect(response.status).toBe(500);
    expect(rpcStatusOf(response).message).toBe(
      'next hop answered HTTP 400: sink says 400; the batch was not accepted',
    );
    expect(fixture.records).toHaveLength(0);
  });
});

describe('slow next hop', () => {
  it('times out the forward and answers 503, then recovers', async () => {
    fixture = await startGatewayFixture({
      forwardTimeoutSeconds: 1,
      retryAfterSeconds: 1,
    });
    fixture.sink.setMode({ kind: 'hold' });
    const slow = await rawRequest(fixture.gateway.url, {
      headers: PROTOBUF,
      body: chatRequest(5),
    });
    expect(slow.status).toBe(503);
    expect(rpcStatusOf(slow).message).toBe(
      'next hop unreachable: no answer within 1000 ms',
    );
    fixture.sink.setMode({ kind: 'ok' });
    await sleep(1100);
    const after = await rawRequest(fixture.gateway.url, {
      headers: PROTOBUF,
      body: chatRequest(6),
    });
    expect(after.status).toBe(200);
  });

  it('answers 503 at once when the queue is full, and serves again when it drains', async () => {
    fixture = await startGatewayFixture({ maxQueueRequests: 1 });
    fixture.sink.setMode({ kind: 'hold' });
    const pending = rawRequest(fixture.gateway.url, {
      headers: PROTOBUF,
      body: chatRequest(7),
    });
    while (fixture.sink.held === 0) await sleep(10);
    const refused = await rawRequest(fixture.gateway.url, {
      headers: PROTOBUF,
      body: chatRequest(8),
    });
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(rpcStatusOf(refused).message).toBe('gateway queue is full');
    fixture.sink.setMode({ kind: 'ok' });
    fixture.sink.release();
    expect((await pending).status).toBe(200);
    const again = await rawRequest(fixture.gateway.url, {
      headers: PROTOBUF,
      body: chatRequest(9),
    });
    expect(again.status).toBe(200);
    expect(fixture.sink.accepted).toHaveLength(2);
  });
});

describe('bounded queue bytes', () => {
  it('refuses a body that would take the queue over --max-queue-bytes while reading it', async () => {
    const limit = 64 * 1024;
    fixture = await startGatewayFixture({
      maxDecompressedBytes: limit,
      maxQueueBytes: limit,
    });
    fixture.sink.setMode({ kind: 'hold' });
    const padded = (id: number): Uint8Array => {
      // A valid request plus an unknown top-level field (skipped by readers) of 40 KB.
      const padding = Buffer.concat([
        Buffer.from([0xfa, 0x06]),
        encodeLength(40 * 1024),
        Buffer.alloc(40 * 1024),
      ]);
      return Buffer.concat([chatRequest(id), padding]);
    };
    const first = rawRequest(fixture.gateway.url, {
      headers: PROTOBUF,
      body: padded(12),
    });
    while (fixture.sink.held === 0) await sleep(10);
    const second = await rawRequest(fixture.gateway.url, {
      headers: PROTOBUF,
      body: padded(13),
    });
    expect(second.status).toBe(503);
    expect(rpcStatusOf(second).message).toBe('gateway queue is full (bytes)');
    expect(second.headers['retry-after']).toBe('1');
    fixture.sink.setMode({ kind: 'ok' });
    fixture.sink.release();
    expect((await first).status).toBe(200);
    expect(
      (
        await rawRequest(fixture.gateway.url, {
          headers: PROTOBUF,
          body: padded(14),
        })
      ).status,
    ).toBe(200);
  });
});

function encodeLength(value: number): Buffer {
  const bytes: number[] = [];
  while (value >= 0x80) {
    bytes.push((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  bytes.push(value);
  return Buffer.from(bytes);
}

describe('graceful shutdown', () => {
  it('finishes the requests in progress before stopping', async () => {
    fixture = await startGatewayFixture();
    fixture.sink.setMode({ kind: 'hold' });
    const inProgress = rawRequest(fixture.gateway.url, {
      headers: PROTOBUF,
      body: chatRequest(10),
    });
    while (fixture.sink.held === 0) await sleep(10);
    let stopped = false;
    const shutdown = fixture.gateway.shutdown().then(() => {
      stopped = true;
    });
    await sleep(50);
    expect(stopped).toBe(false);
    expect(fixture.gateway.status()).toMatchObject({
      ready: false,
      reason: 'shutting down',
    });
    fixture.sink.release();
    expect((await inProgress).status).toBe(200);
    await shutdown;
    expect(fixture.sink.accepted).toHaveLength(1);
    expect(fixture.records).toHaveLength(1);
  });

  it('gives up after the shutdown timeout without acknowledging', async () => {
    fixture = await startGatewayFixture({ shutdownTimeoutSeconds: 1 });
    fixture.sink.setMode({ kind: 'hold' });
    const inProgress = rawRequest(fixture.gateway.url, {
      headers: PROTOBUF,
      body: chatRequest(11),
    });
    while (fixture.sink.held === 0) await sleep(10);
    await fixture.gateway.shutdown();
    await expect(inProgress).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(fixture.records).toHaveLength(0);
  });
});

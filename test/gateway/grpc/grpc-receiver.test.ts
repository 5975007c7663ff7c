/**
 * The OTLP/gRPC receiver (`--listen-grpc`) with the real
 * `@opentelemetry/exporter-trace-otlp-grpc`: priced spans reach the next
 * hop, each LLM call counted once, exactly as over OTLP/HTTP.
 */
import { Metadata } from '@grpc/grpc-js';
import type { ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import {
  InMemorySpanExporter,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startGatewayFixture,
  type GatewayFixture,
} from '../helpers/gateway-fixture.js';
import {
  expectPriced,
  expectUnchanged,
} from '../helpers/forwarded-assertions.js';
import {
  CHAT_COST,
  DO_GENERATE_COST,
  emitScenario,
  scenarioProvider,
  scenarioTracers,
} from '../helpers/genai-scenario.js';

const TOKEN = 'grpc-s3cret';

let fixture: GatewayFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

function grpcExporter(
  address: string,
  options: { token?: string; gzip?: boolean } = {},
): OTLPTraceExporter {
  const metadata = new Metadata();
  if (options.token !== undefined) {
    metadata.set('authorization', `Bearer ${options.token}`);
  }
  return new OTLPTraceExporter({
    url: `http://${address}`,
    metadata,
    compression: options.gzip === true ? ('gzip' as never) : ('none' as never),
    timeoutMillis: 20_000,
  });
}

/** Exports spans once through `exporter` and gives its result. */
function exportOnce(
  exporter: OTLPTraceExporter,
  spans: ReadableSpan[],
): Promise<ExportResult> {
  return new Promise(resolve => exporter.export(spans, resolve));
}

describe('the real OTLP/gRPC exporter to --listen-grpc', () => {
  for (const gzip of [false, true]) {
    it(`prices the LLM calls and forwards every span unchanged otherwise (${gzip ? 'gzip' : 'no compression'})`, async () => {
      fixture = await startGatewayFixture({
        listenGrpc: { host: '127.0.0.1', port: 0 },
        authToken: TOKEN,
      });
      const address = fixture.gateway.grpcAddress as string;
      expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
      const exporter = grpcExporter(address, { token: TOKEN, gzip });
      const { provider, memory } = scenarioProvider(exporter);
      emitScenario(scenarioTracers(provider), 0);
      emitScenario(scenarioTracers(provider), 1);
      await provider.forceFlush();
      const spans = memory.getFinishedSpans();
      await provider.shutdown();

      const forwarded = fixture.forwardedSpans();
      expect(forwarded).toHaveLength(spans.length);
      for (const span of spans) {
        if (span.name === 'chat gpt-4o-mini') {
          expectPriced(forwarded, span, CHAT_COST);
        } else if (span.name === 'ai.generateText.doGenerate') {
          expectPriced(forwarded, span, DO_GENERATE_COST);
        } else {
          expectUnchanged(forwarded, span);
        }
      }
      // Two LLM calls per scenario, each counted once, at published prices.
      expect(fixture.records).toHaveLength(4);
      const total = fixture.records.reduce(
        (sum, record) => sum + (record.cost.priced ? record.cost.totalUsd : 0),
        0,
      );
      expect(total).toBeCloseTo(
        2 * (CHAT_COST.total + DO_GENERATE_COST.total),
        12,
      );
      expect(fixture.gateway.stats.responses['grpc OK']).toBeGreaterThan(0);
      expect(fixture.gateway.stats.callsCounted).toBe(4);
    });
  }

  it('the exporter without the token is refused (UNAUTHENTICATED) and nothing is forwarded', async () => {
    fixture = await startGatewayFixture({
      listenGrpc: { host: '127.0.0.1', port: 0 },
      authToken: TOKEN,
    });
    const exporter = grpcExporter(fixture.gateway.grpcAddress as string, {
      token: 'wrong',
    });
    const { provider, memory } = scenarioProvider(new InMemorySpanExporter());
    emitScenario(scenarioTracers(provider), 0);
    const result = await exportOnce(exporter, memory.getFinishedSpans());
    await provider.shutdown();
    await exporter.shutdown();
    expect(result.code).toBe(1);
    expect(String(result.error)).toMatch(/UNAUTHENTICATED|16/);
    expect(fixture.sink.received).toHaveLength(0);
    expect(fixture.records).toHaveLength(0);
  });

  it('is off by default: no gRPC address', async () => {
    fixture = await startGatewayFixture();
    expect(fixture.gateway.grpcAddress).toBeUndefined();
  });
});

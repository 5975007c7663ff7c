/**
 * The real OTLP exporters (protobuf and JSON, gzip on and off) send real SDK
 * spans through the gateway to a sink: LLM calls arrive priced from
 * published prices, exactly once; every other span arrives identical.
 */
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startGatewayFixture,
  type GatewayFixture,
} from './helpers/gateway-fixture.js';
import {
  CHAT_COST,
  DO_GENERATE_COST,
  emitScenario,
  scenarioTracers,
} from './helpers/genai-scenario.js';
import {
  expectPriced,
  expectUnchanged,
} from './helpers/forwarded-assertions.js';

type Encoding = 'proto' | 'json';
type Compression = 'gzip' | 'none';

function exporterFor(
  url: string,
  encoding: Encoding,
  compression: Compression,
): SpanExporter {
  const config = {
    url,
    compression: compression as never,
    timeoutMillis: 20_000,
  };
  return encoding === 'proto'
    ? new ProtoExporter(config)
    : new JsonExporter(config);
}

let fixture: GatewayFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const REQUESTS = 3;

describe.each([
  ['proto', 'gzip'],
  ['proto', 'none'],
  ['json', 'gzip'],
  ['json', 'none'],
] as const)('the %s exporter with compression %s', (encoding, compression) => {
  it.each(['batch', 'one span per request'] as const)(
    'prices LLM spans exactly once (%s)',
    async mode => {
      fixture = await startGatewayFixture();
      const exporter = exporterFor(fixture.gateway.url, encoding, compression);
      // Batch: whole traces in one request. Simple: every span in its own
      // request, so exactly-once has to hold across requests.
      const memory = new InMemorySpanExporter();
      const provider = new BasicTracerProvider({
        spanProcessors: [
          new BatchSpanProcessor(memory),
          mode === 'batch'
            ? new BatchSpanProcessor(exporter)
            : new SimpleSpanProcessor(exporter),
        ],
      });
      for (let n = 0; n < REQUESTS; n++)
        emitScenario(scenarioTracers(provider), n);
      await provider.forceFlush();
      const spans = memory.getFinishedSpans();
      await provider.shutdown();

      const forwarded = fixture.forwardedSpans();
      expect(forwarded).toHaveLength(spans.length);
      for (const span of spans) {
        if (span.name === 'chat gpt-4o-mini')
          expectPriced(forwarded, span, CHAT_COST);
        else if (span.name === 'ai.generateText.doGenerate')
          expectPriced(forwarded, span, DO_GENERATE_COST);
        else expectUnchanged(forwarded, span);
      }
      expect(fixture.records).toHaveLength(2 * REQUESTS);
      const total = fixture.records.reduce(
        (sum, r) => sum + (r.cost.priced ? r.cost.totalUsd : 0),
        0,
      );
      expect(
        Math.abs(total - REQUESTS * (CHAT_COST.total + DO_GENERATE_COST.total)),
      ).toBeLessThan(1e-12);
      // What the sink got is what the gateway sends: gzip protobuf.
      for (const request of fixture.sink.accepted) {
        expect(request.headers['content-type']).toBe('application/x-protobuf');
        expect(request.headers['content-encoding']).toBe('gzip');
      }
    },
  );
});

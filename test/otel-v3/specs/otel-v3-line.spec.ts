/**
 * OpenTelemetry JS 3.x used directly, as a new user on Node 24 writes it
 * (no 2.x adapter): `@opentelemetry/sdk-trace` 3.x processors with their
 * options object, NodeSDK 0.301, sdk-metrics 3.x behind our Prometheus
 * helper. The package is the built one installed in this folder. Expected
 * costs from OpenAI's published gpt-4o price ($2.50 / 1M input, $10 / 1M
 * output tokens).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { context, trace, type Tracer } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
  type Span,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { CostEnrichingSpanExporter, CostSpanProcessor } from 'otel-genai-cost';
import { createPrometheusHandler } from 'otel-genai-cost/prometheus';
import { ATTR_COST } from 'otel-genai-cost/semconv';
import { afterEach, describe, expect, it } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));
const version = (name: string): string =>
  (
    JSON.parse(
      readFileSync(
        join(HERE, '..', 'node_modules', name, 'package.json'),
        'utf8',
      ),
    ) as { version: string }
  ).version;

/** gpt-4o: 1000 input tokens at $2.50/M + 500 output tokens at $10/M. */
const GPT_4O_COST = (1000 * 2.5 + 500 * 10) / 1e6;

function chat(tracer: Tracer): void {
  tracer
    .startSpan('chat gpt-4o', {
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.output_tokens': 500,
      },
    })
    .end();
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the line under test', () => {
  it('is Node >= 22.15 with OpenTelemetry JS 3.x and the built package', () => {
    const [major, minor] = process.versions.node.split('.').map(Number);
    expect((major as number) * 100 + (minor as number)).toBeGreaterThanOrEqual(
      2215,
    );
    expect(version('@opentelemetry/sdk-trace')).toMatch(/^3\./);
    expect(version('@opentelemetry/sdk-metrics')).toMatch(/^3\./);
    expect(version('@opentelemetry/sdk-node')).toMatch(/^0\.3\d\d\./);
    expect(version('@opentelemetry/api')).toMatch(/^1\.1\d\./);
    // sdk-trace-base no longer exists on this line; nothing of ours needs it.
    expect(() =>
      readFileSync(
        join(
          HERE,
          '..',
          'node_modules/@opentelemetry/sdk-trace-base/package.json',
        ),
      ),
    ).toThrow();
  });
});

describe('sdk-trace 3.x', () => {
  it('calls onEnding on a writable span before any onEnd: the exported span carries the cost', async () => {
    const calls: string[] = [];
    const spy: SpanProcessor = {
      onStart: () => calls.push('start'),
      onEnding: (span: Span) =>
        calls.push(`ending:${String(span.isRecording())}`),
      onEnd: (span: ReadableSpan) =>
        calls.push(`end:${String(span.attributes[ATTR_COST])}`),
      forceFlush: async () => {},
      shutdown: async () => {},
    };
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [
        spy,
        new CostSpanProcessor({ env: {} }),
        new SimpleSpanProcessor({ exporter }),
      ],
    });
    cleanups.push(() => provider.shutdown());
    chat(provider.getTracer('app'));
    await provider.forceFlush();
    const [span] = exporter.getFinishedSpans();
    expect(span?.attributes[ATTR_COST]).toBeCloseTo(GPT_4O_COST, 12);
    expect(calls).toEqual(['start', 'ending:true', `end:${GPT_4O_COST}`]);
  });

  it('exports nothing from a processor given the 2.x positional exporter', async () => {
    const exporter = new InMemorySpanExporter();
    // The 2.x form `new SimpleSpanProcessor(exporter)`: 3.x reads
    // `options.exporter`, so every span is lost and forceFlush rejects.
    const legacy = new SimpleSpanProcessor(
      exporter as unknown as ConstructorParameters<
        typeof SimpleSpanProcessor
      >[0],
    );
    const provider = new TracerProvider({ spanProcessors: [legacy] });
    chat(provider.getTracer('app'));
    await expect(provider.forceFlush()).rejects.toBeDefined();
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });

  it('CostEnrichingSpanExporter prices spans for a 3.x processor and passes full ReadableSpans on', async () => {
    const inner = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [
        new SimpleSpanProcessor({
          exporter: new CostEnrichingSpanExporter(inner, { env: {} }),
        }),
      ],
    });
    cleanups.push(() => provider.shutdown());
    chat(provider.getTracer('app'));
    await provider.forceFlush();
    const [span] = inner.getFinishedSpans();
    expect(span?.attributes[ATTR_COST]).toBeCloseTo(GPT_4O_COST, 12);
    expect(span?.resource.attributes['service.name']).toBeDefined();
    expect(span?.instrumentationScope.name).toBe('app');
    expect(span?.duration).toHaveLength(2);
  });
});

describe('NodeSDK 0.301 and sdk-metrics 3.x', () => {
  it('prices through NodeSDK spanProcessors and counts on a Prometheus scrape', async () => {
    const metrics = createPrometheusHandler({ withoutTargetInfo: true });
    cleanups.push(() => metrics.shutdown());
    const exporter = new InMemorySpanExporter();
    const simple = new SimpleSpanProcessor({ exporter });
    const sdk = new NodeSDK({
      serviceName: 'otel-v3-test',
      spanProcessors: [
        new CostSpanProcessor({
          env: {},
          metrics: { meterProvider: metrics.meterProvider, env: {} },
        }),
        simple,
      ],
      metricReaders: [],
      instrumentations: [],
    });
    sdk.start();
    cleanups.push(async () => {
      await sdk.shutdown();
      trace.disable();
      context.disable();
    });
    chat(trace.getTracer('app'));
    chat(trace.getTracer('app'));
    // Under NodeSDK the 3.x SimpleSpanProcessor exports once the resource's
    // detectors have settled: flush before reading.
    await simple.forceFlush();
    const [first] = exporter.getFinishedSpans();
    expect(first?.attributes[ATTR_COST]).toBeCloseTo(GPT_4O_COST, 12);

    const server = createServer(metrics);
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () => new Promise<void>(resolve => server.close(() => resolve())),
    );
    const { port } = server.address() as AddressInfo;
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const line = text
      .split('\n')
      .find(l => l.startsWith('gen_ai_client_cost_total{'));
    expect(line).toContain('gen_ai_response_model="gpt-4o"');
    expect(Number(line?.split(' ').at(-1))).toBeCloseTo(2 * GPT_4O_COST, 12);
    expect(text).toContain('# UNIT gen_ai_client_cost_total USD');
  });
});

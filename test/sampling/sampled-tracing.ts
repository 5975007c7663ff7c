/**
 * A real `NodeTracerProvider` (sdk-trace 2.12) with a given sampler, a
 * `CostSpanProcessor` whose cost counters go to a collecting metric reader
 * (and whose records go to a `RecordingSink`), and two in-memory exporters,
 * one behind `SimpleSpanProcessor` and one behind `BatchSpanProcessor`, so a
 * test sees what exporters get under sampling. `ended` counts every span
 * that ended recording (sampled or not), from a plain span processor.
 */
import { context, propagation, trace, type Sampler } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { CostSpanProcessor } from '../../src/index.js';
import {
  pointsByMetric,
  setupMeter,
  total,
  type Point,
} from '../metrics/collecting-reader.js';
import { RecordingSink } from '../helpers/recording-sink.js';

class EndedSpans implements SpanProcessor {
  readonly spans: ReadableSpan[] = [];
  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    this.spans.push(span);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export interface SampledTracing {
  readonly provider: NodeTracerProvider;
  readonly sink: RecordingSink;
  /** Behind `SimpleSpanProcessor`. */
  readonly simpleExporter: InMemorySpanExporter;
  /** Behind `BatchSpanProcessor`. */
  readonly batchExporter: InMemorySpanExporter;
  /** Every span that ended recording, sampled or not. */
  readonly ended: ReadableSpan[];
  /** Flushes, then sums the `gen_ai.client.cost` points (USD). */
  metricCostUsd(): Promise<number>;
  /** Flushes, then sums the `gen_ai.client.cost.calls` points. */
  metricCalls(): Promise<number>;
  /** Flushes, then the points of one metric. */
  metricPoints(name: string): Promise<Point[]>;
  shutdown(): Promise<void>;
}

export function setupSampledTracing(
  sampler: Sampler,
  tenants: readonly string[] = [],
): SampledTracing {
  const { reader, meterProvider } = setupMeter();
  const sink = new RecordingSink();
  const simpleExporter = new InMemorySpanExporter();
  const batchExporter = new InMemorySpanExporter();
  const ended = new EndedSpans();
  const provider = new NodeTracerProvider({
    sampler,
    spanProcessors: [
      new CostSpanProcessor({
        env: {},
        sinks: [sink],
        metrics: { meterProvider, tenants: [...tenants], env: {} },
      }),
      new SimpleSpanProcessor(simpleExporter),
      new BatchSpanProcessor(batchExporter, {
        maxQueueSize: 100_000,
        maxExportBatchSize: 512,
      }),
      ended,
    ],
  });
  context.setGlobalContextManager(
    new AsyncLocalStorageContextManager().enable(),
  );
  const metricPoints = async (name: string): Promise<Point[]> => {
    await provider.forceFlush();
    return pointsByMetric(await reader.collect()).get(name) ?? [];
  };
  const points = async (name: string): Promise<number> =>
    total(await metricPoints(name));
  return {
    provider,
    sink,
    simpleExporter,
    batchExporter,
    ended: ended.spans,
    metricCostUsd: () => points('gen_ai.client.cost'),
    metricCalls: () => points('gen_ai.client.cost.calls'),
    metricPoints,
    async shutdown() {
      await provider.shutdown();
      await meterProvider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

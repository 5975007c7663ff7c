/**
 * Our processor as an application configures it for the benchmark: cost
 * metrics on (a real MeterProvider and reader) and attribution on
 * (`withAttribution` around every request). Every suite measures this one
 * configuration.
 */
import { context, type Context } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import {
  CostMetrics,
  CostSpanProcessor,
  withAttribution,
  type CostSink,
  type SeriesBound,
} from '../../src/index.js';
import type { CostEngine } from '../../src/core/cost-engine.js';
import type { CostPipeline } from '../../src/pipeline/cost-pipeline.js';
import { SeriesReader } from './series-reader.js';

/** Tenants named on metrics: the first 100 seen, the rest in 16 buckets. */
export const METRICS_OPTIONS = { tenantTopK: 100, tenantBuckets: 16 } as const;

export interface CostStackFeatures {
  readonly metrics: boolean;
  readonly attribution: boolean;
  readonly metricsOptions: Readonly<Record<string, number>>;
}

export interface CostStack {
  readonly processor: CostSpanProcessor;
  readonly features: CostStackFeatures;
  /** `parent` with the request attributed to a user and tenant. */
  attribute(parent: Context, userId: string, tenantId: string): Context;
  /** Exactly-once bookkeeping entries (`CostEngine.trackedEntries`). */
  trackedEntries(): number;
  /** Series per metric in one collection by a real reader. */
  collectSeries(): Promise<Record<string, number>>;
  readonly seriesBound: SeriesBound;
  shutdown(): Promise<void>;
}

/**
 * `BENCH_METRICS=0` / `BENCH_ATTRIBUTION=0` turn a feature off, to split the
 * processor's cost between its parts (the published figures have both on).
 */
function featureOn(name: string): boolean {
  return process.env[name] !== '0';
}

/** The cost metrics sink the benchmark uses, with its own reader. */
export function createMetricsSink(): {
  readonly sinks: CostSink[];
  readonly reader: SeriesReader;
  readonly metrics: CostMetrics;
  readonly meterProvider: MeterProvider;
} {
  const reader = new SeriesReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const metrics = new CostMetrics({ ...METRICS_OPTIONS, meterProvider });
  const sinks = featureOn('BENCH_METRICS') ? [metrics] : [];
  return { sinks, reader, metrics, meterProvider };
}

/**
 * The engine a processor evaluates with: a private field, read by the
 * benchmark only (deliberately not on the public API).
 */
export function processorEngine(processor: CostSpanProcessor): CostEngine {
  return (processor as unknown as { _pipeline: CostPipeline })._pipeline.engine;
}

export function createCostStack(): CostStack {
  const { sinks, reader, metrics, meterProvider } = createMetricsSink();
  const metricsOn = sinks.length > 0;
  const attributionOn = featureOn('BENCH_ATTRIBUTION');
  const processor = new CostSpanProcessor({ sinks });
  return {
    processor,
    features: {
      metrics: metricsOn,
      attribution: attributionOn,
      metricsOptions: METRICS_OPTIONS,
    },
    attribute: (parent, userId, tenantId) =>
      attributionOn
        ? context.with(parent, () =>
            withAttribution({ userId, tenantId }, () => context.active()),
          )
        : parent,
    trackedEntries: () => processorEngine(processor).trackedEntries,
    collectSeries: () => reader.seriesByMetric(),
    seriesBound: metrics.seriesBound,
    async shutdown() {
      await processor.shutdown();
      await meterProvider.shutdown();
    },
  };
}

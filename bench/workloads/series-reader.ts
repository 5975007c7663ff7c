import {
  AggregationTemporality,
  MetricReader,
  type CollectionResult,
} from '@opentelemetry/sdk-metrics';

/**
 * A real `MetricReader` (cumulative temporality, the default of OTLP and
 * the only one Prometheus has) that collects on demand, so the benchmark
 * counts the series an exporter would receive.
 */
export class SeriesReader extends MetricReader {
  constructor() {
    super({
      aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE,
    });
  }

  /** Data points per metric name in one collection. */
  async seriesByMetric(): Promise<Record<string, number>> {
    const result: CollectionResult = await this.collect();
    const counts: Record<string, number> = {};
    for (const scope of result.resourceMetrics.scopeMetrics) {
      for (const metric of scope.metrics) {
        const name = metric.descriptor.name;
        counts[name] = (counts[name] ?? 0) + metric.dataPoints.length;
      }
    }
    return counts;
  }

  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }

  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

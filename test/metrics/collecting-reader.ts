/**
 * A real `MetricReader` (cumulative temporality, the default) whose
 * collections a test reads directly, plus helpers over the collected points.
 */
import type { Attributes } from '@opentelemetry/api';
import {
  MeterProvider,
  MetricReader,
  type CollectionResult,
  type MetricReaderOptions,
} from '@opentelemetry/sdk-metrics';

export class CollectingReader extends MetricReader {
  constructor(options: MetricReaderOptions = {}) {
    super(options);
  }

  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }

  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

export interface Point {
  readonly attributes: Attributes;
  readonly value: number;
}

/** Points of every metric in one collection, by metric name. */
export function pointsByMetric(result: CollectionResult): Map<string, Point[]> {
  const byName = new Map<string, Point[]>();
  for (const scope of result.resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      const points = byName.get(metric.descriptor.name) ?? [];
      for (const point of metric.dataPoints) {
        points.push({
          attributes: point.attributes,
          value: point.value as number,
        });
      }
      byName.set(metric.descriptor.name, points);
    }
  }
  return byName;
}

/** Sum of a metric's points, grouped by one attribute. */
export function sumBy(
  points: readonly Point[],
  key: string,
): Map<string, number> {
  const sums = new Map<string, number>();
  for (const point of points) {
    const label = String(point.attributes[key]);
    sums.set(label, (sums.get(label) ?? 0) + point.value);
  }
  return sums;
}

export function total(points: readonly Point[] | undefined): number {
  return (points ?? []).reduce((sum, point) => sum + point.value, 0);
}

export function setupMeter(options: MetricReaderOptions = {}): {
  readonly reader: CollectingReader;
  readonly meterProvider: MeterProvider;
} {
  const reader = new CollectingReader(options);
  return { reader, meterProvider: new MeterProvider({ readers: [reader] }) };
}

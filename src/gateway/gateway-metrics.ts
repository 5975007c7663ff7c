import type { MeterProvider } from '@opentelemetry/api';
import type { Env } from '../config/env.js';
import type { CostSink } from '../core/cost-record.js';
import type { HostPort } from './gateway-option-parsers.js';

/** The `--metrics` output: cost counters served for Prometheus. */
export interface GatewayMetrics {
  readonly sink: CostSink;
  /** Where other gateway counters go to be served too (the budget guard's). */
  readonly meterProvider: MeterProvider;
  readonly url: string;
  shutdown(): Promise<void>;
}

/**
 * Serves the cost counters (`CostMetrics`, labels bounded by its policy and
 * the `OTEL_GENAI_COST_METRICS_*` variables) on `GET /metrics` at
 * `address`. Loaded on demand: the Prometheus exporter and the metrics SDK
 * are optional peer dependencies, needed only with `--metrics`.
 */
export async function startGatewayMetrics(
  address: HostPort,
  env: Env,
): Promise<GatewayMetrics> {
  const [{ startPrometheusServer }, { CostMetrics }] = await Promise.all([
    import('../metrics/prometheus.js'),
    import('../metrics/cost-metrics.js'),
  ]);
  const server = await startPrometheusServer({
    host: address.host,
    port: address.port,
    env,
  });
  const sink = new CostMetrics({ meterProvider: server.meterProvider, env });
  return {
    sink,
    meterProvider: server.meterProvider,
    url: server.url,
    shutdown: () => server.shutdown(),
  };
}

import type { CostSink } from '../core/cost-record.js';
import type { PriceOverride } from '../core/price/price-override.js';
import { loadPriceOverrides } from '../config/load-price-overrides.js';
import {
  CostMetrics,
  type CostMetricsOptions,
} from '../metrics/cost-metrics.js';
import {
  envBool,
  envPositiveInt,
  envString,
  processEnv,
  type Env,
} from '../config/env.js';
import {
  resolveIdentityOptions,
  type IdentityOptions,
  type ResolvedIdentityOptions,
} from './identity-options.js';

export interface CostSpanProcessorOptions extends IdentityOptions {
  /**
   * Your own prices (USD per million tokens); they win over the bundled
   * table. Merged with `priceOverridesFile`, code entries first.
   */
  readonly overrides?: readonly PriceOverride[];
  /**
   * A JSON or YAML file of price overrides.
   * @defaultValue env `OTEL_GENAI_COST_PRICES_FILE`, else none
   */
  readonly priceOverridesFile?: string;
  /**
   * Upper bound on spans held for exactly-once selection.
   * @defaultValue env `OTEL_GENAI_COST_MAX_TRACKED_SPANS`, else 100000
   */
  readonly maxTrackedSpans?: number;
  /**
   * Outputs fed with every evaluated call (`{ call, cost, identity }`), e.g.
   * cost metrics. Each is isolated: one that throws is logged and skipped.
   * @defaultValue []
   */
  readonly sinks?: readonly CostSink[] | undefined;
  /**
   * Cost counters through the OpenTelemetry metrics API (see "Metrics"):
   * `true` records on the global MeterProvider with the default label
   * policy, an object configures `CostMetrics`, `false` turns them off. Not
   * added when `sinks` already holds a `CostMetrics`.
   * @defaultValue env `OTEL_GENAI_COST_METRICS` (true/false), else true
   */
  readonly metrics?: boolean | CostMetricsOptions;
  /** Environment to read; defaults to `process.env`. For tests. */
  readonly env?: Env;
}

/** Every option resolved once: `option ?? env ?? default`. */
export interface ResolvedCostSpanProcessorOptions {
  readonly overrides: readonly PriceOverride[];
  readonly maxTrackedSpans: number;
  readonly sinks: readonly CostSink[];
  readonly identity: ResolvedIdentityOptions;
}

export function resolveCostSpanProcessorOptions(
  options: CostSpanProcessorOptions,
): ResolvedCostSpanProcessorOptions {
  const env = options.env ?? processEnv();
  const file =
    options.priceOverridesFile ?? envString(env, 'OTEL_GENAI_COST_PRICES_FILE');
  return {
    overrides: [
      ...(options.overrides ?? []),
      ...(file === undefined ? [] : loadPriceOverrides(file)),
    ],
    maxTrackedSpans:
      options.maxTrackedSpans ??
      envPositiveInt(env, 'OTEL_GENAI_COST_MAX_TRACKED_SPANS') ??
      100_000,
    sinks: withMetrics(options, env),
    identity: resolveIdentityOptions(options, env),
  };
}

function withMetrics(
  options: CostSpanProcessorOptions,
  env: Env,
): readonly CostSink[] {
  const sinks = options.sinks ?? [];
  const metrics =
    options.metrics ?? envBool(env, 'OTEL_GENAI_COST_METRICS') ?? true;
  if (metrics === false || sinks.some(sink => sink instanceof CostMetrics)) {
    return sinks;
  }
  return [new CostMetrics(metrics === true ? {} : metrics), ...sinks];
}

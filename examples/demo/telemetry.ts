/**
 * The demo's OpenTelemetry wiring, as an application would write it:
 * a tracer provider with `CostSpanProcessor` feeding `CostMetrics` and a
 * `CostLedger` (one row per call in a SQLite file), cost counters on a
 * Prometheus `/metrics` endpoint, the openai and AI SDK instrumentations,
 * and OTLP export when `OTEL_EXPORTER_OTLP_ENDPOINT` is set.
 */
import { createRequire } from 'node:module';
import { context, propagation, trace } from '@opentelemetry/api';
import { OpenTelemetry } from '@ai-sdk/otel';
import { registerTelemetry } from 'ai';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { OpenAIInstrumentation } from '@opentelemetry/instrumentation-openai';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type OpenAI from 'openai';
import { CostLedger, CostMetrics, CostSpanProcessor } from 'otel-genai-cost';
import {
  startPrometheusServer,
  type PrometheusServer,
} from 'otel-genai-cost/prometheus';
import { SpanLedger } from './span-ledger.js';

export interface TelemetryOptions {
  readonly serviceName: string;
  readonly metricsHost: string;
  readonly metricsPort: number;
  /** Tenant allow-list for the metrics' `tenant` label. */
  readonly namedTenants: readonly string[];
  readonly tenantBuckets: number;
  readonly plans: readonly string[];
  /** The cost ledger's SQLite file. */
  readonly ledgerPath: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface DemoTelemetry {
  readonly provider: NodeTracerProvider;
  /** One row per priced (or unpriced) call, in `ledgerPath`: what the demo reports from. */
  readonly ledger: CostLedger;
  readonly ledgerPath: string;
  /** Totals kept from the exported spans' attributes, to check the ledger against. */
  readonly spanTotals: SpanLedger;
  readonly costMetrics: CostMetrics;
  readonly metrics: PrometheusServer;
  /** The `openai` client class, patched by the instrumentation. */
  readonly OpenAI: typeof OpenAI;
  /** Where spans are also exported over OTLP, if anywhere. */
  readonly otlpEndpoint: string | undefined;
  shutdown(): Promise<void>;
}

export async function setupTelemetry(
  options: TelemetryOptions,
): Promise<DemoTelemetry> {
  const resource = resourceFromAttributes({
    'service.name': options.serviceName,
  });
  const metrics = await startPrometheusServer({
    host: options.metricsHost,
    port: options.metricsPort,
    resource,
  });
  const costMetrics = new CostMetrics({
    meterProvider: metrics.meterProvider,
    tenants: options.namedTenants,
    tenantBuckets: options.tenantBuckets,
    plans: options.plans,
    env: options.env,
  });
  const ledger = new CostLedger({
    url: `sqlite:${options.ledgerPath}`,
    service: options.serviceName,
  });
  // Fails here, not later, when the libsql package is missing.
  try {
    await ledger.ready();
  } catch (error) {
    await ledger.shutdown();
    await metrics.shutdown();
    throw error;
  }
  const spanTotals = new SpanLedger();
  const otlpEndpoint = otlpTracesUrl(options.env);
  const spanProcessors: SpanProcessor[] = [
    new CostSpanProcessor({ sinks: [costMetrics, ledger] }),
    new SimpleSpanProcessor(spanTotals),
  ];
  if (otlpEndpoint !== undefined) {
    // Headers and timeout still come from the usual OTEL_EXPORTER_OTLP_* env.
    spanProcessors.push(
      new BatchSpanProcessor(new OTLPTraceExporter({ url: otlpEndpoint })),
    );
  }
  const provider = new NodeTracerProvider({ resource, spanProcessors });
  // withAttribution() needs a context manager to survive awaits.
  provider.register({ contextManager: new AsyncLocalStorageContextManager() });

  // openai: the require hook patches the CommonJS build, so load it that way
  // (an ESM `import OpenAI from 'openai'` is not patched without --import).
  const instrumentation = new OpenAIInstrumentation();
  const unregister = registerInstrumentations({
    instrumentations: [instrumentation],
    tracerProvider: provider,
  });
  const { OpenAI: PatchedOpenAI } = createRequire(import.meta.url)(
    'openai',
  ) as {
    OpenAI: typeof OpenAI;
  };
  // AI SDK v7: spans through @ai-sdk/otel (GenAI semantic conventions).
  registerTelemetry(new OpenTelemetry({ tracer: provider.getTracer('ai') }));

  return {
    provider,
    ledger,
    ledgerPath: options.ledgerPath,
    spanTotals,
    costMetrics,
    metrics,
    OpenAI: PatchedOpenAI,
    otlpEndpoint,
    async shutdown() {
      unregister();
      (
        globalThis as { AI_SDK_TELEMETRY_INTEGRATIONS?: unknown }
      ).AI_SDK_TELEMETRY_INTEGRATIONS = undefined;
      await provider.shutdown();
      await metrics.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** The OTLP/HTTP traces URL the standard env variables describe, if any. */
function otlpTracesUrl(
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const traces = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'];
  if (traces !== undefined && traces !== '') return traces;
  const base = env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  if (base === undefined || base === '') return undefined;
  return `${base.replace(/\/+$/, '')}/v1/traces`;
}

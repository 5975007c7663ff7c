/**
 * NodeSDK + `@opentelemetry/instrumentation-openai` + CostSpanProcessor, with
 * the cost counters on Prometheus.
 *
 * In your app (package name `otel-genai-cost`), in a file loaded first
 * (`node --import ./instrumentation.js app.js`):
 *
 *   const sdk = new NodeSDK({
 *     spanProcessors: [
 *       new CostSpanProcessor({ sinks: [new CostMetrics()] }),
 *       new BatchSpanProcessor(new OTLPTraceExporter()),
 *     ],
 *     metricReaders: [new PrometheusExporter()], // :9464/metrics
 *     instrumentations: [new OpenAIInstrumentation()],
 *   });
 *   sdk.start();
 *
 * Every `chat` span then carries `gen_ai.usage.cost` (USD) and its breakdown,
 * and `gen_ai_client_cost_total` counts it on /metrics (CostMetrics records
 * on the global MeterProvider, which NodeSDK registers).
 * Against the real API: `OPENAI_API_KEY=... npx tsx examples/node-sdk-openai/main.ts`.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OpenAIInstrumentation } from '@opentelemetry/instrumentation-openai';
import type { IMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  ConsoleSpanExporter,
  BatchSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import type OpenAI from 'openai';
import { CostMetrics, CostSpanProcessor } from 'otel-genai-cost';

export interface NodeSdkExampleOptions {
  /** OpenAI API base URL; defaults to the real API. */
  readonly baseURL?: string;
  readonly apiKey?: string;
  /** Where spans go; defaults to the console. */
  readonly exporter?: SpanExporter;
  /** Where metrics go; defaults to Prometheus on :9464/metrics. */
  readonly metricReader?: IMetricReader;
}

export async function run(
  options: NodeSdkExampleOptions = {},
): Promise<string> {
  const sdk = new NodeSDK({
    serviceName: 'node-sdk-openai-example',
    spanProcessors: [
      new CostSpanProcessor({ sinks: [new CostMetrics()] }),
      new BatchSpanProcessor(options.exporter ?? new ConsoleSpanExporter()),
    ],
    metricReaders: [options.metricReader ?? new PrometheusExporter()],
    instrumentations: [new OpenAIInstrumentation()],
    // Traces and metrics only. Without this line NodeSDK also exports logs
    // (the instrumentation's GenAI events) over OTLP, by default to
    // localhost:4318 (OTEL_LOGS_EXPORTER).
    logRecordProcessors: [],
  });
  sdk.start();
  try {
    // Loaded after sdk.start(), through require, so the instrumentation's
    // require hook patches it (ESM imports need `--import` to be patched).
    const { OpenAI: Client } = createRequire(import.meta.url)('openai') as {
      OpenAI: typeof OpenAI;
    };
    const client = new Client({
      apiKey: options.apiKey ?? process.env['OPENAI_API_KEY'] ?? 'missing-key',
      ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
    });
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Say hello in one word.' }],
    });
    return completion.choices[0]?.message.content ?? '';
  } finally {
    await sdk.shutdown();
  }
}

if (
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(process.argv[1]).href
) {
  void run().then(answer => console.log(answer));
}

/**
 * Forwarding priced spans to Langfuse, Phoenix or Datadog over OTLP. The
 * cost attributes (`gen_ai.usage.cost*`) and the attribution (`user.id`,
 * `session.id`, `tenant.id`) travel on the spans; see otlp-targets.ts for
 * each backend's endpoint and headers.
 *
 *   LANGFUSE_PUBLIC_KEY=pk-lf-... LANGFUSE_SECRET_KEY=sk-lf-... \
 *     npx tsx examples/otlp-backends/main.ts langfuse
 */
import { pathToFileURL } from 'node:url';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import {
  CostSpanProcessor,
  recordLlmCall,
  withAttribution,
} from 'otel-genai-cost';
import { otlpTarget, type Backend, type OtlpTarget } from './otlp-targets.js';

export async function run(
  backend: Backend,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<OtlpTarget> {
  const target = otlpTarget(backend, env);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'otlp-backends-example',
    }),
    spanProcessors: [
      new CostSpanProcessor({ aliases: target.aliases }),
      new BatchSpanProcessor(
        new OTLPTraceExporter({
          url: target.url,
          headers: { ...target.headers },
        }),
      ),
    ],
  });
  provider.register();
  try {
    // Any instrumented LLM call works the same; a recorded one keeps this
    // example free of API keys.
    withAttribution(
      { userId: 'user-42', sessionId: 'session-7', tenantId: 'acme' },
      () =>
        recordLlmCall({
          provider: 'openai',
          model: 'gpt-4o-mini',
          usage: {
            inputTokens: 2000,
            outputTokens: 500,
            cacheReadTokens: 1500,
          },
        }),
    );
  } finally {
    await provider.shutdown(); // flushes the batch to the backend
  }
  return target;
}

if (
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(process.argv[1]).href
) {
  const backend = (process.argv[2] ?? 'phoenix') as Backend;
  void run(backend).then(target =>
    console.log(`sent one priced span to ${target.url}`),
  );
}

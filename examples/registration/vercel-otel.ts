/**
 * `@vercel/otel`: it bundles sdk-trace-base 2.1, whose spans never call
 * `onEnding`, so a CostSpanProcessor alone writes nothing there. Keep it for
 * its `onStart` (it captures `withAttribution` tags) and wrap the exporter
 * in CostEnrichingSpanExporter, which adds the cost and identity before
 * export.
 *
 * Runs in this repo, against a local OTLP receiver:
 * `npx vitest run test/e2e/registration-examples.test.ts`.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { registerOTel } from '@vercel/otel';
import { CostEnrichingSpanExporter, CostSpanProcessor } from 'otel-genai-cost';

export function registerTelemetry(tracesUrl?: string): void {
  registerOTel({
    serviceName: 'my-next-app',
    spanProcessors: [
      new CostSpanProcessor(),
      new BatchSpanProcessor(
        new CostEnrichingSpanExporter(
          new OTLPTraceExporter(
            tracesUrl === undefined ? {} : { url: tracesUrl },
          ),
        ),
      ),
    ],
  });
}

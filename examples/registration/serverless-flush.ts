/**
 * Serverless (AWS Lambda, Vercel functions, Cloud Run jobs): the platform
 * may freeze the process as soon as the response is returned, losing spans
 * still queued in the BatchSpanProcessor. Flush before returning (or hand
 * the flush to the platform: `waitUntil(provider.forceFlush())` with
 * `@vercel/functions`, `ctx.waitUntil` on Cloudflare).
 *
 * Runs in this repo, against a local OTLP receiver:
 * `npx vitest run test/e2e/registration-examples.test.ts`.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { CostSpanProcessor, withAttribution } from 'otel-genai-cost';

export function createProvider(tracesUrl?: string): NodeTracerProvider {
  const provider = new NodeTracerProvider({
    spanProcessors: [
      new CostSpanProcessor(),
      new BatchSpanProcessor(
        new OTLPTraceExporter(
          tracesUrl === undefined ? {} : { url: tracesUrl },
        ),
      ),
    ],
  });
  provider.register();
  return provider;
}

export function flushingHandler<E extends { userId?: string }, R>(
  provider: NodeTracerProvider,
  handle: (event: E) => Promise<R>,
): (event: E) => Promise<R> {
  return async event => {
    try {
      return await withAttribution({ userId: event.userId }, () =>
        handle(event),
      );
    } finally {
      // Also flushes the cost sinks (e.g. OTLP metrics) of CostSpanProcessor.
      await provider.forceFlush();
    }
  };
}

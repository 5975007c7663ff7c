/**
 * NodeSDK: price and attribute every LLM call, export over OTLP.
 *
 * Copy into your app as is. Start it before anything else (e.g. `node
 * --import ./telemetry.js app.js`) so instrumentations can patch their
 * modules.
 *
 * Runs in this repo, against a local OTLP receiver:
 * `npx vitest run test/e2e/registration-examples.test.ts`.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { CostSpanProcessor } from 'otel-genai-cost';

export function startTelemetry(tracesUrl?: string): NodeSDK {
  const sdk = new NodeSDK({
    serviceName: 'my-app',
    // `spanProcessors` replaces `traceExporter`: list the exporter here too.
    // Order does not matter: CostSpanProcessor writes in onEnding, which runs
    // for every processor before any processor's onEnd (export).
    spanProcessors: [
      new CostSpanProcessor({
        // Pseudonymize user ids (reads OTEL_GENAI_COST_HMAC_SECRET when omitted).
        hmacSecret: process.env['COST_HMAC_SECRET'],
        tagKeys: ['region'],
      }),
      new BatchSpanProcessor(
        new OTLPTraceExporter(
          tracesUrl === undefined ? {} : { url: tracesUrl },
        ),
      ),
    ],
  });
  sdk.start();
  return sdk;
}

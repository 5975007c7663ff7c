/**
 * End to end over the wire: NodeSDK with
 * `spanProcessors: [new CostSpanProcessor(), new BatchSpanProcessor(otlp)]`,
 * the real OTLP exporters (JSON over HTTP, protobuf over HTTP) sending to a
 * local receiver that decodes the payload. Cost and user attributes arrive;
 * with a pseudonymization secret the raw user id is not in the bytes sent.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as OTLPHttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { generateText } from 'ai-v6';
import { MockLanguageModelV3 } from 'ai-v6/test';
import { afterEach, describe, expect, it } from 'vitest';
import { GPT_4O_MINI, expectedCost } from '../helpers/prices.js';
import {
  CostSpanProcessor,
  recordLlmCall,
  withAttribution,
} from '../../src/index.js';
import { IdentityPolicy } from '../../src/entries/core.js';
import {
  startOtlpReceiver,
  type OtlpReceiver,
} from '../helpers/otlp-receiver.js';

const SECRET = 'e2e-secret';
const CHAT = expectedCost(GPT_4O_MINI, { uncachedInput: 1000, output: 300 });
const MANUAL = expectedCost(GPT_4O_MINI, {
  uncachedInput: 400,
  cacheRead: 600,
  output: 50,
});

let receiver: OtlpReceiver | undefined;
let sdk: NodeSDK | undefined;
afterEach(async () => {
  await sdk?.shutdown();
  await receiver?.close();
  sdk = undefined;
  receiver = undefined;
  trace.disable();
  context.disable();
  propagation.disable();
});

async function runApp(): Promise<void> {
  await withAttribution(
    { userId: 'alice-4711', tenantId: 'acme', plan: 'pro' },
    async () => {
      await trace
        .getTracer('app')
        .startActiveSpan('POST /chat', async request => {
          await generateText({
            model: new MockLanguageModelV3({
              provider: 'openai.chat',
              modelId: 'gpt-4o-mini',
              doGenerate: async () => ({
                content: [{ type: 'text', text: 'ok' }],
                finishReason: { unified: 'stop', raw: 'stop' },
                usage: {
                  inputTokens: {
                    total: 1000,
                    noCache: 1000,
                    cacheRead: 0,
                    cacheWrite: 0,
                  },
                  outputTokens: { total: 300, text: 300, reasoning: 0 },
                },
                warnings: [],
                response: {
                  id: 'resp-e2e',
                  modelId: 'gpt-4o-mini-2024-07-18',
                  timestamp: new Date(0),
                },
              }),
            }),
            prompt: 'hello',
            experimental_telemetry: {
              isEnabled: true,
              metadata: { sessionId: 'sess-1', userId: 'alice-4711' },
            },
          });
          await new Promise(resolve => setTimeout(resolve, 1));
          recordLlmCall({
            provider: 'openai',
            model: 'gpt-4o-mini',
            usage: {
              inputTokens: 1000,
              outputTokens: 50,
              cacheReadTokens: 600,
            },
            tags: { feature: 'summary' },
          });
          request.end();
        });
    },
  );
}

describe.each([
  [
    'OTLP/HTTP JSON',
    'application/json',
    (url: string) => new OTLPHttpJsonExporter({ url }),
  ],
  [
    'OTLP/HTTP protobuf',
    'application/x-protobuf',
    (url: string) => new OTLPProtoExporter({ url }),
  ],
] as const)('%s', (_name, contentType, makeExporter) => {
  it('delivers cost and user attributes', async () => {
    receiver = await startOtlpReceiver();
    sdk = new NodeSDK({
      serviceName: 'e2e',
      autoDetectResources: false,
      instrumentations: [],
      metricReaders: [],
      logRecordProcessors: [],
      spanProcessors: [
        new CostSpanProcessor({ env: {} }),
        new BatchSpanProcessor(makeExporter(receiver.url)),
      ],
    });
    sdk.start();
    await runApp();
    await sdk.shutdown();
    sdk = undefined;

    expect(receiver.received.length).toBeGreaterThan(0);
    expect(
      receiver.received.every(r => r.contentType.startsWith(contentType)),
    ).toBe(true);
    const spans = receiver.spans();
    const priced = spans.filter(
      s => s.attributes['gen_ai.usage.cost'] !== undefined,
    );
    expect(priced.map(s => s.name).sort()).toEqual([
      'ai.generateText.doGenerate',
      'chat gpt-4o-mini',
    ]);
    const sdkCall = priced.find(s => s.name === 'ai.generateText.doGenerate')!;
    const manual = priced.find(s => s.name === 'chat gpt-4o-mini')!;
    expect(sdkCall.attributes['gen_ai.usage.cost']).toBeCloseTo(CHAT.total, 12);
    expect(manual.attributes['gen_ai.usage.cost']).toBeCloseTo(
      MANUAL.total,
      12,
    );
    expect(manual.attributes['gen_ai.cost.cache_read']).toBeCloseTo(
      MANUAL.cacheRead,
      12,
    );
    expect(sdkCall.attributes).toMatchObject({
      'gen_ai.cost.source': 'price_table',
      'gen_ai.cost.currency': 'USD',
      'user.id': 'alice-4711',
      'tenant.id': 'acme',
      'app.plan': 'pro',
      'session.id': 'sess-1',
      'gen_ai.cost.attribution.source': 'context',
    });
    expect(manual.attributes).toMatchObject({
      'user.id': 'alice-4711',
      'app.feature': 'summary',
      'gen_ai.cost.attribution.source': 'manual',
    });
    // Wrappers and the request span carry no cost.
    for (const span of spans.filter(s => !priced.includes(s))) {
      expect(span.attributes['gen_ai.usage.cost']).toBeUndefined();
    }
  });

  it('with a secret, the raw user id is not in a single byte sent', async () => {
    receiver = await startOtlpReceiver();
    sdk = new NodeSDK({
      serviceName: 'e2e',
      autoDetectResources: false,
      instrumentations: [],
      metricReaders: [],
      logRecordProcessors: [],
      spanProcessors: [
        new CostSpanProcessor({ env: {}, hmacSecret: SECRET }),
        new BatchSpanProcessor(makeExporter(receiver.url)),
      ],
    });
    sdk.start();
    await runApp();
    await sdk.shutdown();
    sdk = undefined;
    const bytes = Buffer.concat(receiver.received.map(r => r.body));
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.includes('alice-4711')).toBe(false);
    const pseudonym = new IdentityPolicy({ hmacSecret: SECRET }).pseudonym(
      'alice-4711',
    );
    const priced = receiver
      .spans()
      .filter(s => s.attributes['gen_ai.usage.cost'] !== undefined);
    expect(priced).toHaveLength(2);
    expect(priced.map(s => s.attributes['user.id'])).toEqual([
      pseudonym,
      pseudonym,
    ]);
  });
});

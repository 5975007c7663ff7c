/**
 * AI SDK v6 (`ai@6`) with its built-in telemetry: who the call is for goes in
 * `experimental_telemetry.metadata`, which the AI SDK writes on its spans as
 * `ai.telemetry.metadata.*`. CostSpanProcessor reads `userId`, `tenantId`,
 * `plan` from there (any spelling: `user_id`, `tenant`, ...), prices the
 * provider call span and writes `gen_ai.usage.cost`, `user.id`, `tenant.id`.
 *
 * In your app the model is a real one, e.g. `openai('gpt-4o-mini')` from
 * `@ai-sdk/openai`; this example defaults to the AI SDK's mock model so it
 * runs without a key: `npx tsx examples/ai-sdk-v6-metadata/main.ts`.
 */
import { pathToFileURL } from 'node:url';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { generateText, type LanguageModel } from 'ai-v6';
import { MockLanguageModelV3 } from 'ai-v6/test';
import { CostSpanProcessor } from 'otel-genai-cost';

export interface AiSdkV6ExampleOptions {
  readonly model?: LanguageModel;
  readonly exporter?: SpanExporter;
  readonly userId?: string;
  readonly tenantId?: string;
  readonly plan?: string;
}

export async function run(
  options: AiSdkV6ExampleOptions = {},
): Promise<string> {
  const provider = new NodeTracerProvider({
    spanProcessors: [
      new CostSpanProcessor(),
      new BatchSpanProcessor(options.exporter ?? new ConsoleSpanExporter()),
    ],
  });
  provider.register(); // global tracer + AsyncLocalStorage context manager
  try {
    const result = await generateText({
      model: options.model ?? mockModel(),
      prompt: 'Draft a two-line reply to ticket #4711.',
      experimental_telemetry: {
        isEnabled: true,
        functionId: 'support-reply',
        metadata: {
          userId: options.userId ?? 'user-42',
          tenantId: options.tenantId ?? 'acme',
          plan: options.plan ?? 'pro',
        },
      },
    });
    return result.text;
  } finally {
    await provider.shutdown();
  }
}

/** Stands in for `openai('gpt-4o-mini')`: 1,200 input tokens (1,000 cached), 250 output. */
function mockModel(): MockLanguageModelV3 {
  return new MockLanguageModelV3({
    provider: 'openai.chat',
    modelId: 'gpt-4o-mini',
    doGenerate: () =>
      Promise.resolve({
        content: [
          { type: 'text', text: 'Thanks for the report! A fix ships today.' },
        ],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: {
          inputTokens: {
            total: 1200,
            noCache: 200,
            cacheRead: 1000,
            cacheWrite: 0,
          },
          outputTokens: { total: 250, text: 250, reasoning: 0 },
        },
        warnings: [],
        response: {
          id: 'chatcmpl-example',
          modelId: 'gpt-4o-mini-2024-07-18',
          timestamp: new Date(),
        },
      }),
  });
}

if (
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(process.argv[1]).href
) {
  void run().then(text => console.log(text));
}

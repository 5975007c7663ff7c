/**
 * AI SDK v7 (`ai@7`) with `@ai-sdk/otel`: telemetry is an integration you
 * register once; it emits GenAI semantic-convention spans (`invoke_agent` →
 * `step` → `chat`). v7 has no `metadata` option any more: say who the call
 * is for with `withAttribution`, which puts the tags in the OpenTelemetry
 * context, so every LLM span started inside (across awaits) is billed to
 * them. CostSpanProcessor prices the `chat` span only (the `invoke_agent`
 * roll-up carries the same usage and is never priced twice).
 *
 * In your app the model is a real one, e.g. `anthropic('claude-sonnet-4-5')`;
 * this example defaults to the AI SDK's mock model:
 * `npx tsx examples/ai-sdk-v7-otel/main.ts`.
 */
import { pathToFileURL } from 'node:url';
import { OpenTelemetry } from '@ai-sdk/otel';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { generateText, registerTelemetry, type LanguageModel } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { CostSpanProcessor, withAttribution } from 'otel-genai-cost';

export interface AiSdkV7ExampleOptions {
  readonly model?: LanguageModel;
  readonly exporter?: SpanExporter;
  readonly userId?: string;
  readonly tenantId?: string;
}

export async function run(
  options: AiSdkV7ExampleOptions = {},
): Promise<string> {
  const provider = new NodeTracerProvider({
    spanProcessors: [
      new CostSpanProcessor(),
      new BatchSpanProcessor(options.exporter ?? new ConsoleSpanExporter()),
    ],
  });
  provider.register(); // global tracer + AsyncLocalStorage context manager
  registerTelemetry(new OpenTelemetry());
  try {
    const tags = {
      userId: options.userId ?? 'user-7',
      tenantId: options.tenantId ?? 'globex',
    };
    const result = await withAttribution(tags, () =>
      generateText({
        model: options.model ?? mockModel(),
        prompt: 'Classify this ticket: "refund not received".',
      }),
    );
    return result.text;
  } finally {
    await provider.shutdown();
  }
}

/** Stands in for `anthropic('claude-sonnet-4-5')`: 3,000 input tokens (2,000 cache reads, 500 cache writes), 400 output. */
function mockModel(): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    provider: 'anthropic.messages',
    modelId: 'claude-sonnet-4-5',
    doGenerate: () =>
      Promise.resolve({
        content: [{ type: 'text', text: 'billing' }],
        finishReason: { unified: 'stop', raw: 'end_turn' },
        usage: {
          inputTokens: {
            total: 3000,
            noCache: 500,
            cacheRead: 2000,
            cacheWrite: 500,
          },
          outputTokens: { total: 400, text: 400, reasoning: 0 },
        },
        warnings: [],
        response: {
          id: 'msg-example',
          modelId: 'claude-sonnet-4-5',
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

/**
 * AI SDK v4 (`ai@4`, npm alias `ai-v4`) with its built-in telemetry, driving
 * `MockLanguageModelV1` / `MockEmbeddingModelV1`.
 *
 * v4 shapes that matter here: usage is `{promptTokens, completionTokens}`;
 * cache and reasoning counts exist only inside `ai.response.providerMetadata`
 * (OpenAI: `openai.cachedPromptTokens` / `openai.reasoningTokens` as written
 * by `@ai-sdk/openai@1`; Anthropic: `anthropic.cacheReadInputTokens` /
 * `anthropic.cacheCreationInputTokens` as written by `@ai-sdk/anthropic@1`,
 * whose `promptTokens` EXCLUDES the cache tokens). The outer `ai.generateText`
 * carries the LAST step's usage, so a tool loop would be over-counted if it
 * were priced. `ai.generateObject.doGenerate` writes the deprecated
 * `gen_ai.usage.prompt_tokens` / `completion_tokens` keys.
 */
import type { Tracer } from '@opentelemetry/api';
import {
  embed,
  embedMany,
  generateObject,
  generateText,
  streamText,
  tool,
} from 'ai-v4';
import {
  MockEmbeddingModelV1,
  MockLanguageModelV1,
  simulateReadableStream,
} from 'ai-v4/test';
import { z } from 'zod';
import { CLAUDE_3_5_HAIKU } from '../../helpers/prices.js';
import { inSequence } from '../../helpers/sequence.js';
import type { AiSdkMajor, Tokens } from './ai-sdk-major.js';
import {
  AI_SPAN_NAMES,
  experimentalTelemetry,
  isAiCall,
} from './ai-span-names.js';

type GenerateResult = Awaited<ReturnType<MockLanguageModelV1['doGenerate']>>;
type StreamResult = Awaited<ReturnType<MockLanguageModelV1['doStream']>>;
type StreamPart =
  StreamResult['stream'] extends ReadableStream<infer P> ? P : never;
type ProviderMetadata = GenerateResult['providerMetadata'];
type LanguageModel = Parameters<typeof generateText>[0]['model'];

const RAW_CALL = { rawPrompt: null, rawSettings: {} };

/**
 * `MockLanguageModelV1` declares `supportsStructuredOutputs: boolean |
 * undefined`, which this repo's `exactOptionalPropertyTypes` rejects against
 * `LanguageModelV1` (`supportsStructuredOutputs?: boolean`); it is the same
 * object at runtime.
 */
function languageModel(
  options: ConstructorParameters<typeof MockLanguageModelV1>[0],
): LanguageModel {
  return new MockLanguageModelV1(options) as unknown as LanguageModel;
}

function textResult(
  { input, output }: Tokens,
  options: {
    providerMetadata?: ProviderMetadata;
    modelId?: string;
    text?: string;
  } = {},
): GenerateResult {
  return {
    text: options.text ?? 'It is sunny.',
    finishReason: 'stop',
    usage: { promptTokens: input, completionTokens: output },
    rawCall: RAW_CALL,
    ...(options.providerMetadata
      ? { providerMetadata: options.providerMetadata }
      : {}),
    response: {
      id: 'resp-1',
      modelId: options.modelId ?? 'gpt-4o-mini-2024-07-18',
      timestamp: new Date(0),
    },
  };
}

function streamResult({ input, output }: Tokens): StreamResult {
  const chunks: StreamPart[] = [
    {
      type: 'response-metadata',
      id: 'resp-2',
      modelId: 'gpt-4o-mini-2024-07-18',
    },
    { type: 'text-delta', textDelta: 'It is ' },
    { type: 'text-delta', textDelta: 'sunny.' },
    {
      type: 'finish',
      finishReason: 'stop',
      usage: { promptTokens: input, completionTokens: output },
    },
  ];
  return {
    stream: simulateReadableStream({ chunks, chunkDelayInMs: null }),
    rawCall: RAW_CALL,
  };
}

function openAiModel(
  options: Partial<ConstructorParameters<typeof MockLanguageModelV1>[0]>,
): LanguageModel {
  return languageModel({
    provider: 'openai.chat',
    modelId: 'gpt-4o-mini',
    ...options,
  });
}

function embeddingModel(): MockEmbeddingModelV1<string> {
  return new MockEmbeddingModelV1<string>({
    provider: 'openai.embedding',
    modelId: 'text-embedding-3-small',
    maxEmbeddingsPerCall: 2,
    // 10 tokens per value, so the two embedMany batches are 20 and 10 tokens.
    doEmbed: ({ values }) =>
      Promise.resolve({
        embeddings: values.map(() => [0.1, 0.2]),
        usage: { tokens: 10 * values.length },
      }),
  });
}

function anthropicCache(uncached: number) {
  return {
    label: `generateText, ${uncached} uncached`,
    names: AI_SPAN_NAMES.generateText,
    rates: CLAUDE_3_5_HAIKU,
    uncached,
    callAttributes: {},
    // @ai-sdk/anthropic@1 semantics: promptTokens = usage.input_tokens = the
    // UNCACHED tokens; 3000 cache reads and 1000 cache writes come on top.
    // With 6000 uncached, promptTokens is larger than the cache counts, so
    // a "subtract when it fits" heuristic would under-charge.
    async run(tracer: Tracer | undefined) {
      const model = languageModel({
        provider: 'anthropic.messages',
        modelId: 'claude-3-5-haiku-20241022',
        doGenerate: inSequence(
          textResult(
            { input: uncached, output: 400 },
            {
              providerMetadata: {
                anthropic: {
                  cacheCreationInputTokens: 1000,
                  cacheReadInputTokens: 3000,
                },
              },
              modelId: 'claude-3-5-haiku-20241022',
            },
          ),
        ),
      });
      await generateText({
        model,
        prompt: 'Summarise the cached document.',
        experimental_telemetry: experimentalTelemetry(tracer),
      });
    },
  };
}

export const AI_SDK_V4: AiSdkMajor = {
  label: 'AI SDK v4',
  scope: 'ai',
  isCall: isAiCall,
  names: AI_SPAN_NAMES,
  async generateText(tokens, tracer, modelId = 'gpt-4o-mini') {
    const model = openAiModel({
      modelId,
      doGenerate: inSequence(
        textResult(tokens, modelId === 'gpt-4o-mini' ? {} : { modelId }),
      ),
    });
    await generateText({
      model,
      prompt: 'Weather in Paris?',
      experimental_telemetry: experimentalTelemetry(tracer),
    });
  },
  async streamText(tokens, tracer) {
    const result = streamText({
      model: openAiModel({ doStream: inSequence(streamResult(tokens)) }),
      prompt: 'Weather in Paris?',
      experimental_telemetry: experimentalTelemetry(tracer),
    });
    await result.consumeStream();
    return result.text;
  },
  async generateObject(tokens, tracer) {
    const model = openAiModel({
      defaultObjectGenerationMode: 'json',
      doGenerate: inSequence(
        textResult(tokens, { text: '{"city":"Paris","celsius":21}' }),
      ),
    });
    const { object } = await generateObject({
      model,
      schema: z.object({ city: z.string(), celsius: z.number() }),
      prompt: 'Weather in Paris as JSON',
      experimental_telemetry: experimentalTelemetry(tracer),
    });
    return object;
  },
  async embed(tracer) {
    await embed({
      model: embeddingModel(),
      value: 'sunny day',
      experimental_telemetry: experimentalTelemetry(tracer),
    });
  },
  async embedMany(tracer) {
    const { embeddings } = await embedMany({
      model: embeddingModel(),
      values: ['a', 'b', 'c'],
      experimental_telemetry: experimentalTelemetry(tracer),
    });
    return embeddings.length;
  },
  async toolLoop([first, second], tracer) {
    const step1: GenerateResult = {
      toolCalls: [
        {
          toolCallType: 'function',
          toolCallId: 'call-1',
          toolName: 'weather',
          args: '{"city":"Paris"}',
        },
      ],
      finishReason: 'tool-calls',
      usage: { promptTokens: first.input, completionTokens: first.output },
      rawCall: RAW_CALL,
    };
    const result = await generateText({
      model: openAiModel({
        doGenerate: inSequence(step1, textResult(second)),
      }),
      prompt: 'Weather in Paris?',
      maxSteps: 5,
      tools: {
        weather: tool({
          parameters: z.object({ city: z.string() }),
          execute: () => Promise.resolve('sunny'),
        }),
      },
      experimental_telemetry: experimentalTelemetry(tracer),
    });
    return result.steps.length;
  },
  // The outer span carries the last step's usage only.
  toolLoopRoot: { attribute: 'ai.usage.promptTokens', value: 1500 },
  generateObjectCallAttributes: { 'gen_ai.usage.prompt_tokens': 800 },
  embedManyRootAttributes: { 'ai.usage.tokens': 30 },
  openAiCache: {
    names: AI_SPAN_NAMES.generateText,
    callAttributes: {},
    // @ai-sdk/openai@1 semantics: promptTokens (1000) includes the 600 cached
    // tokens; completionTokens (300) includes the 100 reasoning tokens.
    async run(tracer) {
      const model = openAiModel({
        doGenerate: inSequence(
          textResult(
            { input: 1000, output: 300 },
            {
              providerMetadata: {
                openai: { cachedPromptTokens: 600, reasoningTokens: 100 },
              },
            },
          ),
        ),
      });
      await generateText({
        model,
        prompt: 'Weather in Paris?',
        experimental_telemetry: experimentalTelemetry(tracer),
      });
    },
  },
  anthropicCache: [anthropicCache(200), anthropicCache(6000)],
};

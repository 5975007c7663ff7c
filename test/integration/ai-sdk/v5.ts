/**
 * AI SDK v5 (`ai@5`, npm alias `ai-v5`) with its built-in telemetry, driving
 * `MockLanguageModelV2` / `MockEmbeddingModelV2`.
 *
 * v5 shapes that matter here: usage is `{inputTokens, outputTokens,
 * totalTokens, cachedInputTokens, reasoningTokens}`, but only the streamText
 * spans write `ai.usage.cachedInputTokens` / `ai.usage.reasoningTokens`;
 * generateText/generateObject spans write only `ai.usage.promptTokens` /
 * `completionTokens` (plus `ai.response.providerMetadata`). With
 * `@ai-sdk/anthropic@2`, `inputTokens` EXCLUDES cache tokens, cache reads are
 * `cachedInputTokens` and cache writes appear only in providerMetadata
 * (`anthropic.cacheCreationInputTokens`, `anthropic.usage.*`). The outer
 * `ai.generateText` carries the LAST step's usage.
 */
import type { Tracer } from '@opentelemetry/api';
import {
  embed,
  embedMany,
  generateObject,
  generateText,
  simulateReadableStream,
  stepCountIs,
  streamText,
  tool,
} from 'ai-v5';
import { MockEmbeddingModelV2, MockLanguageModelV2 } from 'ai-v5/test';
import { z } from 'zod';
import { CLAUDE_3_5_HAIKU } from '../../helpers/prices.js';
import { inSequence } from '../../helpers/sequence.js';
import type { AiSdkMajor, AnthropicCacheCase, Tokens } from './ai-sdk-major.js';
import {
  AI_SPAN_NAMES,
  experimentalTelemetry,
  isAiCall,
} from './ai-span-names.js';

type GenerateResult = Awaited<ReturnType<MockLanguageModelV2['doGenerate']>>;
type StreamResult = Awaited<ReturnType<MockLanguageModelV2['doStream']>>;
type StreamPart =
  StreamResult['stream'] extends ReadableStream<infer P> ? P : never;
type Usage = GenerateResult['usage'];
type ProviderMetadata = GenerateResult['providerMetadata'];

function usage({ input, output }: Tokens, extra: Partial<Usage> = {}): Usage {
  return {
    inputTokens: input,
    outputTokens: output,
    totalTokens: input + output,
    ...extra,
  };
}

interface ResultOptions {
  providerMetadata?: ProviderMetadata;
  modelId?: string;
  text?: string;
}

function textResult(
  callUsage: Usage,
  options: ResultOptions = {},
): GenerateResult {
  return {
    content: [{ type: 'text', text: options.text ?? 'It is sunny.' }],
    finishReason: 'stop',
    usage: callUsage,
    warnings: [],
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

function streamResult(
  callUsage: Usage,
  options: ResultOptions = {},
): StreamResult {
  const chunks: StreamPart[] = [
    { type: 'stream-start', warnings: [] },
    {
      type: 'response-metadata',
      id: 'resp-2',
      modelId: options.modelId ?? 'gpt-4o-mini-2024-07-18',
    },
    { type: 'text-start', id: 't1' },
    { type: 'text-delta', id: 't1', delta: 'It is ' },
    { type: 'text-delta', id: 't1', delta: 'sunny.' },
    { type: 'text-end', id: 't1' },
    {
      type: 'finish',
      finishReason: 'stop',
      usage: callUsage,
      ...(options.providerMetadata
        ? { providerMetadata: options.providerMetadata }
        : {}),
    },
  ];
  return { stream: simulateReadableStream({ chunks, chunkDelayInMs: null }) };
}

function model(
  options: Partial<ConstructorParameters<typeof MockLanguageModelV2>[0]>,
): MockLanguageModelV2 {
  return new MockLanguageModelV2({
    provider: 'openai.chat',
    modelId: 'gpt-4o-mini',
    ...options,
  });
}

function embeddingModel(): MockEmbeddingModelV2<string> {
  return new MockEmbeddingModelV2<string>({
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

/**
 * An Anthropic cache call in `@ai-sdk/anthropic@2` shape: `uncached` input
 * tokens (`inputTokens`), 3000 cache reads (`cachedInputTokens`), 1000 cache
 * writes (providerMetadata only), 400 output tokens. With 6000 uncached the
 * input is larger than the cache counts, so a "subtract when it fits"
 * heuristic would under-charge.
 */
function anthropicCache(
  uncached: number,
  via: 'generateText' | 'streamText',
): AnthropicCacheCase {
  const callUsage = usage(
    { input: uncached, output: 400 },
    { cachedInputTokens: 3000 },
  );
  const options: ResultOptions = {
    modelId: 'claude-3-5-haiku-20241022',
    providerMetadata: {
      anthropic: {
        usage: {
          input_tokens: uncached,
          output_tokens: 400,
          cache_creation_input_tokens: 1000,
          cache_read_input_tokens: 3000,
        },
        cacheCreationInputTokens: 1000,
      },
    },
  };
  const anthropic = {
    provider: 'anthropic.messages',
    modelId: 'claude-3-5-haiku-20241022',
  };
  const prompt = 'Summarise the cached document.';
  const base = { rates: CLAUDE_3_5_HAIKU, uncached };
  if (via === 'generateText') {
    return {
      ...base,
      label: `generateText, ${uncached} uncached: cache read + write only in providerMetadata`,
      names: AI_SPAN_NAMES.generateText,
      // v5 generateText: no ai.usage.cachedInputTokens on the span, only promptTokens.
      callAttributes: {
        'ai.usage.promptTokens': uncached,
        'ai.usage.cachedInputTokens': undefined,
      },
      async run(tracer: Tracer | undefined) {
        await generateText({
          model: model({
            ...anthropic,
            doGenerate: inSequence(textResult(callUsage, options)),
          }),
          prompt,
          experimental_telemetry: experimentalTelemetry(tracer),
        });
      },
    };
  }
  return {
    ...base,
    label: `streamText, ${uncached} uncached: cachedInputTokens + providerMetadata`,
    names: AI_SPAN_NAMES.streamText,
    callAttributes: {
      'ai.usage.inputTokens': uncached,
      'ai.usage.cachedInputTokens': 3000,
    },
    async run(tracer: Tracer | undefined) {
      const result = streamText({
        model: model({
          ...anthropic,
          doStream: inSequence(streamResult(callUsage, options)),
        }),
        prompt,
        experimental_telemetry: experimentalTelemetry(tracer),
      });
      await result.consumeStream();
    },
  };
}

export const AI_SDK_V5: AiSdkMajor = {
  label: 'AI SDK v5',
  scope: 'ai',
  isCall: isAiCall,
  names: AI_SPAN_NAMES,
  async generateText(tokens, tracer, modelId = 'gpt-4o-mini') {
    await generateText({
      model: model({
        modelId,
        doGenerate: inSequence(
          textResult(
            usage(tokens),
            modelId === 'gpt-4o-mini' ? {} : { modelId },
          ),
        ),
      }),
      prompt: 'Weather in Paris?',
      experimental_telemetry: experimentalTelemetry(tracer),
    });
  },
  async streamText(tokens, tracer) {
    const result = streamText({
      model: model({ doStream: inSequence(streamResult(usage(tokens))) }),
      prompt: 'Weather in Paris?',
      experimental_telemetry: experimentalTelemetry(tracer),
    });
    await result.consumeStream();
    return result.text;
  },
  async generateObject(tokens, tracer) {
    const { object } = await generateObject({
      model: model({
        doGenerate: inSequence(
          textResult(usage(tokens), { text: '{"city":"Paris","celsius":21}' }),
        ),
      }),
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
      content: [
        {
          type: 'tool-call',
          toolCallId: 'call-1',
          toolName: 'weather',
          input: '{"city":"Paris"}',
        },
      ],
      finishReason: 'tool-calls',
      usage: usage(first),
      warnings: [],
    };
    const result = await generateText({
      model: model({
        doGenerate: inSequence(step1, textResult(usage(second))),
      }),
      prompt: 'Weather in Paris?',
      stopWhen: stepCountIs(5),
      tools: {
        weather: tool({
          inputSchema: z.object({ city: z.string() }),
          execute: () => Promise.resolve('sunny'),
        }),
      },
      experimental_telemetry: experimentalTelemetry(tracer),
    });
    return result.steps.length;
  },
  // The outer span carries the last step's usage only.
  toolLoopRoot: { attribute: 'ai.usage.promptTokens', value: 1500 },
  generateObjectCallAttributes: {},
  embedManyRootAttributes: { 'ai.usage.tokens': 30 },
  openAiCache: {
    // Only the v5 streamText spans carry cachedInputTokens/reasoningTokens.
    names: AI_SPAN_NAMES.streamText,
    callAttributes: { 'ai.usage.cachedInputTokens': 600 },
    // OpenAI semantics: inputTokens (1000) includes the 600 cached tokens;
    // outputTokens (300) includes the 100 reasoning tokens.
    async run(tracer) {
      const result = streamText({
        model: model({
          doStream: inSequence(
            streamResult(
              usage(
                { input: 1000, output: 300 },
                { cachedInputTokens: 600, reasoningTokens: 100 },
              ),
            ),
          ),
        }),
        prompt: 'Weather in Paris?',
        experimental_telemetry: experimentalTelemetry(tracer),
      });
      await result.consumeStream();
    },
  },
  anthropicCache: [200, 6000].flatMap(uncached => [
    anthropicCache(uncached, 'generateText'),
    anthropicCache(uncached, 'streamText'),
  ]),
};

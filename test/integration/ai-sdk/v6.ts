/**
 * AI SDK v6 (`ai@6`, npm alias `ai-v6`) with its built-in telemetry, driving
 * `MockLanguageModelV3` / `MockEmbeddingModelV3`.
 *
 * The generateText/streamText spans write `ai.usage.inputTokenDetails.*` /
 * `ai.usage.outputTokenDetails.*`; generateObject spans only
 * `ai.usage.promptTokens` / `completionTokens`. The outer `ai.generateText`
 * carries the SUM of all steps. Usage shapes: `./v6-v7-results.ts`.
 */
import {
  embed,
  embedMany,
  generateObject,
  generateText,
  simulateReadableStream,
  stepCountIs,
  streamText,
  tool,
} from 'ai-v6';
import { MockEmbeddingModelV3, MockLanguageModelV3 } from 'ai-v6/test';
import { z } from 'zod';
import { CLAUDE_SONNET_4_5 } from '../../helpers/prices.js';
import { inSequence } from '../../helpers/sequence.js';
import type { AiSdkMajor } from './ai-sdk-major.js';
import {
  AI_SPAN_NAMES,
  experimentalTelemetry,
  isAiCall,
} from './ai-span-names.js';
import {
  ANTHROPIC_CACHE_USAGE,
  OPENAI_CACHE_USAGE,
  plainUsage,
  streamParts,
  textResult,
  toolCallResult,
  type StreamResult,
  type Usage,
} from './v6-v7-results.js';

function streamResult(
  callUsage: Usage,
  options: { modelId?: string } = {},
): StreamResult {
  return {
    stream: simulateReadableStream({
      chunks: streamParts(callUsage, options),
      chunkDelayInMs: null,
    }),
  };
}

function model(
  options: Partial<ConstructorParameters<typeof MockLanguageModelV3>[0]>,
): MockLanguageModelV3 {
  return new MockLanguageModelV3({
    provider: 'openai.chat',
    modelId: 'gpt-4o-mini',
    ...options,
  });
}

function embeddingModel(): MockEmbeddingModelV3 {
  return new MockEmbeddingModelV3({
    provider: 'openai.embedding',
    modelId: 'text-embedding-3-small',
    maxEmbeddingsPerCall: 2,
    // 10 tokens per value, so the two embedMany batches are 20 and 10 tokens.
    doEmbed: ({ values }) =>
      Promise.resolve({
        embeddings: values.map(() => [0.1, 0.2]),
        usage: { tokens: 10 * values.length },
        warnings: [],
      }),
  });
}

export const AI_SDK_V6: AiSdkMajor = {
  label: 'AI SDK v6',
  scope: 'ai',
  isCall: isAiCall,
  names: AI_SPAN_NAMES,
  async generateText(tokens, tracer, modelId = 'gpt-4o-mini') {
    await generateText({
      model: model({
        modelId,
        doGenerate: inSequence(
          textResult(
            plainUsage(tokens),
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
      model: model({ doStream: inSequence(streamResult(plainUsage(tokens))) }),
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
          textResult(plainUsage(tokens), {
            text: '{"city":"Paris","celsius":21}',
          }),
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
    const result = await generateText({
      model: model({
        doGenerate: inSequence(
          toolCallResult(first),
          textResult(plainUsage(second)),
        ),
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
  // The outer span carries the sum of both steps.
  toolLoopRoot: { attribute: 'ai.usage.inputTokens', value: 2500 },
  generateObjectCallAttributes: {},
  embedManyRootAttributes: { 'ai.usage.tokens': 30 },
  openAiCache: {
    names: AI_SPAN_NAMES.generateText,
    callAttributes: {
      'ai.usage.inputTokenDetails.cacheReadTokens': 600,
      'ai.usage.outputTokenDetails.reasoningTokens': 100,
    },
    async run(tracer) {
      await generateText({
        model: model({
          doGenerate: inSequence(textResult(OPENAI_CACHE_USAGE)),
        }),
        prompt: 'Weather in Paris?',
        experimental_telemetry: experimentalTelemetry(tracer),
      });
    },
  },
  anthropicCache: [
    {
      label:
        'streamText, thinking: input total includes cache, so cache is subtracted, not added',
      names: AI_SPAN_NAMES.streamText,
      rates: CLAUDE_SONNET_4_5,
      uncached: 200,
      callAttributes: {
        'ai.usage.inputTokens': 4200,
        'ai.usage.inputTokenDetails.cacheWriteTokens': 1000,
      },
      async run(tracer) {
        const modelId = 'claude-sonnet-4-5-20250929';
        const result = streamText({
          model: model({
            provider: 'anthropic.messages',
            modelId,
            doStream: inSequence(
              streamResult(ANTHROPIC_CACHE_USAGE, { modelId }),
            ),
          }),
          prompt: 'Summarise the cached document.',
          experimental_telemetry: experimentalTelemetry(tracer),
        });
        await result.consumeStream();
      },
    },
  ],
};

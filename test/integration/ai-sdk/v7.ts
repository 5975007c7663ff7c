/**
 * AI SDK v7 (`ai@7`) with `@ai-sdk/otel`, driving `MockLanguageModelV4` /
 * `MockEmbeddingModelV4`, through both integrations (two rows of the table):
 *
 * - `OpenTelemetry` (GenAI semconv, scope `gen_ai`): `invoke_agent` →
 *   `step n` → `chat` (+ `execute_tool`); `embeddings` root → `embeddings`
 *   child per provider call. Only `chat` and the child `embeddings` spans are
 *   provider calls; `invoke_agent` carries the SUM of all steps and the root
 *   `embeddings` span has no usage.
 * - `LegacyOpenTelemetry` (scope `ai`): the v4–v6 `ai.*` family; the outer
 *   `ai.generateText` carries the SUM of all steps.
 *
 * Integrations are passed per call (`telemetry.integrations`) with the given
 * tracer; without one, `useGlobal()` registers them (`registerTelemetry`).
 * Usage shapes: `./v6-v7-results.ts`.
 */
import type { Tracer } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { LegacyOpenTelemetry, OpenTelemetry } from '@ai-sdk/otel';
import {
  embed,
  embedMany,
  generateObject,
  generateText,
  isStepCount,
  registerTelemetry,
  simulateReadableStream,
  streamText,
  tool,
} from 'ai';
import type { Telemetry } from 'ai';
import { MockEmbeddingModelV4, MockLanguageModelV4 } from 'ai/test';
import { z } from 'zod';
import { CLAUDE_3_5_HAIKU, CLAUDE_SONNET_4_5 } from '../../helpers/prices.js';
import type { TokenRates } from '../../helpers/prices.js';
import { inSequence } from '../../helpers/sequence.js';
import type { AiSdkMajor, Names } from './ai-sdk-major.js';
import { AI_SPAN_NAMES, isAiCall } from './ai-span-names.js';
import {
  ANTHROPIC_CACHE_USAGE,
  OPENAI_CACHE_USAGE,
  plainUsage,
  streamParts,
  textResult as v6TextResult,
  toolCallResult as v6ToolCallResult,
  type GenerateResult as V6GenerateResult,
  type Usage,
} from './v6-v7-results.js';

// generateObject is deprecated in v7 and still covered here; keep the run quiet.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

type GenerateResult = Awaited<ReturnType<MockLanguageModelV4['doGenerate']>>;
type StreamResult = Awaited<ReturnType<MockLanguageModelV4['doStream']>>;
type StreamPart =
  StreamResult['stream'] extends ReadableStream<infer P> ? P : never;

/**
 * The v6 answers, as v7 answers: the objects are the same; the types differ
 * only in file parts (which these answers never hold).
 */
const asV7 = (result: V6GenerateResult): GenerateResult =>
  result as unknown as GenerateResult;

export function textResult(
  ...args: Parameters<typeof v6TextResult>
): GenerateResult {
  return asV7(v6TextResult(...args));
}

interface Integration {
  readonly label: string;
  readonly scope: string;
  create(options: { tracer?: Tracer }): Telemetry;
  isCall(span: ReadableSpan): boolean;
  readonly names: AiSdkMajor['names'];
  readonly toolLoopRootAttribute: string;
  readonly anthropic: { readonly modelId: string; readonly rates: TokenRates };
}

const GEN_AI: Integration = {
  label: 'AI SDK v7 OpenTelemetry() (GenAI semconv spans)',
  scope: 'gen_ai',
  create: options => new OpenTelemetry(options),
  // `chat` spans, and `embeddings` spans that have an `embeddings` parent
  // (the root `embeddings` span is the roll-up).
  isCall: span => {
    const operation = span.attributes['gen_ai.operation.name'];
    return (
      operation === 'chat' ||
      (operation === 'embeddings' && span.parentSpanContext !== undefined)
    );
  },
  names: {
    generateText: {
      calls: ['chat gpt-4o-mini'],
      wrappers: ['invoke_agent gpt-4o-mini', 'step 1'],
    },
    streamText: {
      calls: ['chat gpt-4o-mini'],
      wrappers: ['invoke_agent gpt-4o-mini', 'step 1'],
    },
    generateObject: {
      calls: ['chat gpt-4o-mini'],
      wrappers: ['invoke_agent gpt-4o-mini'],
    },
    embed: {
      calls: ['embeddings text-embedding-3-small'],
      wrappers: ['embeddings text-embedding-3-small'],
    },
    embedMany: {
      calls: [
        'embeddings text-embedding-3-small',
        'embeddings text-embedding-3-small',
      ],
      wrappers: ['embeddings text-embedding-3-small'],
    },
    toolLoop: {
      calls: ['chat gpt-4o-mini', 'chat gpt-4o-mini'],
      wrappers: [
        'execute_tool weather',
        'invoke_agent gpt-4o-mini',
        'step 1',
        'step 2',
      ],
    },
  },
  toolLoopRootAttribute: 'gen_ai.usage.input_tokens',
  anthropic: {
    modelId: 'claude-sonnet-4-5-20250929',
    rates: CLAUDE_SONNET_4_5,
  },
};

const LEGACY: Integration = {
  label: 'AI SDK v7 LegacyOpenTelemetry() (ai.* spans)',
  scope: 'ai',
  create: options => new LegacyOpenTelemetry(options),
  isCall: isAiCall,
  names: AI_SPAN_NAMES,
  toolLoopRootAttribute: 'ai.usage.inputTokens',
  anthropic: { modelId: 'claude-3-5-haiku-20241022', rates: CLAUDE_3_5_HAIKU },
};

function streamResult(
  callUsage: Usage,
  options: { modelId?: string } = {},
): StreamResult {
  return {
    stream: simulateReadableStream({
      chunks: streamParts(callUsage, options) as unknown as StreamPart[],
      chunkDelayInMs: null,
    }),
  };
}

function model(
  options: Partial<ConstructorParameters<typeof MockLanguageModelV4>[0]>,
): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    provider: 'openai.chat',
    modelId: 'gpt-4o-mini',
    ...options,
  });
}

function embeddingModel(): MockEmbeddingModelV4 {
  return new MockEmbeddingModelV4({
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

function withModel(names: Names, modelId: string): Names {
  return {
    calls: names.calls.map(name => name.replace('gpt-4o-mini', modelId)),
    wrappers: names.wrappers.map(name => name.replace('gpt-4o-mini', modelId)),
  };
}

function v7Major(integration: Integration): AiSdkMajor {
  const telemetry = (tracer: Tracer | undefined) =>
    tracer === undefined
      ? { functionId: 'weather-bot' }
      : {
          functionId: 'weather-bot',
          integrations: [integration.create({ tracer })],
        };
  const { modelId: anthropicModel, rates } = integration.anthropic;
  return {
    label: integration.label,
    scope: integration.scope,
    isCall: integration.isCall,
    names: integration.names,
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
        telemetry: telemetry(tracer),
      });
    },
    async streamText(tokens, tracer) {
      const result = streamText({
        model: model({
          doStream: inSequence(streamResult(plainUsage(tokens))),
        }),
        prompt: 'Weather in Paris?',
        telemetry: telemetry(tracer),
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
        telemetry: telemetry(tracer),
      });
      return object;
    },
    async embed(tracer) {
      await embed({
        model: embeddingModel(),
        value: 'sunny day',
        telemetry: telemetry(tracer),
      });
    },
    async embedMany(tracer) {
      const { embeddings } = await embedMany({
        model: embeddingModel(),
        values: ['a', 'b', 'c'],
        telemetry: telemetry(tracer),
      });
      return embeddings.length;
    },
    async toolLoop([first, second], tracer) {
      const result = await generateText({
        model: model({
          doGenerate: inSequence(
            asV7(v6ToolCallResult(first)),
            textResult(plainUsage(second)),
          ),
        }),
        prompt: 'Weather in Paris?',
        stopWhen: isStepCount(5),
        tools: {
          weather: tool({
            inputSchema: z.object({ city: z.string() }),
            execute: () => Promise.resolve('sunny'),
          }),
        },
        telemetry: telemetry(tracer),
      });
      return result.steps.length;
    },
    // The outer span carries the sum of both steps.
    toolLoopRoot: { attribute: integration.toolLoopRootAttribute, value: 2500 },
    generateObjectCallAttributes: {},
    embedManyRootAttributes: {},
    openAiCache: {
      names: integration.names.generateText,
      callAttributes: {},
      async run(tracer) {
        await generateText({
          model: model({
            doGenerate: inSequence(textResult(OPENAI_CACHE_USAGE)),
          }),
          prompt: 'Weather in Paris?',
          telemetry: telemetry(tracer),
        });
      },
    },
    anthropicCache: [
      {
        label: `streamText, ${anthropicModel}, thinking: input total includes cache, so cache is subtracted, not added`,
        names: withModel(integration.names.streamText, anthropicModel),
        rates,
        uncached: 200,
        callAttributes: {},
        async run(tracer) {
          const result = streamText({
            model: model({
              provider: 'anthropic.messages',
              modelId: anthropicModel,
              doStream: inSequence(
                streamResult(ANTHROPIC_CACHE_USAGE, {
                  modelId: anthropicModel,
                }),
              ),
            }),
            prompt: 'Summarise the cached document.',
            telemetry: telemetry(tracer),
          });
          await result.consumeStream();
        },
      },
    ],
    useGlobal() {
      registerTelemetry(integration.create({}));
    },
    resetGlobal() {
      // registerTelemetry() only appends to this global list and has no
      // unregister; clear it so the next test starts without integrations.
      (
        globalThis as { AI_SDK_TELEMETRY_INTEGRATIONS?: unknown }
      ).AI_SDK_TELEMETRY_INTEGRATIONS = undefined;
    },
  };
}

export const AI_SDK_V7_GEN_AI = v7Major(GEN_AI);
export const AI_SDK_V7_LEGACY = v7Major(LEGACY);

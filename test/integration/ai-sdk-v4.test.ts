/**
 * AI SDK v4 (`ai@4`, npm alias `ai-v4`) with its built-in telemetry: spans
 * come from the real SDK driving `MockLanguageModelV1` / `MockEmbeddingModelV1`.
 *
 * v4 shapes that matter here: usage is `{promptTokens, completionTokens}`;
 * cache and reasoning counts exist only inside `ai.response.providerMetadata`
 * (OpenAI: `openai.cachedPromptTokens` / `openai.reasoningTokens` as written
 * by `@ai-sdk/openai@1`; Anthropic: `anthropic.cacheReadInputTokens` /
 * `anthropic.cacheCreationInputTokens` as written by `@ai-sdk/anthropic@1`,
 * whose `promptTokens` EXCLUDES the cache tokens). The outer `ai.generateText`
 * carries the LAST step's usage, so a tool loop would be over-counted if it
 * were priced.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
import {
  expectNoCost,
  expectPricedSpan,
  expectTraceTotal,
} from '../helpers/cost-assertions.js';
import {
  CLAUDE_3_5_HAIKU,
  GPT_4O_MINI,
  TEXT_EMBEDDING_3_SMALL,
  expectedCost,
  sumCosts,
} from '../helpers/prices.js';
import { inSequence } from '../helpers/sequence.js';
import { onlySpanNamed, setupTracing, spansNamed } from '../helpers/tracing.js';
import type { TestTracing } from '../helpers/tracing.js';

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
  promptTokens: number,
  completionTokens: number,
  providerMetadata?: ProviderMetadata,
): GenerateResult {
  return {
    text: 'It is sunny.',
    finishReason: 'stop',
    usage: { promptTokens, completionTokens },
    rawCall: RAW_CALL,
    ...(providerMetadata ? { providerMetadata } : {}),
    response: {
      id: 'resp-1',
      modelId: 'gpt-4o-mini-2024-07-18',
      timestamp: new Date(0),
    },
  };
}

function streamResult(
  promptTokens: number,
  completionTokens: number,
): StreamResult {
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
      usage: { promptTokens, completionTokens },
    },
  ];
  return {
    stream: simulateReadableStream({ chunks, chunkDelayInMs: null }),
    rawCall: RAW_CALL,
  };
}

function gpt4oMini(options: {
  doGenerate?: MockLanguageModelV1['doGenerate'];
  doStream?: MockLanguageModelV1['doStream'];
}): LanguageModel {
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

let tracing: TestTracing;

beforeEach(() => {
  tracing = setupTracing();
});

afterEach(async () => {
  await tracing.shutdown();
});

function telemetry(tracerName = 'ai') {
  return {
    isEnabled: true,
    functionId: 'weather-bot',
    tracer: tracing.tracer(tracerName),
  };
}

describe('AI SDK v4 (openai.chat gpt-4o-mini, text-embedding-3-small)', () => {
  it('generateText: prices ai.generateText.doGenerate once, not ai.generateText', async () => {
    const model = gpt4oMini({ doGenerate: inSequence(textResult(1000, 300)) });
    await generateText({
      model,
      prompt: 'Weather in Paris?',
      experimental_telemetry: telemetry(),
    });

    const spans = await tracing.spans();
    const call = onlySpanNamed(spans, 'ai.generateText.doGenerate');
    const expected = expectedCost(GPT_4O_MINI, {
      uncachedInput: 1000,
      output: 300,
    });
    expectPricedSpan(call, expected, { parts: true });
    expectNoCost(onlySpanNamed(spans, 'ai.generateText'));
    expectTraceTotal(spans, [call], expected.total);
  });

  it('streamText: prices ai.streamText.doStream once, not ai.streamText', async () => {
    const model = gpt4oMini({ doStream: inSequence(streamResult(1000, 300)) });
    const result = streamText({
      model,
      prompt: 'Weather in Paris?',
      experimental_telemetry: telemetry(),
    });
    await result.consumeStream();
    expect(await result.text).toBe('It is sunny.');

    const spans = await tracing.spans();
    const call = onlySpanNamed(spans, 'ai.streamText.doStream');
    const expected = expectedCost(GPT_4O_MINI, {
      uncachedInput: 1000,
      output: 300,
    });
    expectPricedSpan(call, expected);
    expectNoCost(onlySpanNamed(spans, 'ai.streamText'));
    expectTraceTotal(spans, [call], expected.total);
  });

  it('generateObject: prices ai.generateObject.doGenerate (gen_ai.usage.prompt_tokens keys)', async () => {
    const model = languageModel({
      provider: 'openai.chat',
      modelId: 'gpt-4o-mini',
      defaultObjectGenerationMode: 'json',
      doGenerate: inSequence({
        ...textResult(800, 120),
        text: '{"city":"Paris","celsius":21}',
      }),
    });
    const { object } = await generateObject({
      model,
      schema: z.object({ city: z.string(), celsius: z.number() }),
      prompt: 'Weather in Paris as JSON',
      experimental_telemetry: telemetry(),
    });
    expect(object).toEqual({ city: 'Paris', celsius: 21 });

    const spans = await tracing.spans();
    const call = onlySpanNamed(spans, 'ai.generateObject.doGenerate');
    // v4 writes the deprecated gen_ai.usage.prompt_tokens/completion_tokens on this span.
    expect(call.attributes['gen_ai.usage.prompt_tokens']).toBe(800);
    const expected = expectedCost(GPT_4O_MINI, {
      uncachedInput: 800,
      output: 120,
    });
    expectPricedSpan(call, expected);
    expectNoCost(onlySpanNamed(spans, 'ai.generateObject'));
    expectTraceTotal(spans, [call], expected.total);
  });

  it('embed: prices ai.embed.doEmbed, not ai.embed', async () => {
    await embed({
      model: embeddingModel(),
      value: 'sunny day',
      experimental_telemetry: telemetry(),
    });

    const spans = await tracing.spans();
    const call = onlySpanNamed(spans, 'ai.embed.doEmbed');
    const expected = expectedCost(TEXT_EMBEDDING_3_SMALL, {
      uncachedInput: 10,
    });
    expectPricedSpan(call, expected, { parts: true });
    expectNoCost(onlySpanNamed(spans, 'ai.embed'));
    expectTraceTotal(spans, [call], expected.total);
  });

  it('embedMany: prices each ai.embedMany.doEmbed batch, not the ai.embedMany roll-up', async () => {
    const { embeddings } = await embedMany({
      model: embeddingModel(),
      values: ['a', 'b', 'c'],
      experimental_telemetry: telemetry(),
    });
    expect(embeddings).toHaveLength(3);

    const spans = await tracing.spans();
    const calls = spansNamed(spans, 'ai.embedMany.doEmbed');
    expect(calls).toHaveLength(2);
    const outer = onlySpanNamed(spans, 'ai.embedMany');
    expect(outer.attributes['ai.usage.tokens']).toBe(30);
    expectNoCost(outer);
    const expected = sumCosts(
      expectedCost(TEXT_EMBEDDING_3_SMALL, { uncachedInput: 20 }),
      expectedCost(TEXT_EMBEDDING_3_SMALL, { uncachedInput: 10 }),
    );
    expectTraceTotal(spans, calls, expected);
  });

  it('tool loop (2 steps): prices both doGenerate calls; outer (= last step usage) and ai.toolCall are not priced', async () => {
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
      usage: { promptTokens: 1000, completionTokens: 300 },
      rawCall: RAW_CALL,
    };
    const model = gpt4oMini({
      doGenerate: inSequence(step1, textResult(1500, 250)),
    });
    const result = await generateText({
      model,
      prompt: 'Weather in Paris?',
      maxSteps: 5,
      tools: {
        weather: tool({
          parameters: z.object({ city: z.string() }),
          execute: () => Promise.resolve('sunny'),
        }),
      },
      experimental_telemetry: telemetry(),
    });
    expect(result.steps).toHaveLength(2);

    const spans = await tracing.spans();
    const calls = spansNamed(spans, 'ai.generateText.doGenerate');
    expect(calls).toHaveLength(2);
    const outer = onlySpanNamed(spans, 'ai.generateText');
    expect(outer.attributes['ai.usage.promptTokens']).toBe(1500); // last step only
    expectNoCost(outer);
    expectNoCost(onlySpanNamed(spans, 'ai.toolCall'));
    const expected = sumCosts(
      expectedCost(GPT_4O_MINI, { uncachedInput: 1000, output: 300 }),
      expectedCost(GPT_4O_MINI, { uncachedInput: 1500, output: 250 }),
    );
    expectTraceTotal(spans, calls, expected);
  });

  it('OpenAI cache read + reasoning from providerMetadata: cached prompt tokens at the cached rate, reasoning inside output', async () => {
    // @ai-sdk/openai@1 semantics: promptTokens (1000) includes the 600 cached
    // tokens; completionTokens (300) includes the 100 reasoning tokens.
    const model = gpt4oMini({
      doGenerate: inSequence(
        textResult(1000, 300, {
          openai: { cachedPromptTokens: 600, reasoningTokens: 100 },
        }),
      ),
    });
    await generateText({
      model,
      prompt: 'Weather in Paris?',
      experimental_telemetry: telemetry(),
    });

    const spans = await tracing.spans();
    const call = onlySpanNamed(spans, 'ai.generateText.doGenerate');
    const expected = expectedCost(GPT_4O_MINI, {
      uncachedInput: 400,
      cacheRead: 600,
      output: 300,
    });
    expectPricedSpan(call, expected, { parts: true });
    expectNoCost(onlySpanNamed(spans, 'ai.generateText'));
    expectTraceTotal(spans, [call], expected.total);
  });

  it.each([
    { uncached: 200, note: 'less uncached input than cache' },
    { uncached: 6000, note: 'more uncached input than cache' },
  ])(
    'Anthropic cache read + write from providerMetadata ($note): promptTokens excludes cache, so cache is added, not subtracted',
    async ({ uncached }) => {
      // @ai-sdk/anthropic@1 semantics: promptTokens = usage.input_tokens = the
      // UNCACHED tokens; 3000 cache reads and 1000 cache writes come on top.
      // With 6000 uncached, promptTokens is larger than the cache counts, so
      // a "subtract when it fits" heuristic would under-charge.
      const model = languageModel({
        provider: 'anthropic.messages',
        modelId: 'claude-3-5-haiku-20241022',
        doGenerate: inSequence({
          ...textResult(uncached, 400, {
            anthropic: {
              cacheCreationInputTokens: 1000,
              cacheReadInputTokens: 3000,
            },
          }),
          response: {
            id: 'msg_01',
            modelId: 'claude-3-5-haiku-20241022',
            timestamp: new Date(0),
          },
        }),
      });
      await generateText({
        model,
        prompt: 'Summarise the cached document.',
        experimental_telemetry: telemetry(),
      });

      const spans = await tracing.spans();
      const call = onlySpanNamed(spans, 'ai.generateText.doGenerate');
      const expected = expectedCost(CLAUDE_3_5_HAIKU, {
        uncachedInput: uncached,
        cacheRead: 3000,
        cacheWrite: 1000,
        output: 400,
      });
      expectPricedSpan(call, expected, { parts: true });
      expectNoCost(onlySpanNamed(spans, 'ai.generateText'));
      expectTraceTotal(spans, [call], expected.total);
    },
  );

  it('does not depend on the tracer scope name (tracer passed as "weather-app")', async () => {
    const model = gpt4oMini({ doGenerate: inSequence(textResult(1000, 300)) });
    await generateText({
      model,
      prompt: 'Weather in Paris?',
      experimental_telemetry: telemetry('weather-app'),
    });

    const spans = await tracing.spans();
    const call = onlySpanNamed(spans, 'ai.generateText.doGenerate');
    expect(call.instrumentationScope.name).toBe('weather-app');
    expectTraceTotal(
      spans,
      [call],
      expectedCost(GPT_4O_MINI, { uncachedInput: 1000, output: 300 }).total,
    );
  });
});

describe('AI SDK v4 with the global tracer (no tracer passed)', () => {
  beforeEach(async () => {
    await tracing.shutdown();
    tracing = setupTracing({ registerGlobally: true });
  });

  it('prices the call made through the globally registered provider (scope "ai")', async () => {
    const model = gpt4oMini({ doGenerate: inSequence(textResult(1000, 300)) });
    await generateText({
      model,
      prompt: 'Weather in Paris?',
      experimental_telemetry: { isEnabled: true, functionId: 'weather-bot' },
    });

    const spans = await tracing.spans();
    const call = onlySpanNamed(spans, 'ai.generateText.doGenerate');
    expect(call.instrumentationScope.name).toBe('ai');
    expectNoCost(onlySpanNamed(spans, 'ai.generateText'));
    expectTraceTotal(
      spans,
      [call],
      expectedCost(GPT_4O_MINI, { uncachedInput: 1000, output: 300 }).total,
    );
  });
});

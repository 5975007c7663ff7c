/**
 * AI SDK v5 (`ai@5`, npm alias `ai-v5`) with its built-in telemetry: spans
 * come from the real SDK driving `MockLanguageModelV2` / `MockEmbeddingModelV2`.
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
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

type GenerateResult = Awaited<ReturnType<MockLanguageModelV2['doGenerate']>>;
type StreamResult = Awaited<ReturnType<MockLanguageModelV2['doStream']>>;
type StreamPart =
  StreamResult['stream'] extends ReadableStream<infer P> ? P : never;
type Usage = GenerateResult['usage'];
type ProviderMetadata = GenerateResult['providerMetadata'];

function usage(
  inputTokens: number,
  outputTokens: number,
  extra: Partial<Usage> = {},
): Usage {
  return {
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    ...extra,
  };
}

function textResult(
  callUsage: Usage,
  options: {
    providerMetadata?: ProviderMetadata;
    modelId?: string;
    text?: string;
  } = {},
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
  options: { providerMetadata?: ProviderMetadata; modelId?: string } = {},
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

function gpt4oMini(options: {
  doGenerate?: MockLanguageModelV2['doGenerate'];
  doStream?: MockLanguageModelV2['doStream'];
}): MockLanguageModelV2 {
  return new MockLanguageModelV2({
    provider: 'openai.chat',
    modelId: 'gpt-4o-mini',
    ...options,
  });
}

function claudeHaiku(options: {
  doGenerate?: MockLanguageModelV2['doGenerate'];
  doStream?: MockLanguageModelV2['doStream'];
}): MockLanguageModelV2 {
  return new MockLanguageModelV2({
    provider: 'anthropic.messages',
    modelId: 'claude-3-5-haiku-20241022',
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
function anthropicCacheCall(uncached: number) {
  return {
    usage: usage(uncached, 400, { cachedInputTokens: 3000 }),
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
    } satisfies ProviderMetadata,
    cost: expectedCost(CLAUDE_3_5_HAIKU, {
      uncachedInput: uncached,
      cacheRead: 3000,
      cacheWrite: 1000,
      output: 400,
    }),
  };
}

const ANTHROPIC_CASES = [
  { uncached: 200, note: 'less uncached input than cache' },
  { uncached: 6000, note: 'more uncached input than cache' },
];

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

describe('AI SDK v5 (openai.chat gpt-4o-mini, text-embedding-3-small)', () => {
  it('generateText: prices ai.generateText.doGenerate once, not ai.generateText', async () => {
    const model = gpt4oMini({
      doGenerate: inSequence(textResult(usage(1000, 300))),
    });
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
    const model = gpt4oMini({
      doStream: inSequence(streamResult(usage(1000, 300))),
    });
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

  it('generateObject: prices ai.generateObject.doGenerate, not ai.generateObject', async () => {
    const model = gpt4oMini({
      doGenerate: inSequence(
        textResult(usage(800, 120), { text: '{"city":"Paris","celsius":21}' }),
      ),
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
      content: [
        {
          type: 'tool-call',
          toolCallId: 'call-1',
          toolName: 'weather',
          input: '{"city":"Paris"}',
        },
      ],
      finishReason: 'tool-calls',
      usage: usage(1000, 300),
      warnings: [],
    };
    const model = gpt4oMini({
      doGenerate: inSequence(step1, textResult(usage(1500, 250))),
    });
    const result = await generateText({
      model,
      prompt: 'Weather in Paris?',
      stopWhen: stepCountIs(5),
      tools: {
        weather: tool({
          inputSchema: z.object({ city: z.string() }),
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

  it('OpenAI cache read + reasoning (streamText): cached tokens at the cached rate, reasoning inside output', async () => {
    // OpenAI semantics: inputTokens (1000) includes the 600 cached tokens;
    // outputTokens (300) includes the 100 reasoning tokens. Only the v5
    // streamText spans carry cachedInputTokens/reasoningTokens.
    const model = gpt4oMini({
      doStream: inSequence(
        streamResult(
          usage(1000, 300, { cachedInputTokens: 600, reasoningTokens: 100 }),
        ),
      ),
    });
    const result = streamText({
      model,
      prompt: 'Weather in Paris?',
      experimental_telemetry: telemetry(),
    });
    await result.consumeStream();

    const spans = await tracing.spans();
    const call = onlySpanNamed(spans, 'ai.streamText.doStream');
    expect(call.attributes['ai.usage.cachedInputTokens']).toBe(600);
    const expected = expectedCost(GPT_4O_MINI, {
      uncachedInput: 400,
      cacheRead: 600,
      output: 300,
    });
    expectPricedSpan(call, expected, { parts: true });
    expectNoCost(onlySpanNamed(spans, 'ai.streamText'));
    expectTraceTotal(spans, [call], expected.total);
  });

  it.each(ANTHROPIC_CASES)(
    'Anthropic cache (generateText, $note): cache read + write only in providerMetadata, input excludes them',
    async ({ uncached }) => {
      const call = anthropicCacheCall(uncached);
      const model = claudeHaiku({
        doGenerate: inSequence(
          textResult(call.usage, {
            providerMetadata: call.providerMetadata,
            modelId: 'claude-3-5-haiku-20241022',
          }),
        ),
      });
      await generateText({
        model,
        prompt: 'Summarise the cached document.',
        experimental_telemetry: telemetry(),
      });

      const spans = await tracing.spans();
      const span = onlySpanNamed(spans, 'ai.generateText.doGenerate');
      // v5 generateText: no ai.usage.cachedInputTokens on the span, only promptTokens.
      expect(span.attributes['ai.usage.promptTokens']).toBe(uncached);
      expect(span.attributes['ai.usage.cachedInputTokens']).toBeUndefined();
      expectPricedSpan(span, call.cost, { parts: true });
      expectNoCost(onlySpanNamed(spans, 'ai.generateText'));
      expectTraceTotal(spans, [span], call.cost.total);
    },
  );

  it.each(ANTHROPIC_CASES)(
    'Anthropic cache (streamText, $note): cachedInputTokens + providerMetadata, input excludes them',
    async ({ uncached }) => {
      const call = anthropicCacheCall(uncached);
      const model = claudeHaiku({
        doStream: inSequence(
          streamResult(call.usage, {
            providerMetadata: call.providerMetadata,
            modelId: 'claude-3-5-haiku-20241022',
          }),
        ),
      });
      const result = streamText({
        model,
        prompt: 'Summarise the cached document.',
        experimental_telemetry: telemetry(),
      });
      await result.consumeStream();

      const spans = await tracing.spans();
      const span = onlySpanNamed(spans, 'ai.streamText.doStream');
      expect(span.attributes['ai.usage.inputTokens']).toBe(uncached);
      expect(span.attributes['ai.usage.cachedInputTokens']).toBe(3000);
      expectPricedSpan(span, call.cost, { parts: true });
      expectNoCost(onlySpanNamed(spans, 'ai.streamText'));
      expectTraceTotal(spans, [span], call.cost.total);
    },
  );

  it('does not depend on the tracer scope name (tracer passed as "weather-app")', async () => {
    const model = gpt4oMini({
      doGenerate: inSequence(textResult(usage(1000, 300))),
    });
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

describe('AI SDK v5 with the global tracer (no tracer passed)', () => {
  beforeEach(async () => {
    await tracing.shutdown();
    tracing = setupTracing({ registerGlobally: true });
  });

  it('prices the call made through the globally registered provider (scope "ai")', async () => {
    const model = gpt4oMini({
      doGenerate: inSequence(textResult(usage(1000, 300))),
    });
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

/**
 * AI SDK v6 (`ai@6`, npm alias `ai-v6`) with its built-in telemetry: spans
 * come from the real SDK driving `MockLanguageModelV3` / `MockEmbeddingModelV3`.
 *
 * v6 shapes that matter here: usage is `{inputTokens: {total, noCache,
 * cacheRead, cacheWrite}, outputTokens: {total, text, reasoning}}` where
 * `inputTokens.total` INCLUDES cache reads and writes for every provider
 * (Anthropic included) and `outputTokens.total` includes reasoning. The
 * generateText/streamText spans write `ai.usage.inputTokenDetails.*` /
 * `ai.usage.outputTokenDetails.*`; generateObject spans only
 * `ai.usage.promptTokens` / `completionTokens`. The outer `ai.generateText`
 * carries the SUM of all steps.
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
} from 'ai-v6';
import { MockEmbeddingModelV3, MockLanguageModelV3 } from 'ai-v6/test';
import { z } from 'zod';
import {
  expectNoCost,
  expectPricedSpan,
  expectTraceTotal,
} from '../helpers/cost-assertions.js';
import {
  CLAUDE_SONNET_4_5,
  GPT_4O_MINI,
  TEXT_EMBEDDING_3_SMALL,
  expectedCost,
  sumCosts,
} from '../helpers/prices.js';
import { inSequence } from '../helpers/sequence.js';
import { onlySpanNamed, setupTracing, spansNamed } from '../helpers/tracing.js';
import type { TestTracing } from '../helpers/tracing.js';

type GenerateResult = Awaited<ReturnType<MockLanguageModelV3['doGenerate']>>;
type StreamResult = Awaited<ReturnType<MockLanguageModelV3['doStream']>>;
type StreamPart =
  StreamResult['stream'] extends ReadableStream<infer P> ? P : never;
type Usage = GenerateResult['usage'];

/** Usage without cache or reasoning. */
function plainUsage(input: number, output: number): Usage {
  return {
    inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: output, text: output, reasoning: 0 },
  };
}

function textResult(
  callUsage: Usage,
  options: { modelId?: string; text?: string } = {},
): GenerateResult {
  return {
    content: [{ type: 'text', text: options.text ?? 'It is sunny.' }],
    finishReason: { unified: 'stop', raw: 'stop' },
    usage: callUsage,
    warnings: [],
    response: {
      id: 'resp-1',
      modelId: options.modelId ?? 'gpt-4o-mini-2024-07-18',
      timestamp: new Date(0),
    },
  };
}

function streamResult(
  callUsage: Usage,
  options: { modelId?: string } = {},
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
      finishReason: { unified: 'stop', raw: 'stop' },
      usage: callUsage,
    },
  ];
  return { stream: simulateReadableStream({ chunks, chunkDelayInMs: null }) };
}

function gpt4oMini(options: {
  doGenerate?: MockLanguageModelV3['doGenerate'];
  doStream?: MockLanguageModelV3['doStream'];
}): MockLanguageModelV3 {
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

/**
 * OpenAI with prompt caching and reasoning: 1000 input of which 600 cached
 * (400 uncached), 300 output of which 100 reasoning.
 */
const OPENAI_CACHE_USAGE: Usage = {
  inputTokens: { total: 1000, noCache: 400, cacheRead: 600, cacheWrite: 0 },
  outputTokens: { total: 300, text: 200, reasoning: 100 },
};
const OPENAI_CACHE_COST = expectedCost(GPT_4O_MINI, {
  uncachedInput: 400,
  cacheRead: 600,
  output: 300,
});

/**
 * Anthropic (`@ai-sdk/anthropic@3` semantics: total = uncached + cache read +
 * cache write): 4200 input = 200 uncached + 3000 cache reads + 1000 cache
 * writes; 400 output of which 150 thinking tokens.
 */
const ANTHROPIC_CACHE_USAGE: Usage = {
  inputTokens: { total: 4200, noCache: 200, cacheRead: 3000, cacheWrite: 1000 },
  outputTokens: { total: 400, text: 250, reasoning: 150 },
};
const ANTHROPIC_CACHE_COST = expectedCost(CLAUDE_SONNET_4_5, {
  uncachedInput: 200,
  cacheRead: 3000,
  cacheWrite: 1000,
  output: 400,
});

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

describe('AI SDK v6 (openai.chat gpt-4o-mini, text-embedding-3-small)', () => {
  it('generateText: prices ai.generateText.doGenerate once, not ai.generateText', async () => {
    const model = gpt4oMini({
      doGenerate: inSequence(textResult(plainUsage(1000, 300))),
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
      doStream: inSequence(streamResult(plainUsage(1000, 300))),
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
        textResult(plainUsage(800, 120), {
          text: '{"city":"Paris","celsius":21}',
        }),
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

  it('tool loop (2 steps): prices both doGenerate calls; outer (= sum of steps) and ai.toolCall are not priced', async () => {
    const step1: GenerateResult = {
      content: [
        {
          type: 'tool-call',
          toolCallId: 'call-1',
          toolName: 'weather',
          input: '{"city":"Paris"}',
        },
      ],
      finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
      usage: plainUsage(1000, 300),
      warnings: [],
    };
    const model = gpt4oMini({
      doGenerate: inSequence(step1, textResult(plainUsage(1500, 250))),
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
    expect(outer.attributes['ai.usage.inputTokens']).toBe(2500); // sum of both steps
    expectNoCost(outer);
    expectNoCost(onlySpanNamed(spans, 'ai.toolCall'));
    const expected = sumCosts(
      expectedCost(GPT_4O_MINI, { uncachedInput: 1000, output: 300 }),
      expectedCost(GPT_4O_MINI, { uncachedInput: 1500, output: 250 }),
    );
    expectTraceTotal(spans, calls, expected);
  });

  it('OpenAI cache read + reasoning (generateText): cached tokens at the cached rate, reasoning inside output', async () => {
    const model = gpt4oMini({
      doGenerate: inSequence(textResult(OPENAI_CACHE_USAGE)),
    });
    await generateText({
      model,
      prompt: 'Weather in Paris?',
      experimental_telemetry: telemetry(),
    });

    const spans = await tracing.spans();
    const call = onlySpanNamed(spans, 'ai.generateText.doGenerate');
    expect(call.attributes['ai.usage.inputTokenDetails.cacheReadTokens']).toBe(
      600,
    );
    expect(call.attributes['ai.usage.outputTokenDetails.reasoningTokens']).toBe(
      100,
    );
    expectPricedSpan(call, OPENAI_CACHE_COST, { parts: true });
    expectNoCost(onlySpanNamed(spans, 'ai.generateText'));
    expectTraceTotal(spans, [call], OPENAI_CACHE_COST.total);
  });

  it('Anthropic cache read + write + thinking (streamText): input total includes cache, so cache is subtracted, not added', async () => {
    const model = new MockLanguageModelV3({
      provider: 'anthropic.messages',
      modelId: 'claude-sonnet-4-5-20250929',
      doStream: inSequence(
        streamResult(ANTHROPIC_CACHE_USAGE, {
          modelId: 'claude-sonnet-4-5-20250929',
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
    const call = onlySpanNamed(spans, 'ai.streamText.doStream');
    expect(call.attributes['ai.usage.inputTokens']).toBe(4200);
    expect(call.attributes['ai.usage.inputTokenDetails.cacheWriteTokens']).toBe(
      1000,
    );
    expectPricedSpan(call, ANTHROPIC_CACHE_COST, { parts: true });
    expectNoCost(onlySpanNamed(spans, 'ai.streamText'));
    expectTraceTotal(spans, [call], ANTHROPIC_CACHE_COST.total);
  });

  it('does not depend on the tracer scope name (tracer passed as "weather-app")', async () => {
    const model = gpt4oMini({
      doGenerate: inSequence(textResult(plainUsage(1000, 300))),
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

describe('AI SDK v6 with the global tracer (no tracer passed)', () => {
  beforeEach(async () => {
    await tracing.shutdown();
    tracing = setupTracing({ registerGlobally: true });
  });

  it('prices the call made through the globally registered provider (scope "ai")', async () => {
    const model = gpt4oMini({
      doGenerate: inSequence(textResult(plainUsage(1000, 300))),
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

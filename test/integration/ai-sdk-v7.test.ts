/**
 * AI SDK v7 (`ai@7`) with `@ai-sdk/otel`: spans come from the real SDK driving
 * `MockLanguageModelV4` / `MockEmbeddingModelV4`, through both integrations:
 *
 * - `OpenTelemetry` (GenAI semconv, scope `gen_ai`): `invoke_agent` →
 *   `step n` → `chat` (+ `execute_tool`); `embeddings` root → `embeddings`
 *   child per provider call. Only `chat` and the child `embeddings` spans are
 *   provider calls; `invoke_agent` carries the SUM of all steps and the root
 *   `embeddings` span has no usage.
 * - `LegacyOpenTelemetry` (scope `ai`): the v4–v6 `ai.*` family; the outer
 *   `ai.generateText` carries the SUM of all steps.
 *
 * Usage shape `{inputTokens: {total, noCache, cacheRead, cacheWrite},
 * outputTokens: {total, text, reasoning}}`: `inputTokens.total` includes
 * cache reads and writes (Anthropic included), `outputTokens.total` includes
 * reasoning.
 *
 * Integrations are passed per call (`telemetry.integrations`) with a tracer
 * from the test provider; the last block registers them globally
 * (`registerTelemetry`) with a globally registered provider instead.
 */
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
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  expectNoCost,
  expectPricedSpan,
  expectTraceTotal,
  expectUnpricedSpan,
  totalCost,
} from '../helpers/cost-assertions.js';
import {
  CLAUDE_3_5_HAIKU,
  CLAUDE_SONNET_4_5,
  GPT_4O_MINI,
  TEXT_EMBEDDING_3_SMALL,
  expectedCost,
  sumCosts,
} from '../helpers/prices.js';
import type { TokenRates } from '../helpers/prices.js';
import { inSequence } from '../helpers/sequence.js';
import { describeSpans, setupTracing } from '../helpers/tracing.js';
import type { TestTracing } from '../helpers/tracing.js';

// generateObject is deprecated in v7 and still covered here; keep the run quiet.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

type GenerateResult = Awaited<ReturnType<MockLanguageModelV4['doGenerate']>>;
type StreamResult = Awaited<ReturnType<MockLanguageModelV4['doStream']>>;
type StreamPart =
  StreamResult['stream'] extends ReadableStream<infer P> ? P : never;
type Usage = GenerateResult['usage'];

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
  doGenerate?: MockLanguageModelV4['doGenerate'];
  doStream?: MockLanguageModelV4['doStream'];
}): MockLanguageModelV4 {
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

/** OpenAI: 1000 input of which 600 cached (400 uncached), 300 output of which 100 reasoning. */
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
 * Anthropic (`@ai-sdk/anthropic@4` semantics, total = uncached + cache read +
 * cache write): 4200 input = 200 uncached + 3000 cache reads + 1000 cache
 * writes; 400 output of which 150 thinking tokens.
 */
const ANTHROPIC_CACHE_USAGE: Usage = {
  inputTokens: { total: 4200, noCache: 200, cacheRead: 3000, cacheWrite: 1000 },
  outputTokens: { total: 400, text: 250, reasoning: 150 },
};

interface IntegrationSpec {
  readonly label: string;
  /** Instrumentation scope the integration uses by default. */
  readonly scope: string;
  create(options: { tracer?: ReturnType<TestTracing['tracer']> }): Telemetry;
  /** Whether a span is one provider call (structure, not cost attributes). */
  isCall(span: ReadableSpan): boolean;
  readonly names: {
    readonly generateText: Names;
    readonly streamText: Names;
    readonly generateObject: Names;
    readonly embed: Names;
    readonly embedMany: Names;
    readonly toolLoop: Names;
  };
  readonly anthropic: { readonly modelId: string; readonly rates: TokenRates };
}

interface Names {
  readonly calls: readonly string[];
  readonly wrappers: readonly string[];
}

const GEN_AI: IntegrationSpec = {
  label: 'OpenTelemetry() — GenAI semconv spans',
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
  anthropic: {
    modelId: 'claude-sonnet-4-5-20250929',
    rates: CLAUDE_SONNET_4_5,
  },
};

const LEGACY: IntegrationSpec = {
  label: 'LegacyOpenTelemetry() — ai.* spans',
  scope: 'ai',
  create: options => new LegacyOpenTelemetry(options),
  isCall: span => /\.do(Generate|Stream|Embed)$/.test(span.name),
  names: {
    generateText: {
      calls: ['ai.generateText.doGenerate'],
      wrappers: ['ai.generateText'],
    },
    streamText: {
      calls: ['ai.streamText.doStream'],
      wrappers: ['ai.streamText'],
    },
    generateObject: {
      calls: ['ai.generateObject.doGenerate'],
      wrappers: ['ai.generateObject'],
    },
    embed: { calls: ['ai.embed.doEmbed'], wrappers: ['ai.embed'] },
    embedMany: {
      calls: ['ai.embedMany.doEmbed', 'ai.embedMany.doEmbed'],
      wrappers: ['ai.embedMany'],
    },
    toolLoop: {
      calls: ['ai.generateText.doGenerate', 'ai.generateText.doGenerate'],
      wrappers: ['ai.generateText', 'ai.toolCall'],
    },
  },
  anthropic: { modelId: 'claude-3-5-haiku-20241022', rates: CLAUDE_3_5_HAIKU },
};

/**
 * Splits the spans into provider calls and wrappers, checks both against the
 * expected names, checks that no wrapper carries a cost and that the trace
 * total equals `expectedTotal`. Returns the calls.
 */
function expectPricedOnce(
  spec: IntegrationSpec,
  spans: readonly ReadableSpan[],
  names: Names,
  expectedTotal: number,
): ReadableSpan[] {
  const calls = spans.filter(span => spec.isCall(span));
  const wrappers = spans.filter(span => !spec.isCall(span));
  const dump = describeSpans(spans);
  expect(calls.map(span => span.name).sort(), dump).toEqual(
    [...names.calls].sort(),
  );
  expect(wrappers.map(span => span.name).sort(), dump).toEqual(
    [...names.wrappers].sort(),
  );
  for (const wrapper of wrappers) expectNoCost(wrapper);
  expectTraceTotal(spans, calls, expectedTotal);
  return calls;
}

let tracing: TestTracing;

beforeEach(() => {
  tracing = setupTracing();
});

afterEach(async () => {
  await tracing.shutdown();
});

describe.each([GEN_AI, LEGACY])('AI SDK v7 with $label', spec => {
  function telemetry() {
    return {
      functionId: 'weather-bot',
      integrations: [spec.create({ tracer: tracing.tracer(spec.scope) })],
    };
  }

  it('generateText: prices the one provider call, not its wrappers', async () => {
    const model = gpt4oMini({
      doGenerate: inSequence(textResult(plainUsage(1000, 300))),
    });
    await generateText({
      model,
      prompt: 'Weather in Paris?',
      telemetry: telemetry(),
    });

    const spans = await tracing.spans();
    const expected = expectedCost(GPT_4O_MINI, {
      uncachedInput: 1000,
      output: 300,
    });
    const [call] = expectPricedOnce(
      spec,
      spans,
      spec.names.generateText,
      expected.total,
    );
    expectPricedSpan(call as ReadableSpan, expected, { parts: true });
  });

  it('streamText: prices the one provider call, not its wrappers', async () => {
    const model = gpt4oMini({
      doStream: inSequence(streamResult(plainUsage(1000, 300))),
    });
    const result = streamText({
      model,
      prompt: 'Weather in Paris?',
      telemetry: telemetry(),
    });
    await result.consumeStream();
    expect(await result.text).toBe('It is sunny.');

    const spans = await tracing.spans();
    const expected = expectedCost(GPT_4O_MINI, {
      uncachedInput: 1000,
      output: 300,
    });
    expectPricedOnce(spec, spans, spec.names.streamText, expected.total);
  });

  it('generateObject: prices the one provider call, not its wrappers', async () => {
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
      telemetry: telemetry(),
    });
    expect(object).toEqual({ city: 'Paris', celsius: 21 });

    const spans = await tracing.spans();
    const expected = expectedCost(GPT_4O_MINI, {
      uncachedInput: 800,
      output: 120,
    });
    expectPricedOnce(spec, spans, spec.names.generateObject, expected.total);
  });

  it('embed: prices the provider call, not the roll-up', async () => {
    await embed({
      model: embeddingModel(),
      value: 'sunny day',
      telemetry: telemetry(),
    });

    const spans = await tracing.spans();
    const expected = expectedCost(TEXT_EMBEDDING_3_SMALL, {
      uncachedInput: 10,
    });
    const [call] = expectPricedOnce(
      spec,
      spans,
      spec.names.embed,
      expected.total,
    );
    expectPricedSpan(call as ReadableSpan, expected, { parts: true });
  });

  it('embedMany: prices each provider batch, not the roll-up', async () => {
    const { embeddings } = await embedMany({
      model: embeddingModel(),
      values: ['a', 'b', 'c'],
      telemetry: telemetry(),
    });
    expect(embeddings).toHaveLength(3);

    const spans = await tracing.spans();
    const expected = sumCosts(
      expectedCost(TEXT_EMBEDDING_3_SMALL, { uncachedInput: 20 }),
      expectedCost(TEXT_EMBEDDING_3_SMALL, { uncachedInput: 10 }),
    );
    expectPricedOnce(spec, spans, spec.names.embedMany, expected);
  });

  it('tool loop (2 steps): prices both provider calls; agent/step/tool spans and the summed outer span are not priced', async () => {
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
      stopWhen: isStepCount(5),
      tools: {
        weather: tool({
          inputSchema: z.object({ city: z.string() }),
          execute: () => Promise.resolve('sunny'),
        }),
      },
      telemetry: telemetry(),
    });
    expect(result.steps).toHaveLength(2);

    const spans = await tracing.spans();
    // The outer span carries the sum of both steps (2500 input tokens).
    const root = spans.find(span => span.parentSpanContext === undefined);
    const rootInput =
      root?.attributes['gen_ai.usage.input_tokens'] ??
      root?.attributes['ai.usage.inputTokens'];
    expect(rootInput).toBe(2500);
    const expected = sumCosts(
      expectedCost(GPT_4O_MINI, { uncachedInput: 1000, output: 300 }),
      expectedCost(GPT_4O_MINI, { uncachedInput: 1500, output: 250 }),
    );
    expectPricedOnce(spec, spans, spec.names.toolLoop, expected);
  });

  it('OpenAI cache read + reasoning: cached tokens at the cached rate, reasoning inside output', async () => {
    const model = gpt4oMini({
      doGenerate: inSequence(textResult(OPENAI_CACHE_USAGE)),
    });
    await generateText({
      model,
      prompt: 'Weather in Paris?',
      telemetry: telemetry(),
    });

    const spans = await tracing.spans();
    const [call] = expectPricedOnce(
      spec,
      spans,
      spec.names.generateText,
      OPENAI_CACHE_COST.total,
    );
    expectPricedSpan(call as ReadableSpan, OPENAI_CACHE_COST, { parts: true });
  });

  it('Anthropic cache read + write + thinking (streamText): input total includes cache, so cache is subtracted, not added', async () => {
    const { modelId, rates } = spec.anthropic;
    const model = new MockLanguageModelV4({
      provider: 'anthropic.messages',
      modelId,
      doStream: inSequence(streamResult(ANTHROPIC_CACHE_USAGE, { modelId })),
    });
    const result = streamText({
      model,
      prompt: 'Summarise the cached document.',
      telemetry: telemetry(),
    });
    await result.consumeStream();

    const spans = await tracing.spans();
    const expected = expectedCost(rates, {
      uncachedInput: 200,
      cacheRead: 3000,
      cacheWrite: 1000,
      output: 400,
    });
    const names: Names = {
      calls: spec.names.streamText.calls.map(name =>
        name.replace('gpt-4o-mini', modelId),
      ),
      wrappers: spec.names.streamText.wrappers.map(name =>
        name.replace('gpt-4o-mini', modelId),
      ),
    };
    const [call] = expectPricedOnce(spec, spans, names, expected.total);
    expectPricedSpan(call as ReadableSpan, expected, { parts: true });
  });
});

describe.each([GEN_AI, LEGACY])(
  'AI SDK v7 with $label: unknown model',
  spec => {
    it('the provider call is unpriced (unknown_model) and its wrappers carry nothing', async () => {
      const model = new MockLanguageModelV4({
        provider: 'openai.chat',
        modelId: 'my-finetune-xyz',
        doGenerate: inSequence(
          textResult(plainUsage(1000, 300), { modelId: 'my-finetune-xyz' }),
        ),
      });
      await generateText({
        model,
        prompt: 'Weather in Paris?',
        telemetry: {
          functionId: 'weather-bot',
          integrations: [spec.create({ tracer: tracing.tracer(spec.scope) })],
        },
      });

      const spans = await tracing.spans();
      const calls = spans.filter(span => spec.isCall(span));
      expect(calls).toHaveLength(1);
      expectUnpricedSpan(calls[0] as ReadableSpan, 'unknown_model');
      for (const wrapper of spans.filter(span => !spec.isCall(span))) {
        expectNoCost(wrapper);
      }
      expect(totalCost(spans)).toBe(0);
    });
  },
);

describe('AI SDK v7 OpenTelemetry({ usage: true }) — ai.usage.* details on GenAI spans', () => {
  it('still prices only the chat span, with the same cost', async () => {
    const model = gpt4oMini({
      doGenerate: inSequence(textResult(OPENAI_CACHE_USAGE)),
    });
    await generateText({
      model,
      prompt: 'Weather in Paris?',
      telemetry: {
        functionId: 'weather-bot',
        integrations: [
          new OpenTelemetry({ tracer: tracing.tracer('gen_ai'), usage: true }),
        ],
      },
    });

    const spans = await tracing.spans();
    const agent = spans.find(span => span.name === 'invoke_agent gpt-4o-mini');
    expect(
      agent?.attributes['ai.usage.outputTokenDetails.reasoningTokens'],
    ).toBe(100);
    const [call] = expectPricedOnce(
      GEN_AI,
      spans,
      GEN_AI.names.generateText,
      OPENAI_CACHE_COST.total,
    );
    expectPricedSpan(call as ReadableSpan, OPENAI_CACHE_COST, { parts: true });
  });
});

describe('AI SDK v7 integrations registered globally (registerTelemetry, no tracer passed)', () => {
  beforeEach(async () => {
    await tracing.shutdown();
    tracing = setupTracing({ registerGlobally: true });
  });

  afterEach(() => {
    // registerTelemetry() only appends to this global list and has no
    // unregister; clear it so the next test starts without integrations.
    (
      globalThis as { AI_SDK_TELEMETRY_INTEGRATIONS?: unknown }
    ).AI_SDK_TELEMETRY_INTEGRATIONS = undefined;
  });

  it.each([GEN_AI, LEGACY])(
    '$label: default scope, priced once',
    async spec => {
      registerTelemetry(spec.create({}));
      const model = gpt4oMini({
        doGenerate: inSequence(textResult(plainUsage(1000, 300))),
      });
      await generateText({
        model,
        prompt: 'Weather in Paris?',
        telemetry: { functionId: 'weather-bot' },
      });

      const spans = await tracing.spans();
      expect(
        new Set(spans.map(span => span.instrumentationScope.name)),
      ).toEqual(new Set([spec.scope]));
      const expected = expectedCost(GPT_4O_MINI, {
        uncachedInput: 1000,
        output: 300,
      });
      expectPricedOnce(spec, spans, spec.names.generateText, expected.total);
    },
  );
});

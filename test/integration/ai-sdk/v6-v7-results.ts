/**
 * Mock model answers in the shape AI SDK v6 (`LanguageModelV3`) and v7
 * (`LanguageModelV4`) share: usage `{inputTokens: {total, noCache,
 * cacheRead, cacheWrite}, outputTokens: {total, text, reasoning}}` where
 * `inputTokens.total` INCLUDES cache reads and writes for every provider
 * (Anthropic included) and `outputTokens.total` includes reasoning.
 */
import type { MockLanguageModelV3 } from 'ai-v6/test';
import type { Tokens } from './ai-sdk-major.js';

export type GenerateResult = Awaited<
  ReturnType<MockLanguageModelV3['doGenerate']>
>;
export type StreamResult = Awaited<ReturnType<MockLanguageModelV3['doStream']>>;
type StreamPart =
  StreamResult['stream'] extends ReadableStream<infer P> ? P : never;
export type Usage = GenerateResult['usage'];

/** Usage without cache or reasoning. */
export function plainUsage({ input, output }: Tokens): Usage {
  return {
    inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: output, text: output, reasoning: 0 },
  };
}

/**
 * OpenAI with prompt caching and reasoning: 1000 input of which 600 cached
 * (400 uncached), 300 output of which 100 reasoning.
 */
export const OPENAI_CACHE_USAGE: Usage = {
  inputTokens: { total: 1000, noCache: 400, cacheRead: 600, cacheWrite: 0 },
  outputTokens: { total: 300, text: 200, reasoning: 100 },
};

/**
 * Anthropic (`@ai-sdk/anthropic@3`/`@4` semantics: total = uncached + cache
 * read + cache write): 4200 input = 200 uncached + 3000 cache reads + 1000
 * cache writes; 400 output of which 150 thinking tokens.
 */
export const ANTHROPIC_CACHE_USAGE: Usage = {
  inputTokens: { total: 4200, noCache: 200, cacheRead: 3000, cacheWrite: 1000 },
  outputTokens: { total: 400, text: 250, reasoning: 150 },
};

export function textResult(
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

/** The first step of the weather tool loop: one tool call. */
export function toolCallResult(tokens: Tokens): GenerateResult {
  return {
    content: [
      {
        type: 'tool-call',
        toolCallId: 'call-1',
        toolName: 'weather',
        input: '{"city":"Paris"}',
      },
    ],
    finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
    usage: plainUsage(tokens),
    warnings: [],
  };
}

export function streamParts(
  callUsage: Usage,
  options: { modelId?: string } = {},
): StreamPart[] {
  return [
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
}

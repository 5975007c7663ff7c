/**
 * Traceloop's Google Gen AI spans (`@traceloop/instrumentation-google-
 * generativeai` 0.27.0) read with our token semantics: input = Gemini's
 * `promptTokenCount` (cache INCLUDED, kept as is), output = its
 * `candidatesTokenCount` PLUS `thoughtsTokenCount` (Traceloop writes the
 * thinking apart, under `gen_ai.usage.reasoning_tokens`; Gemini bills it as
 * output). The same keys from any other emitter keep the semconv reading.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifySpan, normalizeSpan } from '../../../src/entries/core.js';
import type { SpanAttributes } from '../../../src/entries/core.js';
import {
  loadRecording,
  toSpanLike,
} from '../../fixtures/emitters/load-recorded-spans.js';
import { spanLike } from '../../helpers/span-like.js';

const SCOPE = '@traceloop/instrumentation-google-generativeai';
const FIXTURES = new URL('../../fixtures/emitters/google/', import.meta.url);

interface GeminiUsage {
  promptTokenCount: number;
  cachedContentTokenCount?: number;
  candidatesTokenCount: number;
  thoughtsTokenCount?: number;
}

/** What Traceloop 0.27 writes from a Gemini `usageMetadata` (`_endSpan`). */
function traceloopAttributes(usage: GeminiUsage): SpanAttributes {
  const thoughts = usage.thoughtsTokenCount ?? 0;
  return {
    'gen_ai.provider.name': 'gcp.gen_ai',
    'gen_ai.operation.name': 'generate_content',
    'gen_ai.request.model': 'gemini-2.5-flash',
    'gen_ai.response.model': 'gemini-2.5-flash',
    'gen_ai.usage.input_tokens': usage.promptTokenCount,
    'gen_ai.usage.output_tokens': usage.candidatesTokenCount,
    'gen_ai.usage.total_tokens':
      usage.promptTokenCount + usage.candidatesTokenCount + thoughts,
    ...(usage.thoughtsTokenCount === undefined
      ? {}
      : { 'gen_ai.usage.reasoning_tokens': usage.thoughtsTokenCount }),
    ...(usage.cachedContentTokenCount === undefined
      ? {}
      : {
          'gen_ai.usage.cache_read.input_tokens': usage.cachedContentTokenCount,
        }),
  };
}

function read(attributes: SpanAttributes, scopeName: string) {
  const spanClass = classifySpan(attributes);
  if (spanClass.family === undefined) throw new Error('not an LLM span');
  return normalizeSpan(spanLike(attributes, { scopeName }), spanClass.family);
}

const geminiUsage = fc
  .record({
    prompt: fc.integer({ min: 0, max: 2_000_000 }),
    cachedShare: fc.double({ min: 0, max: 1, noNaN: true }),
    withCache: fc.boolean(),
    candidates: fc.integer({ min: 0, max: 100_000 }),
    thoughts: fc.option(fc.integer({ min: 0, max: 100_000 }), {
      nil: undefined,
    }),
  })
  .map(
    ({
      prompt,
      cachedShare,
      withCache,
      candidates,
      thoughts,
    }): GeminiUsage => ({
      promptTokenCount: prompt,
      ...(withCache
        ? { cachedContentTokenCount: Math.floor(prompt * cachedShare) }
        : {}),
      candidatesTokenCount: candidates,
      ...(thoughts === undefined ? {} : { thoughtsTokenCount: thoughts }),
    }),
  );

describe("Traceloop Google Gen AI: Gemini's counts in our semantics", () => {
  for (const file of ['traceloop.json', 'traceloop-v2-manual.json']) {
    it(`${file}: output = candidates + thoughts, input = prompt (cache included), as the fake answered`, () => {
      const recording = loadRecording(new URL(file, FIXTURES));
      const calls = recording['calls'] as readonly { usage: GeminiUsage }[];
      expect(recording.spans).toHaveLength(calls.length);
      recording.spans.forEach((span, index) => {
        const usage = (calls[index] as { usage: GeminiUsage }).usage;
        const family = classifySpan(span.attributes as SpanAttributes).family;
        expect(family).toBe('gen_ai');
        const call = normalizeSpan(toSpanLike(span), family as 'gen_ai');
        const thoughts = usage.thoughtsTokenCount ?? 0;
        expect(call).toMatchObject({
          emitter: 'traceloop',
          provider: 'gcp.gen_ai',
          model: 'gemini-2.5-flash',
          operation: 'generate_content',
          usage: {
            inputTokens: usage.promptTokenCount,
            cacheReadTokens: usage.cachedContentTokenCount ?? 0,
            cacheWriteTokens: 0,
            outputTokens: usage.candidatesTokenCount + thoughts,
            reasoningTokens: thoughts,
          },
        });
        expect(call.issues).toEqual(
          thoughts > 0 ? ['output_excluded_reasoning'] : [],
        );
        // Gemini's total counts the prompt, the candidates and the thoughts.
        expect(
          (call.usage?.inputTokens ?? 0) + (call.usage?.outputTokens ?? 0),
        ).toBe(span.attributes['gen_ai.usage.total_tokens']);
      });
    });
  }

  it('any Gemini usage: input = prompt, output = candidates + thoughts, reasoning = thoughts', () => {
    fc.assert(
      fc.property(geminiUsage, usage => {
        const call = read(traceloopAttributes(usage), SCOPE);
        const thoughts = usage.thoughtsTokenCount ?? 0;
        expect(call.usage).toMatchObject({
          inputTokens: usage.promptTokenCount,
          cacheReadTokens: usage.cachedContentTokenCount ?? 0,
          outputTokens: usage.candidatesTokenCount + thoughts,
          reasoningTokens: thoughts,
        });
        expect(call.issues.includes('output_excluded_reasoning')).toBe(
          thoughts > 0,
        );
        expect(call.issues).not.toContain('input_excluded_cache');
      }),
      { numRuns: 500 },
    );
  });

  it('the same keys from other emitters keep the semconv reading (reasoning inside output unless larger)', () => {
    const others = fc.constantFrom(
      'test',
      '@traceloop/instrumentation-openai',
      '@traceloop/instrumentation-vertexai',
      '@opentelemetry/instrumentation-openai',
      'com.anthropic.sdk.typescript',
    );
    fc.assert(
      fc.property(geminiUsage, others, (usage, scope) => {
        const call = read(traceloopAttributes(usage), scope);
        const thoughts = usage.thoughtsTokenCount ?? 0;
        const candidates = usage.candidatesTokenCount;
        expect(call.usage?.outputTokens).toBe(
          thoughts > candidates ? candidates + thoughts : candidates,
        );
        expect(call.issues).not.toContain('output_excluded_reasoning');
      }),
      { numRuns: 300 },
    );
  });

  it('garbage reasoning count: no usage (never priced on the remaining counts)', () => {
    const call = read(
      {
        ...traceloopAttributes({
          promptTokenCount: 10,
          candidatesTokenCount: 5,
        }),
        'gen_ai.usage.reasoning_tokens': '-3',
      },
      SCOPE,
    );
    expect(call.usage).toBeUndefined();
    expect(call.invalidUsage).toEqual(['reasoning']);
  });
});

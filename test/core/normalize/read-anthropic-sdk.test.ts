/**
 * The Anthropic SDK's own spans (`@anthropic-ai/sdk` 1.14, scope
 * `com.anthropic.sdk.typescript`) read right: `gen_ai.usage.input_tokens` is
 * the TOTAL input (uncached + cache read + cache write,
 * `src/lib/internal/tracing/response.ts` of the SDK), the cache write is
 * under `gen_ai.usage.cache_write.input_tokens`. Checked on the recorded
 * spans against the fake server's raw Anthropic usage (`calls`), and on
 * generated usages for every GenAI emitter convention at once, so the new
 * rule cannot break Traceloop's (input WITHOUT cache) or the semconv's.
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

const SDK_SCOPE = 'com.anthropic.sdk.typescript';

interface AnthropicUsage {
  readonly input_tokens: number;
  readonly cache_read_input_tokens: number;
  readonly cache_creation_input_tokens: number;
  readonly output_tokens: number;
}

function read(attributes: SpanAttributes, scopeName: string) {
  const spanClass = classifySpan(attributes);
  if (spanClass.family === undefined) throw new Error('not an LLM span');
  return normalizeSpan(spanLike(attributes, { scopeName }), spanClass.family);
}

/** What our fixed semantics must give for a raw Anthropic usage. */
function expectedUsage(usage: AnthropicUsage) {
  return {
    inputTokens:
      usage.input_tokens +
      usage.cache_read_input_tokens +
      usage.cache_creation_input_tokens,
    outputTokens: usage.output_tokens,
    cacheReadTokens: usage.cache_read_input_tokens,
    cacheWriteTokens: usage.cache_creation_input_tokens,
    reasoningTokens: 0,
  };
}

describe('Anthropic SDK spans: recorded', () => {
  const recording = loadRecording(
    new URL(
      '../../fixtures/emitters/anthropic/sdk-alone.json',
      import.meta.url,
    ),
  );
  const calls = recording['calls'] as readonly {
    responseId: string;
    usage: AnthropicUsage;
  }[];

  it('each recorded span reads as the call the server answered, cache write included', () => {
    expect(recording.spans).toHaveLength(3);
    for (const span of recording.spans) {
      expect(span.scope.name).toBe(SDK_SCOPE);
      const view = toSpanLike(span);
      const spanClass = classifySpan(view.attributes);
      expect(spanClass).toEqual({ role: 'inference', family: 'gen_ai' });
      const call = normalizeSpan(view, 'gen_ai');
      const truth = calls.find(c => c.responseId === call.responseId);
      expect(truth, `call ${call.responseId}`).toBeDefined();
      expect(call).toMatchObject({
        emitter: 'gen_ai',
        provider: 'anthropic',
        model: 'claude-sonnet-4-5',
        operation: 'chat',
        usage: expectedUsage(truth!.usage),
        issues: [],
      });
    }
  });
});

const counts = fc.integer({ min: 0, max: 5_000_000 });
const usages = fc.record({
  input_tokens: counts,
  cache_read_input_tokens: counts,
  cache_creation_input_tokens: counts,
  output_tokens: counts,
});

describe('GenAI input conventions: one rule per emitter', () => {
  it('the SDK (total input), Traceloop (uncached input) and the semconv (total input) give the same usage', () => {
    fc.assert(
      fc.property(usages, usage => {
        const total =
          usage.input_tokens +
          usage.cache_read_input_tokens +
          usage.cache_creation_input_tokens;
        const expected = expectedUsage(usage);
        const sdk = read(
          {
            'gen_ai.provider.name': 'anthropic',
            'gen_ai.operation.name': 'chat',
            'gen_ai.request.model': 'claude-sonnet-4-5',
            'gen_ai.usage.input_tokens': total,
            'gen_ai.usage.cache_read.input_tokens':
              usage.cache_read_input_tokens,
            'gen_ai.usage.cache_write.input_tokens':
              usage.cache_creation_input_tokens,
            'gen_ai.usage.output_tokens': usage.output_tokens,
          },
          SDK_SCOPE,
        );
        expect(sdk.usage).toEqual(expected);
        expect(sdk.issues).toEqual([]);
        // Another platform's client of the SDK: the scope gets a suffix.
        expect(
          read(
            {
              'gen_ai.provider.name': 'aws.bedrock',
              'gen_ai.operation.name': 'chat',
              'gen_ai.usage.input_tokens': total,
              'gen_ai.usage.cache_read.input_tokens':
                usage.cache_read_input_tokens,
              'gen_ai.usage.cache_write.input_tokens':
                usage.cache_creation_input_tokens,
              'gen_ai.usage.output_tokens': usage.output_tokens,
            },
            `${SDK_SCOPE}.bedrock`,
          ).usage,
        ).toEqual(expected);
        const traceloop = read(
          {
            'gen_ai.system': 'anthropic',
            'gen_ai.request.model': 'claude-sonnet-4-5',
            'gen_ai.usage.input_tokens': usage.input_tokens,
            'gen_ai.usage.cache_read.input_tokens':
              usage.cache_read_input_tokens,
            'gen_ai.usage.cache_creation.input_tokens':
              usage.cache_creation_input_tokens,
            'gen_ai.usage.output_tokens': usage.output_tokens,
          },
          '@traceloop/instrumentation-anthropic',
        );
        expect(traceloop.usage).toEqual(expected);
        const semconv = read(
          {
            'gen_ai.provider.name': 'anthropic',
            'gen_ai.operation.name': 'chat',
            'gen_ai.usage.input_tokens': total,
            'gen_ai.usage.cache_read.input_tokens':
              usage.cache_read_input_tokens,
            'gen_ai.usage.cache_creation.input_tokens':
              usage.cache_creation_input_tokens,
            'gen_ai.usage.output_tokens': usage.output_tokens,
          },
          'some-genai-instrumentation',
        );
        expect(semconv.usage).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('an SDK span whose input is below its cache parts is corrected upward and flagged, never under-charged', () => {
    const call = read(
      {
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.operation.name': 'chat',
        'gen_ai.usage.input_tokens': 100,
        'gen_ai.usage.cache_read.input_tokens': 400,
        'gen_ai.usage.cache_write.input_tokens': 300,
        'gen_ai.usage.output_tokens': 5,
      },
      SDK_SCOPE,
    );
    expect(call.usage?.inputTokens).toBe(800);
    expect(call.issues).toEqual(['cache_exceeds_input']);
  });

  it('a garbage cache write under the SDK key leaves the call without usage', () => {
    const call = read(
      {
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.operation.name': 'chat',
        'gen_ai.usage.input_tokens': 100,
        'gen_ai.usage.cache_write.input_tokens': '12abc',
        'gen_ai.usage.output_tokens': 5,
      },
      SDK_SCOPE,
    );
    expect(call.usage).toBeUndefined();
    expect(call.invalidUsage).toEqual(['cache_write']);
  });
});

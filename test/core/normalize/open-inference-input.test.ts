/**
 * OpenInference prompt counts: the convention is a prompt that INCLUDES its
 * cache details (OpenInference Anthropic 0.2.8), but OpenInference Bedrock
 * 0.5.1 copies Bedrock's own count, which EXCLUDES the cache. The rule lives
 * in `reports-uncached-input.ts`; checked on the recorded spans of both
 * instrumentations against what the fake servers answered, and on generated
 * usages, including a cache smaller than the uncached input (where the
 * "input below its cache parts" correction cannot tell the two apart).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeSpan } from '../../../src/entries/core.js';
import {
  loadRecording,
  toSpanLike,
} from '../../fixtures/emitters/load-recorded-spans.js';
import { spanLike } from '../../helpers/span-like.js';

const BEDROCK_SCOPE = '@arizeai/openinference-instrumentation-bedrock';
const ANTHROPIC_SCOPE = '@arizeai/openinference-instrumentation-anthropic';

function read(attributes: Record<string, number | string>, scopeName: string) {
  return normalizeSpan(spanLike(attributes, { scopeName }), 'openinference');
}

describe('OpenInference prompt counts, recorded', () => {
  it('OpenInference Anthropic: prompt is the total, read as is', () => {
    const recording = loadRecording(
      new URL(
        '../../fixtures/emitters/anthropic/openinference-alone.json',
        import.meta.url,
      ),
    );
    const calls = recording['calls'] as readonly {
      usage: {
        input_tokens: number;
        cache_read_input_tokens: number;
        cache_creation_input_tokens: number;
        output_tokens: number;
      };
    }[];
    // No response id on these spans: calls and spans pair by order.
    expect(recording.spans).toHaveLength(calls.length);
    recording.spans.forEach((span, index) => {
      const truth = calls[index]!.usage;
      const call = normalizeSpan(toSpanLike(span), 'openinference');
      expect(call.usage).toEqual({
        inputTokens:
          truth.input_tokens +
          truth.cache_read_input_tokens +
          truth.cache_creation_input_tokens,
        outputTokens: truth.output_tokens,
        cacheReadTokens: truth.cache_read_input_tokens,
        cacheWriteTokens: truth.cache_creation_input_tokens,
        reasoningTokens: 0,
      });
      expect(call.issues).toEqual([]);
    });
  });

  it('OpenInference Bedrock InvokeModel: prompt excludes the cache, which is added back', () => {
    const recording = loadRecording(
      new URL(
        '../../fixtures/emitters/bedrock/openinference.json',
        import.meta.url,
      ),
    );
    const calls = recording['calls'] as readonly {
      operation: string;
      usage: {
        inputTokens: number;
        outputTokens: number;
        cacheReadInputTokens?: number;
        cacheWriteInputTokens?: number;
      };
    }[];
    const invokes = recording.spans.filter(
      span => span.name === 'bedrock.invoke_model',
    );
    const truths = calls.filter(call => call.operation === 'invoke');
    expect(invokes.length).toBe(truths.length);
    invokes.forEach((span, index) => {
      const truth = truths[index]!.usage;
      const read = truth.cacheReadInputTokens ?? 0;
      const write = truth.cacheWriteInputTokens ?? 0;
      const call = normalizeSpan(toSpanLike(span), 'openinference');
      expect(call.usage).toMatchObject({
        inputTokens: truth.inputTokens + read + write,
        outputTokens: truth.outputTokens,
        cacheReadTokens: read,
        cacheWriteTokens: write,
      });
    });
  });
});

describe('OpenInference prompt counts, generated', () => {
  it('each scope reads its own convention to the same usage, whatever the sizes', () => {
    const counts = fc.integer({ min: 0, max: 5_000_000 });
    fc.assert(
      fc.property(
        counts,
        counts,
        counts,
        counts,
        (input, cacheRead, write, out) => {
          const expected = {
            inputTokens: input + cacheRead + write,
            outputTokens: out,
            cacheReadTokens: cacheRead,
            cacheWriteTokens: write,
            reasoningTokens: 0,
          };
          const details = {
            'openinference.span.kind': 'LLM',
            'llm.token_count.completion': out,
            'llm.token_count.prompt_details.cache_read': cacheRead,
            'llm.token_count.prompt_details.cache_write': write,
          };
          expect(
            read(
              {
                ...details,
                'llm.token_count.prompt': input + cacheRead + write,
              },
              ANTHROPIC_SCOPE,
            ).usage,
          ).toEqual(expected);
          expect(
            read({ ...details, 'llm.token_count.prompt': input }, BEDROCK_SCOPE)
              .usage,
          ).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

/**
 * The one token-count rule (`parseTokenCount`) and how the readers apply it:
 * issue 9, cases 2 and 6e, at the unit level.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildUsage } from '../../../src/core/normalize/build-usage.js';
import {
  INVALID_COUNT,
  MAX_TOKEN_COUNT,
  parseTokenCount,
} from '../../../src/core/normalize/token-count.js';
import { normalizeSpan } from '../../../src/core/normalize/normalize-span.js';
import type { SpanFamily } from '../../../src/core/select/classify-span.js';
import type { SpanAttributes } from '../../../src/core/span-like.js';

describe('parseTokenCount', () => {
  it('is 1,000,000,000', () => {
    expect(MAX_TOKEN_COUNT).toBe(1_000_000_000);
  });

  it.each<readonly [unknown, number]>([
    [0, 0],
    [-0, 0],
    [1200, 1200],
    [1200.0, 1200],
    [1e3, 1000],
    [1_000_000_000, 1_000_000_000],
    ['1200', 1200],
    ['0', 0],
    ['0012', 12],
    ['1000000000', 1_000_000_000],
  ])('%j is the count %d', (value, count) => {
    expect(Object.is(parseTokenCount(value), count)).toBe(true);
  });

  it.each<unknown>([undefined, null])('%j is missing', value => {
    expect(parseTokenCount(value)).toBeUndefined();
  });

  it.each<unknown>([
    1e308,
    Number('9223372036854775807'),
    2 ** 53 + 2,
    1_000_000_001,
    -5,
    -1e-300,
    12.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    true,
    false,
    '1e20',
    '0x10',
    '0b1',
    '0o7',
    ' 12 ',
    '12 ',
    '\t12',
    '12.5',
    '12.0',
    '-5',
    '+5',
    'Infinity',
    'NaN',
    '',
    '1_000',
    '1,000',
    '١٢', // Arabic-Indic digits
    '１２', // full-width digits
    '1000000001',
    '9223372036854775807',
    [12],
    {},
  ])('%j is invalid', value => {
    expect(parseTokenCount(value)).toBe(INVALID_COUNT);
  });

  it('bigints (a decoder keeping 64-bit integers exact): in range only', () => {
    expect(parseTokenCount(BigInt(42))).toBe(42);
    expect(parseTokenCount(BigInt(MAX_TOKEN_COUNT))).toBe(MAX_TOKEN_COUNT);
    expect(parseTokenCount(BigInt(MAX_TOKEN_COUNT) + BigInt(1))).toBe(
      INVALID_COUNT,
    );
    expect(parseTokenCount(BigInt(-1))).toBe(INVALID_COUNT);
    expect(parseTokenCount(BigInt('9223372036854775807'))).toBe(INVALID_COUNT);
  });

  it('property: every whole number 0..1e9 reads back from its number and its decimal string', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_TOKEN_COUNT }), n => {
        expect(parseTokenCount(n)).toBe(n);
        expect(parseTokenCount(String(n))).toBe(n);
      }),
    );
  });

  it('property: whatever the input, the result is missing, invalid or a whole number 0..1e9', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true }), value => {
        const count = parseTokenCount(value);
        if (count === undefined) {
          expect(value === undefined || value === null).toBe(true);
        } else if (count !== INVALID_COUNT) {
          expect(Number.isSafeInteger(count)).toBe(true);
          expect(count).toBeGreaterThanOrEqual(0);
          expect(count).toBeLessThanOrEqual(MAX_TOKEN_COUNT);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('property: a string is a count exactly when it is 1-10 ASCII digits worth at most 1e9', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 12 }),
          fc.stringMatching(/^[0-9]{1,11}$/),
          fc.stringMatching(/^\s?[-+]?[0-9]{0,4}[.eExX]?[0-9]{0,3}\s?$/),
        ),
        text => {
          const expected =
            /^[0-9]{1,10}$/.test(text) && Number(text) <= 1e9
              ? Number(text)
              : INVALID_COUNT;
          expect(parseTokenCount(text)).toBe(expected);
        },
      ),
      { numRuns: 3_000 },
    );
  });
});

function read(family: SpanFamily, attributes: SpanAttributes, scope = 'test') {
  return normalizeSpan(
    {
      name: 'call',
      scopeName: scope,
      traceId: '0'.repeat(32),
      spanId: '1'.repeat(16),
      parentSpanId: undefined,
      startTimeMillis: Date.UTC(2026, 0, 1),
      attributes,
    },
    family,
  );
}

describe('readers: a present but invalid count makes the usage invalid', () => {
  it('gen_ai: the invalid kinds are named, usage is undefined, flagged', () => {
    const call = read('gen_ai', {
      'gen_ai.usage.input_tokens': '0x10',
      'gen_ai.usage.output_tokens': 10,
      'gen_ai.usage.reasoning.output_tokens': true,
    });
    expect(call.usage).toBeUndefined();
    expect(call.invalidUsage).toEqual(['input', 'reasoning']);
    expect(call.issues).toEqual(['invalid_usage']);
  });

  it('gen_ai: missing is not invalid (output only is priced as before)', () => {
    const call = read('gen_ai', { 'gen_ai.usage.output_tokens': 10 });
    expect(call.invalidUsage).toEqual([]);
    expect(call.usage).toMatchObject({ inputTokens: 0, outputTokens: 10 });
  });

  it('gen_ai: the preferred key wins among valid aliases', () => {
    const call = read('gen_ai', {
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.prompt_tokens': '200',
      'gen_ai.usage.output_tokens': 10,
    });
    expect(call.usage?.inputTokens).toBe(100);
  });

  it('a corrected total above the ceiling is invalid (input excluding a huge cache)', () => {
    const built = buildUsage({
      input: 600_000_000,
      output: 1,
      cacheRead: 600_000_000,
      cacheWrite: undefined,
      reasoning: undefined,
      inputExcludesCache: true,
    });
    expect(built.usage).toBeUndefined();
    expect(built.invalid).toEqual(['input']);
  });

  it('AI SDK: an invalid noCacheTokens detail is an invalid input', () => {
    const call = read('ai_sdk', {
      'ai.operationId': 'ai.generateText.doGenerate',
      'ai.usage.inputTokens': 100,
      'ai.usage.outputTokens': 10,
      'ai.usage.inputTokenDetails.noCacheTokens': -1,
    });
    expect(call.invalidUsage).toEqual(['input']);
  });

  it('AI SDK: provider metadata null is missing (Anthropic writes null when there is no cache)', () => {
    const call = read('ai_sdk', {
      'ai.operationId': 'ai.generateText.doGenerate',
      'ai.model.provider': 'anthropic.messages',
      'ai.usage.promptTokens': 100,
      'ai.usage.completionTokens': 10,
      'ai.response.providerMetadata':
        '{"anthropic":{"cacheCreationInputTokens":null,"cacheReadInputTokens":null}}',
    });
    expect(call.invalidUsage).toEqual([]);
    expect(call.usage).toMatchObject({ inputTokens: 100, outputTokens: 10 });
  });

  it('AI SDK: an invalid metadata count is invalid even when an attribute gave the kind', () => {
    const call = read('ai_sdk', {
      'ai.operationId': 'ai.generateText.doGenerate',
      'ai.usage.promptTokens': 100,
      'ai.usage.completionTokens': 10,
      'ai.usage.cachedInputTokens': 5,
      'ai.response.providerMetadata': '{"openai":{"cachedPromptTokens":1e400}}',
    });
    expect(call.invalidUsage).toEqual(['cache_read']);
  });

  it('AI SDK embeddings: output keys are not read, so not validated', () => {
    const call = read('ai_sdk', {
      'ai.operationId': 'ai.embed.doEmbed',
      'ai.usage.tokens': 12,
      'ai.usage.completionTokens': 'garbage',
    });
    expect(call.invalidUsage).toEqual([]);
    expect(call.usage).toMatchObject({ inputTokens: 12, outputTokens: 0 });
  });

  it('OpenInference: audio counts are validated too', () => {
    const call = read('openinference', {
      'openinference.span.kind': 'LLM',
      'llm.token_count.prompt': 100,
      'llm.token_count.completion': 10,
      'llm.token_count.completion_details.audio': 1.5,
    });
    expect(call.invalidUsage).toEqual(['output_audio']);
  });

  it('Langfuse: invalid JSON details, an invalid detail, or invalid gen_ai fallbacks', () => {
    const base = {
      'langfuse.observation.type': 'generation',
      'langfuse.observation.model.name': 'gpt-4o',
    };
    expect(
      read('langfuse', {
        ...base,
        'langfuse.observation.usage_details': 'not json',
      }).invalidUsage,
    ).toEqual(['input', 'output']);
    expect(
      read('langfuse', {
        ...base,
        'langfuse.observation.usage_details': '{"input":10,"output":-1}',
      }).invalidUsage,
    ).toEqual(['output']);
    expect(
      read('langfuse', {
        ...base,
        'langfuse.observation.usage_details': '{"input":10,"output":1}',
        'gen_ai.usage.input_tokens': 'NaN',
      }).invalidUsage,
    ).toEqual(['input']);
    const valid = read('langfuse', {
      ...base,
      'langfuse.observation.usage_details':
        '{"input":10,"output":"5","input_cached_tokens":4}',
    });
    expect(valid.invalidUsage).toEqual([]);
    expect(valid.usage).toMatchObject({
      inputTokens: 14,
      outputTokens: 5,
      cacheReadTokens: 4,
    });
  });

  it('reported costs: decimal strings only, never hex', () => {
    const cost = (value: string | number) =>
      read('gen_ai', {
        'gen_ai.usage.input_tokens': 1,
        'gen_ai.usage.cost': value,
      }).reportedCostUsd;
    expect(cost('0.0123')).toBe(0.0123);
    expect(cost('1.5e-5')).toBe(1.5e-5);
    expect(cost(0.5)).toBe(0.5);
    expect(cost('0x10')).toBeUndefined();
    expect(cost('Infinity')).toBeUndefined();
    expect(cost(-1)).toBeUndefined();
    expect(cost(Number.NaN)).toBeUndefined();
  });
});

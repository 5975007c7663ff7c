/**
 * The AI SDK reader parses `ai.response.providerMetadata` only when its
 * text can name a count it reads (issue 15): text that opens a JSON object
 * and holds neither `Tokens`, `_tokens` nor a backslash is taken as no
 * count without `JSON.parse`. Against the readers as they were
 * (`reference-readers.ts`, which always parse), on generated metadata
 * texts: objects with and without the count names (at any depth, as keys
 * or values), keys spelled with `\u` escapes, JSON whitespace and other
 * blanks around the text, truncated text, arrays, scalars, `null`, and
 * texts over the parse bound. A gate that skips text naming a count, or
 * text that is not an object, fails here.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeSpan } from '../../../src/core/normalize/normalize-span.js';
import { MAX_JSON_BAG_LENGTH } from '../../../src/core/normalize/read-attributes.js';
import type { SpanAttributes, SpanLike } from '../../../src/core/span-like.js';
import { referenceNormalize } from './reference-readers.js';

/** The names the reader reads, and names that only look like them. */
const COUNT_NAMES = [
  'cachedPromptTokens',
  'reasoningTokens',
  'cacheReadInputTokens',
  'cacheCreationInputTokens',
  'cacheWriteInputTokens',
  'cache_read_input_tokens',
  'cache_creation_input_tokens',
];
const OTHER_NAMES = [
  'openai',
  'anthropic',
  'bedrock',
  'usage',
  'google',
  'usageMetadata',
  'promptTokenCount',
  'thoughtsTokenCount',
  'responseId',
  'serviceTier',
  'cachedPromptToken',
  'reasoning_token',
  'TOKENS',
  'tokens',
];

const value: fc.Arbitrary<unknown> = fc.letrec(tie => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.nat({ max: 5_000 }),
    fc.constantFrom(-1, 1.5, '30', null, true, 'Tokens', '_tokens'),
    fc.dictionary(
      fc.constantFrom(...COUNT_NAMES, ...OTHER_NAMES),
      tie('node'),
      { maxKeys: 4 },
    ),
    fc.array(tie('node'), { maxLength: 3 }),
  ),
})).node;

const metadataObject = fc.dictionary(
  fc.constantFrom('openai', 'anthropic', 'bedrock', 'google', 'mistral'),
  value,
  { maxKeys: 3 },
);

/** JSON with some characters of its keys written as `\u` escapes. */
function escapedJson(object: unknown, every: number): string {
  return JSON.stringify(object).replace(
    /"([^"\\]*)":/g,
    (_whole, key: string) =>
      `"${[...key]
        .map((char, i) =>
          i % every === 0
            ? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
            : char,
        )
        .join('')}":`,
  );
}

const blank = fc.constantFrom('', ' ', '\t', '\n', '\r\n ', '\u00a0', '\ufeff');

const text: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: metadataObject.map(o => JSON.stringify(o)) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(metadataObject, fc.integer({ min: 1, max: 5 }))
      .map(([o, every]) => escapedJson(o, every)),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(blank, metadataObject, blank)
      .map(([before, o, after]) => `${before}${JSON.stringify(o)}${after}`),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(metadataObject, fc.nat()).map(([o, cut]) => {
      const json = JSON.stringify(o);
      return json.slice(0, cut % (json.length + 1));
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(metadataObject, { maxLength: 2 })
      .map(list => JSON.stringify(list)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      '   ',
      'null',
      '3',
      '"{\\"openai\\":{\\"cachedPromptTokens\\":5}}"',
      '{}',
      '{ }',
      '{"openai":{}}',
      '{"openai":{"cachedPromptTokens":5}}',
      '{"openai":{"cachedPromptTokens":5}} x',
      '{"google":{"usageMetadata":{"promptTokenCount":10}}}',
      '{"anthropic":{"usage":{"cache_read_input_tokens":7}}}',
      `{"google":"${'x'.repeat(MAX_JSON_BAG_LENGTH)}"}`,
      `{"openai":{"cachedPromptTokens":9},"pad":"${'x'.repeat(MAX_JSON_BAG_LENGTH)}"}`,
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(7, true, ['{}'], null) },
);

function spanOf(attributes: Record<string, unknown>): SpanLike {
  return {
    name: 'ai.generateText.doGenerate',
    scopeName: 'ai',
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    parentSpanId: undefined,
    startTimeMillis: 1_700_000_000_000,
    attributes: attributes as SpanAttributes,
  };
}

describe('AI SDK provider metadata: parsed only when it can name a count', () => {
  it('reads the same call as the reader that always parses', () => {
    fc.assert(
      fc.property(
        text,
        fc.constantFrom(
          'openai.chat',
          'anthropic.messages',
          'google.generative-ai',
        ),
        fc.constantFrom('ai/4.3.16', 'ai/5.0.1', 'ai/6.0.3'),
        fc.option(fc.nat({ max: 300 }), { nil: undefined }),
        (metadata, provider, agent, cacheRead) => {
          const span = spanOf({
            'ai.operationId': 'ai.generateText.doGenerate',
            'ai.model.provider': provider,
            'ai.request.headers.user-agent': agent,
            'ai.usage.promptTokens': 1_000,
            'ai.usage.completionTokens': 40,
            ...(cacheRead === undefined
              ? {}
              : { 'ai.usage.cachedInputTokens': cacheRead }),
            'ai.response.providerMetadata': metadata,
          });
          expect(normalizeSpan(span, 'ai_sdk')).toEqual(
            referenceNormalize(span, 'ai_sdk'),
          );
        },
      ),
      { numRuns: 10_000 },
    );
  });

  it('a count behind an escaped key or after whitespace still counts', () => {
    // gpt-4o-mini, AI SDK 5: cache reads only in the metadata.
    for (const metadata of [
      '{"openai":{"cachedPrompt\\u0054okens":600}}',
      ' \n{"openai":{"cachedPromptTokens":600}}',
    ]) {
      const call = normalizeSpan(
        spanOf({
          'ai.operationId': 'ai.generateText.doGenerate',
          'ai.model.provider': 'openai.chat',
          'ai.request.headers.user-agent': 'ai/5.0.1',
          'ai.usage.promptTokens': 1_000,
          'ai.usage.completionTokens': 40,
          'ai.response.providerMetadata': metadata,
        }),
        'ai_sdk',
      );
      expect(call.usage?.cacheReadTokens).toBe(600);
      expect(call.usage?.inputTokens).toBe(1_000);
    }
  });

  it('metadata that is not an object leaves the cache counts invalid', () => {
    const call = normalizeSpan(
      spanOf({
        'ai.operationId': 'ai.generateText.doGenerate',
        'ai.model.provider': 'google.generative-ai',
        'ai.usage.promptTokens': 1_000,
        'ai.usage.completionTokens': 40,
        'ai.response.providerMetadata': '[{"google":{}}]',
      }),
      'ai_sdk',
    );
    expect(call.usage).toBeUndefined();
    expect(call.invalidUsage).toEqual([
      'cache_read',
      'cache_write',
      'reasoning',
    ]);
  });
});

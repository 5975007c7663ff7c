/**
 * The span readers read each key as a literal, allocate no list per call
 * and share their empty answers (issue 15). Against the readers as they
 * were (`reference-readers.ts`, key lists and all), on generated spans of
 * every family: valid, invalid and missing counts under every alias key,
 * provider metadata and Langfuse usage details (objects, arrays, numbers,
 * truncated JSON, paths present or not), reported costs, blank and padded
 * strings, user agents of every major, in any key order and scope. A
 * literal that differs from its list by one character, a wrong order of
 * preference or a lost invalid count fails here.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeSpan } from '../../../src/core/normalize/normalize-span.js';
import type { SpanFamily } from '../../../src/core/select/classify-span.js';
import type { SpanAttributes, SpanLike } from '../../../src/core/span-like.js';
import { referenceNormalize } from './reference-readers.js';

const COUNT_KEYS = [
  // GenAI semconv, old and new names.
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.prompt_tokens',
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.completion_tokens',
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.cache_read_input_tokens',
  'gen_ai.usage.input_tokens.cached',
  'gen_ai.usage.cache_creation.input_tokens',
  'gen_ai.usage.cache_write.input_tokens',
  'gen_ai.usage.cache_creation_input_tokens',
  'gen_ai.usage.input_tokens.cache_write',
  'gen_ai.usage.reasoning.output_tokens',
  'gen_ai.usage.reasoning_tokens',
  // AI SDK.
  'ai.usage.inputTokens',
  'ai.usage.promptTokens',
  'ai.usage.tokens',
  'ai.usage.outputTokens',
  'ai.usage.completionTokens',
  'ai.usage.inputTokenDetails.noCacheTokens',
  'ai.usage.inputTokenDetails.cacheReadTokens',
  'ai.usage.cachedInputTokens',
  'ai.usage.inputTokenDetails.cacheWriteTokens',
  'ai.usage.outputTokenDetails.reasoningTokens',
  'ai.usage.reasoningTokens',
  // OpenInference.
  'llm.token_count.prompt',
  'llm.token_count.completion',
  'llm.token_count.prompt_details.cache_read',
  'llm.token_count.prompt_details.cache_write',
  'llm.token_count.completion_details.reasoning',
  'llm.token_count.prompt_details.audio',
  'llm.token_count.completion_details.audio',
];

const STRING_KEYS = [
  'gen_ai.provider.name',
  'gen_ai.system',
  'gen_ai.request.model',
  'gen_ai.response.model',
  'gen_ai.response.id',
  'gen_ai.operation.name',
  'ai.model.provider',
  'ai.model.id',
  'ai.response.model',
  'ai.response.id',
  'ai.operationId',
  'ai.request.headers.user-agent',
  'llm.provider',
  'llm.system',
  'llm.model_name',
  'llm.response.model_name',
  'llm.request.model_name',
  'embedding.model_name',
  'openinference.span.kind',
  'langfuse.observation.model.name',
  'langfuse.observation.type',
];

const COST_KEYS = [
  'gen_ai.usage.cost',
  'gen_ai.cost.source',
  'llm.cost.total',
  'langfuse.observation.cost_details',
];

const count = fc.oneof(
  fc.nat({ max: 2_000_000 }),
  fc.constantFrom(0, 600_000_000, 1_000_000_000, 1_000_000_001),
  fc.constantFrom(-1, 1.5, Number.NaN, Infinity, '12', ' 7', 'x', '', true),
  fc.bigInt({ min: -2n, max: 5_000_000n }),
  fc.constant(null),
);

const text = fc.oneof(
  fc.constantFrom(
    'gpt-4o',
    ' gpt-4o ',
    '',
    '   ',
    'openai',
    'openai.chat',
    'anthropic',
    'anthropic.messages',
    'amazon-bedrock',
    'google.vertex.anthropic.messages',
    'gcp.gemini',
    'chat',
    'embeddings',
    'invoke_agent',
    'LLM',
    'embedding',
    'EMBEDDING',
    'generation',
    'ai.generateText.doGenerate',
    'ai.streamText.doStream',
    'ai.embed.doEmbed',
    'ai/4.3.16',
    'ai/5.0.1 runtime/node',
    'node ai/6.0.325',
    'ai/7.1.0',
    'xai/5.0.0',
  ),
  fc.string({ maxLength: 6 }),
  fc.integer(),
);

/** Provider metadata (AI SDK) and Langfuse details: JSON and not. */
const usageNumber = fc.oneof(
  fc.nat({ max: 5000 }),
  fc.constantFrom(-1, 2.5, '30', null, true),
);
const metadataObject = fc.record(
  {
    openai: fc.record(
      { cachedPromptTokens: usageNumber, reasoningTokens: usageNumber },
      { requiredKeys: [] },
    ),
    anthropic: fc.record(
      {
        cacheReadInputTokens: usageNumber,
        cacheCreationInputTokens: usageNumber,
        usage: fc.record(
          {
            cache_read_input_tokens: usageNumber,
            cache_creation_input_tokens: usageNumber,
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    ),
    bedrock: fc.oneof(
      fc.record(
        {
          usage: fc.record(
            {
              cacheReadInputTokens: usageNumber,
              cacheWriteInputTokens: usageNumber,
            },
            { requiredKeys: [] },
          ),
        },
        { requiredKeys: [] },
      ),
      fc.constant([1, 2]),
      fc.constant('x'),
    ),
  },
  { requiredKeys: [] },
);
const detailsObject = fc.dictionary(
  fc.constantFrom(
    'input',
    'prompt_tokens',
    'input_tokens',
    'output',
    'completion_tokens',
    'output_tokens',
    'input_cached_tokens',
    'cache_read_input_tokens',
    'input_cache_read',
    'input_cache_creation',
    'cache_creation_input_tokens',
    'input_cache_write',
    'output_reasoning_tokens',
    'output_reasoning',
    'total',
    'constructor',
  ),
  usageNumber,
  { maxKeys: 6 },
);
const bag = fc.oneof(
  metadataObject.map(value => JSON.stringify(value)),
  detailsObject.map(value => JSON.stringify(value)),
  metadataObject.map(value => JSON.stringify(value).slice(0, -1)),
  fc.constantFrom('[1]', '3', '"x"', 'null', '{}', '{"total":0.5}', ''),
  fc.constantFrom(7, true, ['a']),
);

const cost = fc.oneof(
  fc.double({ min: 0, max: 10, noNaN: true }),
  fc.constantFrom(-1, '0.0123', '1.5e-5', '0x10', 'Infinity', 'this-library'),
  fc.constantFrom('{"total":0.25}', '{"total":"0.5"}', '[0.1]', '{"total'),
);

const entry = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...COUNT_KEYS), count) },
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...STRING_KEYS), text) },
  {
    weight: 2,
    arbitrary: fc.tuple(
      fc.constantFrom(
        'ai.response.providerMetadata',
        'langfuse.observation.usage_details',
      ),
      bag,
    ),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...COST_KEYS), cost) },
  {
    weight: 1,
    arbitrary: fc.tuple(
      fc.constantFrom('http.route', 'gen_ai.usage', 'user.id', 'ai.usage'),
      fc.oneof(count, text),
    ),
  },
);

const scope = fc.constantFrom(
  'ai',
  'gen_ai',
  'app',
  '@traceloop/instrumentation-anthropic',
  '@traceloop/instrumentation-bedrock',
  '@traceloop/instrumentation-google-generativeai',
  '@opentelemetry/instrumentation-openai',
  'com.anthropic.sdk.typescript',
  '@arizeai/openinference-instrumentation-bedrock',
  '@arizeai/openinference-instrumentation-openai',
  'langfuse-sdk',
);

const family = fc.constantFrom<SpanFamily>(
  'ai_sdk',
  'gen_ai',
  'openinference',
  'langfuse',
);

function spanOf(
  entries: readonly (readonly [string, unknown])[],
  scopeName: string,
): SpanLike {
  const attributes: Record<string, unknown> = {};
  for (const [key, value] of entries) attributes[key] = value;
  return {
    name: 'call',
    scopeName,
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    parentSpanId: undefined,
    startTimeMillis: 1_700_000_000_000,
    attributes: attributes as SpanAttributes,
  };
}

describe('span readers, single pass: the same call as the key-list readers', () => {
  it('every family, generated attributes', () => {
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 24 }),
        scope,
        family,
        (entries, scopeName, which) => {
          const span = spanOf(entries, scopeName);
          expect(normalizeSpan(span, which)).toEqual(
            referenceNormalize(span, which),
          );
        },
      ),
      { numRuns: 6000 },
    );
  });

  it('AI SDK provider metadata: every path, in order of preference', () => {
    // Counts only in the metadata (v4, v5), mostly valid and distinct, so a
    // path read in the wrong order or under a wrong name changes a count.
    const valid = fc.oneof(
      { weight: 4, arbitrary: fc.nat({ max: 5000 }) },
      { weight: 1, arbitrary: fc.constantFrom(-1, '30', null) },
    );
    const section = (keys: readonly string[]) =>
      fc.dictionary(fc.constantFrom(...keys), valid, { maxKeys: keys.length });
    const metadata = fc.record(
      {
        openai: section(['cachedPromptTokens', 'reasoningTokens']),
        anthropic: fc
          .tuple(
            section(['cacheReadInputTokens', 'cacheCreationInputTokens']),
            section(['cache_read_input_tokens', 'cache_creation_input_tokens']),
          )
          .map(([top, usage]) => ({ ...top, usage })),
        bedrock: section(['cacheReadInputTokens', 'cacheWriteInputTokens']).map(
          usage => ({ usage }),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        metadata,
        fc.nat({ max: 20_000 }),
        fc.constantFrom('openai.chat', 'anthropic.messages', 'amazon-bedrock'),
        fc.constantFrom('ai/4.3.16', 'ai/5.0.1'),
        (bag, input, provider, agent) => {
          const span = spanOf(
            [
              ['ai.operationId', 'ai.generateText.doGenerate'],
              ['ai.model.provider', provider],
              ['ai.request.headers.user-agent', agent],
              ['ai.usage.promptTokens', input],
              ['ai.usage.completionTokens', 40],
              ['ai.response.providerMetadata', JSON.stringify(bag)],
            ],
            'ai',
          );
          expect(normalizeSpan(span, 'ai_sdk')).toEqual(
            referenceNormalize(span, 'ai_sdk'),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('many spans in a row (memos, shared answers) read like one at a time', () => {
    // The user-agent memo and the shared empty lists must never carry one
    // span's answer into the next: read a run of spans twice, in two
    // orders, against the reference each time.
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.array(entry, { maxLength: 16 }), scope, family), {
          minLength: 2,
          maxLength: 12,
        }),
        runs => {
          const spans = runs.map(
            ([entries, scopeName, which]) =>
              [spanOf(entries, scopeName), which] as const,
          );
          for (const order of [spans, [...spans].reverse()]) {
            for (const [span, which] of order) {
              const call = normalizeSpan(span, which);
              expect(call).toEqual(referenceNormalize(span, which));
            }
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a shared empty list is never modified by a consumer that copies it', () => {
    const span = spanOf(
      [
        ['gen_ai.operation.name', 'chat'],
        ['gen_ai.usage.input_tokens', 10],
        ['gen_ai.usage.output_tokens', 5],
      ],
      'app',
    );
    const call = normalizeSpan(span, 'gen_ai');
    expect(call.issues).toEqual([]);
    expect(call.invalidUsage).toEqual([]);
    expect(() => (call.issues as string[]).push('x')).toThrow(TypeError);
    expect(normalizeSpan(span, 'gen_ai').issues).toEqual([]);
  });
});

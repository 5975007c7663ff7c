/**
 * `readGenAi` reads its keys as literals (named property reads, for speed).
 * Against the previous reader, which read the same key lists in order of
 * preference with `readFirstCount` / `readFirstString` (kept here as the
 * reference, with the `semconv.ts` constants), on generated attributes:
 * valid, invalid and missing counts under every alias key, blank and
 * padded strings, in any key order and scope. A literal that differs from
 * the list by one character, or a wrong order of preference, fails here.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildUsage } from '../../../src/core/normalize/build-usage.js';
import { normalizeProvider } from '../../../src/core/normalize/normalize-provider.js';
import {
  readFirstCount,
  readFirstString,
  readString,
} from '../../../src/core/normalize/read-attributes.js';
import { readGenAi } from '../../../src/core/normalize/read-gen-ai.js';
import { readReportedCost } from '../../../src/core/normalize/read-reported-cost.js';
import { genAiInputExcludesCache } from '../../../src/core/normalize/reports-uncached-input.js';
import { genAiOutputExcludesReasoning } from '../../../src/core/normalize/reports-output-without-reasoning.js';
import type { SpanAttributes, SpanLike } from '../../../src/core/span-like.js';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_SYSTEM,
} from '../../../src/semconv.js';

const INPUT_KEYS = ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens'];
const OUTPUT_KEYS = [
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.completion_tokens',
];
const CACHE_READ_KEYS = [
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.cache_read_input_tokens',
  'gen_ai.usage.input_tokens.cached',
];
const CACHE_WRITE_KEYS = [
  'gen_ai.usage.cache_creation.input_tokens',
  'gen_ai.usage.cache_write.input_tokens',
  'gen_ai.usage.cache_creation_input_tokens',
  'gen_ai.usage.input_tokens.cache_write',
];
const REASONING_KEYS = [
  'gen_ai.usage.reasoning.output_tokens',
  'gen_ai.usage.reasoning_tokens',
];
const MODEL_KEYS = [ATTR_GEN_AI_RESPONSE_MODEL, ATTR_GEN_AI_REQUEST_MODEL];
const PROVIDER_KEYS = [ATTR_GEN_AI_PROVIDER_NAME, ATTR_GEN_AI_SYSTEM];

/** The reader as it was, key lists and all. */
function reference(span: SpanLike): unknown {
  const attributes = span.attributes;
  const provider = normalizeProvider(
    readFirstString(attributes, PROVIDER_KEYS),
  );
  const traceloop = span.scopeName.startsWith('@traceloop/');
  const { usage, issues, invalid } = buildUsage({
    input: readFirstCount(attributes, INPUT_KEYS),
    output: readFirstCount(attributes, OUTPUT_KEYS),
    cacheRead: readFirstCount(attributes, CACHE_READ_KEYS),
    cacheWrite: readFirstCount(attributes, CACHE_WRITE_KEYS),
    reasoning: readFirstCount(attributes, REASONING_KEYS),
    inputExcludesCache: genAiInputExcludesCache(span.scopeName, provider),
    outputExcludesReasoning: genAiOutputExcludesReasoning(span.scopeName),
  });
  return {
    emitter: traceloop ? 'traceloop' : 'gen_ai',
    provider,
    model: readFirstString(attributes, MODEL_KEYS),
    operation: readString(attributes, ATTR_GEN_AI_OPERATION_NAME) ?? 'chat',
    usage,
    invalidUsage: invalid,
    reportedCostUsd: readReportedCost(attributes),
    responseId: readString(attributes, ATTR_GEN_AI_RESPONSE_ID),
    startTimeMillis: span.startTimeMillis,
    issues,
  };
}

const COUNT_KEYS = [
  ...INPUT_KEYS,
  ...OUTPUT_KEYS,
  ...CACHE_READ_KEYS,
  ...CACHE_WRITE_KEYS,
  ...REASONING_KEYS,
];
const STRING_KEYS = [
  ...MODEL_KEYS,
  ...PROVIDER_KEYS,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_RESPONSE_ID,
];
const count = fc.oneof(
  fc.nat({ max: 2_000_000 }),
  fc.constantFrom(-1, 1.5, Number.NaN, '12', ' 7', 'x', '', true),
  fc.bigInt({ min: -2n, max: 5_000_000n }),
);
const text = fc.oneof(
  fc.constantFrom(
    'gpt-4o',
    ' gpt-4o ',
    '',
    '   ',
    'openai',
    'anthropic',
    'gcp.gemini',
    'chat',
  ),
  fc.string({ maxLength: 6 }),
  fc.integer(),
);
const entry = fc.oneof(
  fc.tuple(fc.constantFrom(...COUNT_KEYS), count),
  fc.tuple(fc.constantFrom(...STRING_KEYS), text),
  fc.tuple(
    fc.constantFrom('gen_ai.usage.cost', 'http.route', 'gen_ai.usage'),
    fc.oneof(count, text),
  ),
);
const scope = fc.constantFrom(
  'app',
  '@traceloop/instrumentation-anthropic',
  '@traceloop/instrumentation-google-generativeai',
  '@opentelemetry/instrumentation-openai',
  '@anthropic-ai/sdk',
  'com.anthropic.sdk',
);

describe('readGenAi, literal keys', () => {
  it('reads what the key-list reader read', () => {
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 16 }),
        scope,
        (entries, scopeName) => {
          const attributes: Record<string, unknown> = {};
          for (const [key, value] of entries) attributes[key] = value;
          const span = {
            name: 'chat',
            scopeName,
            attributes: attributes as SpanAttributes,
            startTimeMillis: 1_700_000_000_000,
          } as unknown as SpanLike;
          expect(readGenAi(span)).toEqual(reference(span));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

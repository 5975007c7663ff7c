import type { LlmCall } from '../llm-call.js';
import type { SpanLike } from '../span-like.js';
import {
  ATTR_AI_MODEL_ID,
  ATTR_AI_MODEL_PROVIDER,
  ATTR_AI_OPERATION_ID,
  ATTR_AI_PROVIDER_METADATA,
  ATTR_AI_RESPONSE_ID,
  ATTR_AI_RESPONSE_MODEL,
  ATTR_AI_USER_AGENT,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_SYSTEM,
} from '../../semconv.js';
import { buildUsage } from './build-usage.js';
import { reportsUncachedInput } from './reports-uncached-input.js';
import { normalizeProvider } from './normalize-provider.js';
import {
  readCount,
  readFirstCount,
  readFirstString,
  NOT_AN_OBJECT,
  readJsonBag,
  UNREADABLE_BAG,
  readPath,
} from './read-attributes.js';
import { readReportedCost } from './read-reported-cost.js';
import { firstCount, INVALID_COUNT, type CountReading } from './token-count.js';

const INPUT_KEYS = [
  'ai.usage.inputTokens',
  'gen_ai.usage.input_tokens',
  'ai.usage.promptTokens',
  'gen_ai.usage.prompt_tokens',
  'ai.usage.tokens',
];
const OUTPUT_KEYS = [
  'ai.usage.outputTokens',
  'gen_ai.usage.output_tokens',
  'ai.usage.completionTokens',
  'gen_ai.usage.completion_tokens',
];
const NO_CACHE_KEY = 'ai.usage.inputTokenDetails.noCacheTokens';
const CACHE_READ_KEYS = [
  'ai.usage.inputTokenDetails.cacheReadTokens',
  'ai.usage.cachedInputTokens',
  'gen_ai.usage.cache_read.input_tokens',
];
const CACHE_WRITE_KEYS = [
  'ai.usage.inputTokenDetails.cacheWriteTokens',
  'gen_ai.usage.cache_creation.input_tokens',
];
const REASONING_KEYS = [
  'ai.usage.outputTokenDetails.reasoningTokens',
  'ai.usage.reasoningTokens',
];
const MODEL_KEYS = [
  ATTR_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_AI_MODEL_ID,
];

// `ai.response.providerMetadata` paths, for majors that keep cache and
// reasoning counts only there (v4, v5).
const META_CACHE_READ = [
  ['openai', 'cachedPromptTokens'],
  ['anthropic', 'cacheReadInputTokens'],
  ['anthropic', 'usage', 'cache_read_input_tokens'],
  ['bedrock', 'usage', 'cacheReadInputTokens'],
];
const META_CACHE_WRITE = [
  ['anthropic', 'cacheCreationInputTokens'],
  ['anthropic', 'usage', 'cache_creation_input_tokens'],
  ['bedrock', 'usage', 'cacheWriteInputTokens'],
];
const META_REASONING = [['openai', 'reasoningTokens']];

/** Reads the `ai.*` span family: AI SDK v4, v5, v6 and v7 legacy spans. */
export function readAiSdk(span: SpanLike): LlmCall {
  const attributes = span.attributes;
  const rawProvider = readFirstString(attributes, [
    ATTR_GEN_AI_SYSTEM,
    ATTR_AI_MODEL_PROVIDER,
  ]);
  const provider = normalizeProvider(rawProvider);
  const operationId = attributes[ATTR_AI_OPERATION_ID];
  const embedding =
    typeof operationId === 'string' && operationId.endsWith('.doEmbed');
  // Provider metadata that is not a JSON object (an array, a number) is
  // invalid like any count source; one that cannot be parsed (too long, or
  // truncated by an attribute length limit) is not read.
  const bag = readJsonBag(attributes, ATTR_AI_PROVIDER_METADATA);
  const metadata = bag === UNREADABLE_BAG ? undefined : bag;
  // The uncached part of the input: read only to know the input is a
  // total, but an invalid value there is an invalid input count.
  const noCache = readCount(attributes, NO_CACHE_KEY);
  const hasDetails = typeof noCache === 'number';
  const { usage, issues, invalid } = buildUsage({
    input: firstCount([
      noCache === INVALID_COUNT ? INVALID_COUNT : undefined,
      readFirstCount(attributes, INPUT_KEYS),
    ]),
    output: embedding ? 0 : readFirstCount(attributes, OUTPUT_KEYS),
    // Attributes first, provider metadata as fallback; an invalid value in
    // either leaves the count invalid.
    cacheRead: firstCount([
      readFirstCount(attributes, CACHE_READ_KEYS),
      firstPath(metadata, META_CACHE_READ),
    ]),
    cacheWrite: firstCount([
      readFirstCount(attributes, CACHE_WRITE_KEYS),
      firstPath(metadata, META_CACHE_WRITE),
    ]),
    reasoning: firstCount([
      readFirstCount(attributes, REASONING_KEYS),
      firstPath(metadata, META_REASONING),
    ]),
    inputExcludesCache: inputExcludesCache(
      hasDetails,
      majorVersion(attributes[ATTR_AI_USER_AGENT]),
      provider,
      rawProvider,
    ),
  });
  return {
    emitter: 'ai_sdk',
    provider,
    model: readFirstString(attributes, MODEL_KEYS),
    operation: embedding ? 'embeddings' : 'chat',
    usage,
    invalidUsage: invalid,
    reportedCostUsd: readReportedCost(attributes),
    responseId: readFirstString(attributes, [
      ATTR_AI_RESPONSE_ID,
      ATTR_GEN_AI_RESPONSE_ID,
    ]),
    startTimeMillis: span.startTimeMillis,
    issues,
  };
}

/**
 * AI SDK >= 6 reports the total input (cache included) with a breakdown.
 * v4 and v5 pass through the provider's own number, which for Anthropic and
 * Bedrock excludes cache tokens.
 */
function inputExcludesCache(
  hasDetails: boolean,
  major: number | undefined,
  provider: string | undefined,
  rawProvider: string | undefined,
): boolean | undefined {
  if (hasDetails || (major !== undefined && major >= 6)) return false;
  if (reportsUncachedInput(provider, rawProvider)) {
    return true;
  }
  return major === undefined ? undefined : false;
}

function majorVersion(
  userAgent: SpanLike['attributes'][string],
): number | undefined {
  if (typeof userAgent !== 'string') return undefined;
  const match = /(?:^|\s)ai\/(\d+)\./.exec(userAgent);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

function firstPath(
  metadata: Record<string, unknown> | typeof NOT_AN_OBJECT | undefined,
  paths: readonly (readonly string[])[],
): CountReading {
  if (metadata === undefined) return undefined;
  if (metadata === NOT_AN_OBJECT) return INVALID_COUNT;
  return firstCount(paths.map(path => readPath(metadata, path)));
}

import type { LlmCall } from '../llm-call.js';
import type { SpanLike } from '../span-like.js';
import { buildUsage } from './build-usage.js';
import { reportsUncachedInput } from './reports-uncached-input.js';
import { normalizeProvider } from './normalize-provider.js';
import {
  firstCountOf,
  jsonBagOf,
  MAX_JSON_BAG_LENGTH,
  NOT_AN_OBJECT,
  stringValue,
  UNREADABLE_BAG,
} from './read-attributes.js';
import { readReportedCost } from './read-reported-cost.js';
import {
  eitherCount,
  INVALID_COUNT,
  parseTokenCount,
  type CountReading,
} from './token-count.js';

/**
 * Reads the `ai.*` span family: AI SDK v4, v5, v6 and v7 legacy spans.
 * Each key is read as a literal (a named property read, cached per site;
 * see `firstCountOf`), in order of preference; the `semconv.ts` names:
 * `ai.*` and `gen_ai.*` model, provider and response id keys,
 * `ai.operationId`, `ai.response.providerMetadata`,
 * `ai.request.headers.user-agent`. `readers-equivalence.property.test.ts`
 * checks them against the key lists they replace.
 */
export function readAiSdk(span: SpanLike): LlmCall {
  const attributes = span.attributes;
  const rawProvider =
    stringValue(attributes['gen_ai.system']) ??
    stringValue(attributes['ai.model.provider']);
  const provider = normalizeProvider(rawProvider);
  const operationId = attributes['ai.operationId'];
  const embedding =
    typeof operationId === 'string' && operationId.endsWith('.doEmbed');
  // Provider metadata that is not a JSON object (an array, a number) is
  // invalid like any count source; one that cannot be parsed (too long, or
  // truncated by an attribute length limit) is not read.
  const fromMetadata = providerMetadataCounts(
    attributes['ai.response.providerMetadata'],
  );
  // The uncached part of the input: read only to know the input is a
  // total, but an invalid value there is an invalid input count.
  const noCache = parseTokenCount(
    attributes['ai.usage.inputTokenDetails.noCacheTokens'],
  );
  const hasDetails = typeof noCache === 'number';
  const { usage, issues, invalid } = buildUsage({
    input: eitherCount(
      noCache === INVALID_COUNT ? INVALID_COUNT : undefined,
      eitherCount(
        firstCountOf(
          attributes['ai.usage.inputTokens'],
          attributes['gen_ai.usage.input_tokens'],
          attributes['ai.usage.promptTokens'],
          attributes['gen_ai.usage.prompt_tokens'],
        ),
        parseTokenCount(attributes['ai.usage.tokens']),
      ),
    ),
    output: embedding
      ? 0
      : firstCountOf(
          attributes['ai.usage.outputTokens'],
          attributes['gen_ai.usage.output_tokens'],
          attributes['ai.usage.completionTokens'],
          attributes['gen_ai.usage.completion_tokens'],
        ),
    // Attributes first, provider metadata as fallback; an invalid value in
    // either leaves the count invalid.
    cacheRead: eitherCount(
      firstCountOf(
        attributes['ai.usage.inputTokenDetails.cacheReadTokens'],
        attributes['ai.usage.cachedInputTokens'],
        attributes['gen_ai.usage.cache_read.input_tokens'],
      ),
      fromMetadata.cacheRead,
    ),
    cacheWrite: eitherCount(
      firstCountOf(
        attributes['ai.usage.inputTokenDetails.cacheWriteTokens'],
        attributes['gen_ai.usage.cache_creation.input_tokens'],
      ),
      fromMetadata.cacheWrite,
    ),
    reasoning: eitherCount(
      firstCountOf(
        attributes['ai.usage.outputTokenDetails.reasoningTokens'],
        attributes['ai.usage.reasoningTokens'],
      ),
      fromMetadata.reasoning,
    ),
    inputExcludesCache: hasDetails
      ? false
      : inputExcludesCache(
          majorVersion(attributes['ai.request.headers.user-agent']),
          provider,
          rawProvider,
        ),
  });
  return {
    emitter: 'ai_sdk',
    provider,
    model:
      stringValue(attributes['ai.response.model']) ??
      stringValue(attributes['gen_ai.response.model']) ??
      stringValue(attributes['gen_ai.request.model']) ??
      stringValue(attributes['ai.model.id']),
    operation: embedding ? 'embeddings' : 'chat',
    usage,
    invalidUsage: invalid,
    reportedCostUsd: readReportedCost(attributes),
    responseId:
      stringValue(attributes['ai.response.id']) ??
      stringValue(attributes['gen_ai.response.id']),
    startTimeMillis: span.startTimeMillis,
    issues,
  };
}

/**
 * AI SDK >= 6 reports the total input (cache included) with a breakdown
 * (a span with the breakdown never gets here). v4 and v5 pass through the
 * provider's own number, which for Anthropic and Bedrock excludes cache
 * tokens.
 */
function inputExcludesCache(
  major: number | undefined,
  provider: string | undefined,
  rawProvider: string | undefined,
): boolean | undefined {
  if (major !== undefined && major >= 6) return false;
  if (reportsUncachedInput(provider, rawProvider)) {
    return true;
  }
  return major === undefined ? undefined : false;
}

/** The last user agent read and its major: one app sends one user agent. */
let lastUserAgent: string | undefined;
let lastMajor: number | undefined;

function majorVersion(userAgent: unknown): number | undefined {
  if (typeof userAgent !== 'string') return undefined;
  if (userAgent === lastUserAgent) return lastMajor;
  const match = /(?:^|\s)ai\/(\d+)\./.exec(userAgent);
  const major = match?.[1] === undefined ? undefined : Number(match[1]);
  lastUserAgent = userAgent;
  lastMajor = major;
  return major;
}

interface MetadataCounts {
  readonly cacheRead: CountReading;
  readonly cacheWrite: CountReading;
  readonly reasoning: CountReading;
}

const NO_METADATA: MetadataCounts = Object.freeze({
  cacheRead: undefined,
  cacheWrite: undefined,
  reasoning: undefined,
});
const INVALID_METADATA: MetadataCounts = Object.freeze({
  cacheRead: INVALID_COUNT,
  cacheWrite: INVALID_COUNT,
  reasoning: INVALID_COUNT,
});

/**
 * The counts of `ai.response.providerMetadata` (`metadataCounts`), parsed
 * only when its text can name one of them. Text that opens a JSON object
 * (after JSON whitespace) parses to an object or not at all, and either
 * way gives no count unless a key is one of the names read below: each
 * holds `Tokens` or `_tokens`, and JSON can spell a key otherwise only
 * with a `\` escape. Such text (Google's, Mistral's, OpenAI responses'
 * metadata) is not parsed (~0.5 µs each); any other value is read as
 * before. The same counts (readers-equivalence.property.test.ts).
 */
function providerMetadataCounts(value: unknown): MetadataCounts {
  if (
    typeof value === 'string' &&
    value.length <= MAX_JSON_BAG_LENGTH &&
    opensJsonObject(value) &&
    value.indexOf('Tokens') === -1 &&
    value.indexOf('_tokens') === -1 &&
    value.indexOf('\\') === -1
  ) {
    return NO_METADATA;
  }
  const bag = jsonBagOf(value);
  return metadataCounts(bag === UNREADABLE_BAG ? undefined : bag);
}

/** Whether the first character after JSON whitespace is `{`. */
function opensJsonObject(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // JSON whitespace: space, tab, line feed, carriage return.
    if (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) {
      continue;
    }
    return code === 0x7b;
  }
  return false;
}

/**
 * The counts in `ai.response.providerMetadata`, for majors that keep cache
 * and reasoning counts only there (v4, v5), each kind in order of
 * preference (invalid when any of its paths holds an invalid value):
 * - cache read: `openai.cachedPromptTokens`,
 *   `anthropic.cacheReadInputTokens`,
 *   `anthropic.usage.cache_read_input_tokens`,
 *   `bedrock.usage.cacheReadInputTokens`;
 * - cache write: `anthropic.cacheCreationInputTokens`,
 *   `anthropic.usage.cache_creation_input_tokens`,
 *   `bedrock.usage.cacheWriteInputTokens`;
 * - reasoning: `openai.reasoningTokens`.
 * Own properties only, each object read once, literal keys.
 */
function metadataCounts(
  metadata: Record<string, unknown> | typeof NOT_AN_OBJECT | undefined,
): MetadataCounts {
  if (metadata === undefined) return NO_METADATA;
  if (metadata === NOT_AN_OBJECT) return INVALID_METADATA;
  const openai = own(metadata, 'openai');
  const anthropic = own(metadata, 'anthropic');
  const anthropicUsage = own(anthropic, 'usage');
  const bedrockUsage = own(own(metadata, 'bedrock'), 'usage');
  return {
    cacheRead: firstCountOf(
      own(openai, 'cachedPromptTokens'),
      own(anthropic, 'cacheReadInputTokens'),
      own(anthropicUsage, 'cache_read_input_tokens'),
      own(bedrockUsage, 'cacheReadInputTokens'),
    ),
    cacheWrite: firstCountOf(
      own(anthropic, 'cacheCreationInputTokens'),
      own(anthropicUsage, 'cache_creation_input_tokens'),
      own(bedrockUsage, 'cacheWriteInputTokens'),
    ),
    reasoning: parseTokenCount(own(openai, 'reasoningTokens')),
  };
}

/** An object's own property (a parsed JSON value), else undefined. */
function own(value: unknown, key: string): unknown {
  return value !== null &&
    typeof value === 'object' &&
    Object.hasOwn(value, key)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

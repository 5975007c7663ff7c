/**
 * The span readers as they were before the single-pass rewrite (issue 15,
 * commit b07d439), verbatim but for their imports and names: the reference
 * the rewritten readers must match field for field
 * (`readers-equivalence.property.test.ts`). Do not "fix" this file: it is
 * the behaviour being preserved.
 */
import type {
  LlmCall,
  TokenUsage,
  UsageIssue,
  UsageKind,
} from '../../../src/core/llm-call.js';
import type { SpanAttributes, SpanLike } from '../../../src/core/span-like.js';
import type { SpanFamily } from '../../../src/core/select/classify-span.js';
import {
  ATTR_AI_MODEL_ID,
  ATTR_AI_MODEL_PROVIDER,
  ATTR_AI_OPERATION_ID,
  ATTR_AI_PROVIDER_METADATA,
  ATTR_AI_RESPONSE_ID,
  ATTR_AI_RESPONSE_MODEL,
  ATTR_AI_USER_AGENT,
  ATTR_COST,
  ATTR_COST_SOURCE,
  ATTR_EMBEDDING_MODEL_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_SYSTEM,
  ATTR_LANGFUSE_COST_DETAILS,
  ATTR_LANGFUSE_MODEL,
  ATTR_LANGFUSE_OBSERVATION_TYPE,
  ATTR_LANGFUSE_USAGE_DETAILS,
  ATTR_LLM_COST_TOTAL,
  ATTR_LLM_MODEL_NAME,
  ATTR_LLM_PROVIDER,
  ATTR_LLM_SYSTEM,
  ATTR_OPENINFERENCE_SPAN_KIND,
} from '../../../src/semconv.js';
import { normalizeProvider } from '../../../src/core/normalize/normalize-provider.js';
import {
  firstCountOf,
  NOT_AN_OBJECT,
  readCount,
  readFirstCount,
  readFirstString,
  readJsonBag,
  readJsonObject,
  readPath,
  readPathValue,
  stringValue,
  UNREADABLE_BAG,
} from '../../../src/core/normalize/read-attributes.js';
import {
  genAiInputExcludesCache,
  openInferenceInputExcludesCache,
  reportsUncachedInput,
} from '../../../src/core/normalize/reports-uncached-input.js';
import { genAiOutputExcludesReasoning } from '../../../src/core/normalize/reports-output-without-reasoning.js';
import {
  firstCount,
  INVALID_COUNT,
  isTokenCount,
  type CountReading,
} from '../../../src/core/normalize/token-count.js';

/** The reference reader of one family, as `normalizeSpan` dispatched it. */
export function referenceNormalize(
  span: SpanLike,
  family: SpanFamily,
): LlmCall {
  switch (family) {
    case 'ai_sdk':
      return readAiSdk(span);
    case 'gen_ai':
      return readGenAi(span);
    case 'openinference':
      return readOpenInference(span);
    case 'langfuse':
      return readLangfuse(span);
  }
}

// ---- src/core/normalize/build-usage.ts as of b07d439 ----
/** Raw counts as a reader found them, before the semantics are fixed. */
interface RawUsage {
  input: CountReading;
  output: CountReading;
  cacheRead: CountReading;
  cacheWrite: CountReading;
  reasoning: CountReading;
  inputAudio?: CountReading;
  outputAudio?: CountReading;
  /**
   * `true` when the emitter is known to report input WITHOUT cache tokens
   * (AI SDK v4/v5 with Anthropic, Traceloop's Anthropic instrumentation),
   * `false` when known to include them, `undefined` when unknown.
   */
  inputExcludesCache: boolean | undefined;
  /**
   * `true` when the emitter is known to report output WITHOUT its reasoning
   * tokens (Traceloop's Google Gen AI instrumentation: Gemini's
   * `candidatesTokenCount` and `thoughtsTokenCount`); else the counts decide.
   */
  outputExcludesReasoning?: boolean;
}

interface BuiltUsage {
  usage: TokenUsage | undefined;
  issues: UsageIssue[];
  /** Kinds present but invalid; when non-empty, `usage` is undefined. */
  invalid: UsageKind[];
}

const KINDS: readonly (readonly [keyof RawUsage, UsageKind])[] = [
  ['input', 'input'],
  ['output', 'output'],
  ['cacheRead', 'cache_read'],
  ['cacheWrite', 'cache_write'],
  ['reasoning', 'reasoning'],
  ['inputAudio', 'input_audio'],
  ['outputAudio', 'output_audio'],
];

/**
 * The one place where token semantics are fixed: input includes cache read
 * and write, output includes reasoning. Inconsistent counts are corrected in
 * the direction that never under-charges and flagged. Any count present but
 * invalid (see `parseTokenCount`) leaves the call without usage: it is never
 * priced on the remaining counts. A total that the corrections push past
 * `MAX_TOKEN_COUNT` is invalid too.
 */
function buildUsage(raw: RawUsage): BuiltUsage {
  const issues: UsageIssue[] = [];
  const invalid: UsageKind[] = [];
  for (let i = 0; i < KINDS.length; i++) {
    const [field, kind] = KINDS[i] as (typeof KINDS)[number];
    if (raw[field] === INVALID_COUNT) invalid.push(kind);
  }
  if (invalid.length > 0) {
    return { usage: undefined, issues: ['invalid_usage'], invalid };
  }
  const counts = raw as RawCounts;
  if (counts.input === undefined && counts.output === undefined) {
    return { usage: undefined, issues, invalid };
  }
  const usage = fixSemantics(counts, issues);
  if (!isTokenCount(usage.inputTokens)) invalid.push('input');
  if (!isTokenCount(usage.outputTokens)) invalid.push('output');
  return invalid.length > 0
    ? { usage: undefined, issues: ['invalid_usage'], invalid }
    : { usage, issues, invalid };
}

/** `RawUsage` once no reading is invalid. */
type RawCounts = {
  readonly [K in keyof RawUsage]: Exclude<RawUsage[K], typeof INVALID_COUNT>;
};

function fixSemantics(raw: RawCounts, issues: UsageIssue[]): TokenUsage {
  const cacheRead = raw.cacheRead ?? 0;
  const cacheWrite = raw.cacheWrite ?? 0;
  const cached = cacheRead + cacheWrite;
  let input = raw.input ?? 0;
  if (cached > 0) {
    if (raw.inputExcludesCache === true) {
      input += cached;
      issues.push('input_excluded_cache');
    } else if (input < cached) {
      // Input smaller than its own cache parts: the emitter reported the
      // uncached part only (the Anthropic convention). Add the cache back.
      input += cached;
      issues.push(
        raw.inputExcludesCache === false
          ? 'cache_exceeds_input'
          : 'input_excluded_cache',
      );
    }
  }
  let output = raw.output ?? 0;
  const reasoning = raw.reasoning ?? 0;
  if (raw.outputExcludesReasoning === true) {
    if (reasoning > 0) {
      output += reasoning;
      issues.push('output_excluded_reasoning');
    }
  } else if (reasoning > output) {
    // Reasoning is a subset of output; a larger value means the emitter
    // reported output without it. Add it rather than under-charge.
    output += reasoning;
    issues.push('reasoning_exceeds_output');
  }
  const usage: Mutable<TokenUsage> = {
    inputTokens: input,
    outputTokens: output,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    reasoningTokens: reasoning,
  };
  // Assigned, not spread: a spread in a literal is V8's slow path.
  if (raw.inputAudio !== undefined) usage.inputAudioTokens = raw.inputAudio;
  if (raw.outputAudio !== undefined) usage.outputAudioTokens = raw.outputAudio;
  return usage;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

// ---- src/core/normalize/read-reported-cost.ts as of b07d439 ----
/**
 * A cost some upstream component already put on the span: a gateway's
 * `gen_ai.usage.cost`, OpenInference `llm.cost.total`, Langfuse cost details.
 * A `gen_ai.usage.cost` that this library wrote itself (it then also wrote
 * `gen_ai.cost.source`) is not a provider-reported cost.
 */
function readReportedCost(attributes: SpanAttributes): number | undefined {
  if (attributes[ATTR_COST_SOURCE] === undefined) {
    const cost = readAmount(attributes[ATTR_COST]);
    if (cost !== undefined) return cost;
  }
  const openInference = readAmount(attributes[ATTR_LLM_COST_TOTAL]);
  if (openInference !== undefined) return openInference;
  if (attributes[ATTR_LANGFUSE_COST_DETAILS] !== undefined) {
    const details = readJsonObject(attributes, ATTR_LANGFUSE_COST_DETAILS);
    return readAmount(readPathValue(details, ['total']));
  }
  return undefined;
}

/** A plain decimal number, optionally with a fraction and an exponent. */
const DECIMAL_AMOUNT = /^[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$/;

/**
 * An amount in USD: a finite, non-negative number, or a string in plain
 * decimal notation (`"0.0123"`, `"1.5e-5"`; never `"0x10"` or `"Infinity"`).
 * Anything else reads as no reported cost. The pricer caps what it accepts.
 */
function readAmount(value: unknown): number | undefined {
  const amount =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && DECIMAL_AMOUNT.test(value)
        ? Number(value)
        : Number.NaN;
  return Number.isFinite(amount) && amount >= 0 ? amount + 0 : undefined;
}

// ---- src/core/normalize/read-gen-ai.ts as of b07d439 ----
/**
 * Reads OTel GenAI spans, old and new key names: the contrib OpenAI
 * instrumentation, AI SDK v7 `OpenTelemetry`, Traceloop/OpenLLMetry, the
 * Anthropic SDK's own spans (`anthropic.messages.create`), Traceloop's
 * Google Gen AI spans (`generate_content <model>`).
 */
function readGenAi(span: SpanLike): LlmCall {
  const attributes = span.attributes;
  const provider = normalizeProvider(
    stringValue(attributes['gen_ai.provider.name']) ??
      stringValue(attributes['gen_ai.system']),
  );
  const scopeName = span.scopeName;
  const traceloop = scopeName.startsWith('@traceloop/');
  // The keys in order of preference, as literals (named property reads,
  // cached per site; see `firstCountOf`): the `semconv.ts` names.
  const { usage, issues, invalid } = buildUsage({
    input: firstCountOf(
      attributes['gen_ai.usage.input_tokens'],
      attributes['gen_ai.usage.prompt_tokens'],
    ),
    output: firstCountOf(
      attributes['gen_ai.usage.output_tokens'],
      attributes['gen_ai.usage.completion_tokens'],
    ),
    cacheRead: firstCountOf(
      attributes['gen_ai.usage.cache_read.input_tokens'],
      attributes['gen_ai.usage.cache_read_input_tokens'],
      attributes['gen_ai.usage.input_tokens.cached'],
    ),
    cacheWrite: firstCountOf(
      attributes['gen_ai.usage.cache_creation.input_tokens'],
      // The Anthropic SDK's own spans (@anthropic-ai/sdk >= 1.14).
      attributes['gen_ai.usage.cache_write.input_tokens'],
      attributes['gen_ai.usage.cache_creation_input_tokens'],
      attributes['gen_ai.usage.input_tokens.cache_write'],
    ),
    reasoning: firstCountOf(
      attributes['gen_ai.usage.reasoning.output_tokens'],
      attributes['gen_ai.usage.reasoning_tokens'],
    ),
    // By emitter: Traceloop copies Anthropic's uncached `input_tokens`, the
    // Anthropic SDK writes the total.
    inputExcludesCache: genAiInputExcludesCache(scopeName, provider),
    // Traceloop's Google Gen AI instrumentation writes Gemini's thinking
    // tokens beside the output, not in it.
    outputExcludesReasoning: genAiOutputExcludesReasoning(scopeName),
  });
  return {
    emitter: traceloop ? 'traceloop' : 'gen_ai',
    provider,
    model:
      stringValue(attributes['gen_ai.response.model']) ??
      stringValue(attributes['gen_ai.request.model']),
    operation: stringValue(attributes['gen_ai.operation.name']) ?? 'chat',
    usage,
    invalidUsage: invalid,
    reportedCostUsd: readReportedCost(attributes),
    responseId: stringValue(attributes['gen_ai.response.id']),
    startTimeMillis: span.startTimeMillis,
    issues,
  };
}

// ---- src/core/normalize/read-ai-sdk.ts as of b07d439 ----
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
function readAiSdk(span: SpanLike): LlmCall {
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

// ---- src/core/normalize/read-open-inference.ts as of b07d439 ----
const OI_MODEL_KEYS = [
  'llm.response.model_name',
  ATTR_LLM_MODEL_NAME,
  ATTR_EMBEDDING_MODEL_NAME,
  'llm.request.model_name',
];

/**
 * Reads OpenInference `llm.*` spans (Arize Phoenix instrumentations). Prompt
 * counts include their details (cache read/write), as Phoenix prices them,
 * unless `openInferenceInputExcludesCache` says the instrumentation copies
 * a provider's uncached count.
 */
function readOpenInference(span: SpanLike): LlmCall {
  const attributes = span.attributes;
  const kind = attributes[ATTR_OPENINFERENCE_SPAN_KIND];
  const { usage, issues, invalid } = buildUsage({
    input: readCount(attributes, 'llm.token_count.prompt'),
    output: readCount(attributes, 'llm.token_count.completion'),
    cacheRead: readCount(
      attributes,
      'llm.token_count.prompt_details.cache_read',
    ),
    cacheWrite: readCount(
      attributes,
      'llm.token_count.prompt_details.cache_write',
    ),
    reasoning: readCount(
      attributes,
      'llm.token_count.completion_details.reasoning',
    ),
    inputAudio: readCount(attributes, 'llm.token_count.prompt_details.audio'),
    outputAudio: readCount(
      attributes,
      'llm.token_count.completion_details.audio',
    ),
    // Prompt counts include their details, except where an instrumentation
    // copies a provider's uncached count (OpenInference Bedrock).
    inputExcludesCache: openInferenceInputExcludesCache(span.scopeName),
  });
  return {
    emitter: 'openinference',
    provider: normalizeProvider(
      readFirstString(attributes, [ATTR_LLM_PROVIDER, ATTR_LLM_SYSTEM]),
    ),
    model: readFirstString(attributes, OI_MODEL_KEYS),
    operation:
      typeof kind === 'string' && kind.toUpperCase() === 'EMBEDDING'
        ? 'embeddings'
        : 'chat',
    usage,
    invalidUsage: invalid,
    reportedCostUsd: readReportedCost(attributes),
    responseId: undefined,
    startTimeMillis: span.startTimeMillis,
    issues,
  };
}

// ---- src/core/normalize/read-langfuse.ts as of b07d439 ----
function first(
  details: Record<string, unknown>,
  keys: readonly string[],
): CountReading {
  return firstCount(keys.map(key => readPath(details, [key])));
}

/**
 * Reads Langfuse SDK observations (`generation`, `embedding`). Langfuse usage
 * details follow Langfuse's convention, where `input` is the uncached part;
 * without usage details the span's `gen_ai.*` keys are read.
 */
function readLangfuse(span: SpanLike): LlmCall {
  const attributes = span.attributes;
  const base = readGenAi(span);
  const model =
    readFirstString(attributes, [
      ATTR_LANGFUSE_MODEL,
      ATTR_GEN_AI_RESPONSE_MODEL,
      ATTR_GEN_AI_REQUEST_MODEL,
    ]) ?? base.model;
  const operation =
    attributes[ATTR_LANGFUSE_OBSERVATION_TYPE] === 'embedding'
      ? 'embeddings'
      : base.operation;
  const rawDetails = attributes[ATTR_LANGFUSE_USAGE_DETAILS];
  if (rawDetails === undefined) {
    return { ...base, emitter: 'langfuse', model, operation };
  }
  const details = readJsonBag(attributes, ATTR_LANGFUSE_USAGE_DETAILS);
  if (typeof details !== 'object') {
    // Usage details that are not a JSON object (an array, a number, not
    // JSON, too long): present but invalid.
    return invalidUsage(base, model, operation, ['input', 'output']);
  }
  const { usage, issues, invalid } = buildUsage({
    input: first(details, ['input', 'prompt_tokens', 'input_tokens']),
    output: first(details, ['output', 'completion_tokens', 'output_tokens']),
    cacheRead: first(details, [
      'input_cached_tokens',
      'cache_read_input_tokens',
      'input_cache_read',
    ]),
    cacheWrite: first(details, [
      'input_cache_creation',
      'cache_creation_input_tokens',
      'input_cache_write',
    ]),
    reasoning: first(details, ['output_reasoning_tokens', 'output_reasoning']),
    inputExcludesCache: true,
  });
  if (invalid.length > 0 || (base.invalidUsage?.length ?? 0) > 0) {
    // Strict like every reader: garbage under any usage key the reader
    // knows (the details or the gen_ai.* fallback) leaves the call unpriced.
    return invalidUsage(base, model, operation, [
      ...new Set([...invalid, ...(base.invalidUsage ?? [])]),
    ]);
  }
  return { ...base, emitter: 'langfuse', model, operation, usage, issues };
}

function invalidUsage(
  base: LlmCall,
  model: string | undefined,
  operation: string,
  kinds: readonly UsageKind[],
): LlmCall {
  return {
    ...base,
    emitter: 'langfuse',
    model,
    operation,
    usage: undefined,
    invalidUsage: kinds,
    issues: ['invalid_usage'],
  };
}

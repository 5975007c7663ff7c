import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type SpanContext,
  type TimeInput,
  type Tracer,
} from '@opentelemetry/api';
import {
  contextWithAttribution,
  type AttributionInput,
} from '../attribution/attribution-context.js';
import { normalizeTags } from '../core/identity/tag-key.js';
import { identityAttributeName } from '../outputs/identity-attributes.js';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_USAGE_CACHE_CREATION,
  ATTR_GEN_AI_USAGE_CACHE_READ,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING,
} from '../semconv.js';

/** Tracer (instrumentation scope) name of manually recorded calls. */
export const MANUAL_SCOPE_NAME = 'otel-genai-cost/manual';

/**
 * Token counts with the library's fixed semantics: `inputTokens` is the
 * whole prompt, cache reads and writes included; `outputTokens` the whole
 * completion, reasoning included. The details are subsets, never additions.
 */
export interface RecordedUsage {
  readonly inputTokens: number;
  readonly outputTokens?: number | undefined;
  readonly cacheReadTokens?: number | undefined;
  readonly cacheWriteTokens?: number | undefined;
  readonly reasoningTokens?: number | undefined;
}

export interface RecordLlmCallOptions {
  /** GenAI provider name: `openai`, `anthropic`, `aws.bedrock`, ... */
  readonly provider: string;
  /** The model you asked for (`gen_ai.request.model`). */
  readonly model: string;
  /** The model that answered, e.g. a dated snapshot. @defaultValue model */
  readonly responseModel?: string | undefined;
  /** @defaultValue 'chat' */
  readonly operation?: 'chat' | 'embeddings' | 'text_completion' | undefined;
  readonly usage: RecordedUsage;
  /** Merged over the current attribution; recorded with source `manual`. */
  readonly tags?: AttributionInput | undefined;
  /** @defaultValue endTime, else now */
  readonly startTime?: TimeInput | undefined;
  /** @defaultValue now */
  readonly endTime?: TimeInput | undefined;
  /** `error` sets the span status to ERROR. @defaultValue 'success' */
  readonly outcome?: 'success' | 'error' | undefined;
  /** `error.type` on failed calls. @defaultValue '_OTHER' */
  readonly errorType?: string | undefined;
  readonly responseId?: string | undefined;
  /** @defaultValue the global tracer provider's `otel-genai-cost/manual` tracer */
  readonly tracer?: Tracer | undefined;
}

/**
 * Records an LLM call you made without an instrumented SDK (a raw HTTP
 * call, a batch job, another language's worker) as a well-formed GenAI
 * client span. It is just a span: a registered `CostSpanProcessor` prices
 * and attributes it like any other. Returns the span's context.
 *
 * @example
 * recordLlmCall({
 *   provider: 'openai', model: 'gpt-4o-mini',
 *   usage: { inputTokens: 1200, outputTokens: 300, cacheReadTokens: 1000 },
 *   tags: { userId: job.userId, feature: 'nightly-digest' },
 * });
 */
export function recordLlmCall(options: RecordLlmCallOptions): SpanContext {
  const tracer = options.tracer ?? trace.getTracer(MANUAL_SCOPE_NAME);
  const operation = options.operation ?? 'chat';
  const attributes: Attributes = {
    [ATTR_GEN_AI_OPERATION_NAME]: operation,
    [ATTR_GEN_AI_PROVIDER_NAME]: options.provider,
    [ATTR_GEN_AI_REQUEST_MODEL]: options.model,
    [ATTR_GEN_AI_RESPONSE_MODEL]: options.responseModel ?? options.model,
    ...usageAttributes(options.usage),
  };
  if (options.responseId !== undefined) {
    attributes[ATTR_GEN_AI_RESPONSE_ID] = options.responseId;
  }
  // The tags also go on the span itself (`user.id`, `tenant.id`, ...), so a
  // shell without the live context (exporter wrapper, gateway) sees them.
  const tags = options.tags === undefined ? {} : normalizeTags(options.tags);
  for (const [tag, value] of Object.entries(tags)) {
    attributes[identityAttributeName(tag)] = value;
  }
  const endTime = options.endTime ?? Date.now();
  const parent =
    options.tags === undefined
      ? context.active()
      : contextWithAttribution(context.active(), tags, 'manual');
  const span = tracer.startSpan(
    `${operation} ${options.model}`,
    {
      kind: SpanKind.CLIENT,
      startTime: options.startTime ?? endTime,
      attributes,
    },
    parent,
  );
  if (options.outcome === 'error') {
    span.setStatus({ code: SpanStatusCode.ERROR });
    span.setAttribute(ATTR_ERROR_TYPE, options.errorType ?? '_OTHER');
  }
  span.end(endTime);
  return span.spanContext();
}

const USAGE_KEYS: readonly (readonly [keyof RecordedUsage, string])[] = [
  ['inputTokens', ATTR_GEN_AI_USAGE_INPUT_TOKENS],
  ['outputTokens', ATTR_GEN_AI_USAGE_OUTPUT_TOKENS],
  ['cacheReadTokens', ATTR_GEN_AI_USAGE_CACHE_READ],
  ['cacheWriteTokens', ATTR_GEN_AI_USAGE_CACHE_CREATION],
  ['reasoningTokens', ATTR_GEN_AI_USAGE_REASONING],
];

/**
 * The counts as span attributes, as given. An invalid count (see
 * `parseTokenCount`: negative, fractional, NaN, above the ceiling, not a
 * number) is written as it came, never dropped: dropping it would let the
 * call be priced on the other counts. The processor then leaves the call
 * unpriced (`invalid_usage`) and warns.
 */
function usageAttributes(usage: RecordedUsage): Attributes {
  const attributes: Attributes = {};
  for (const [field, key] of USAGE_KEYS) {
    const value: unknown = usage[field];
    if (value === undefined || value === null) continue;
    attributes[key] =
      typeof value === 'number' ||
      typeof value === 'string' ||
      typeof value === 'boolean'
        ? value
        : String(value);
  }
  return attributes;
}

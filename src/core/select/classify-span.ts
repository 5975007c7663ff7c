import type { SpanAttributes } from '../span-like.js';
import {
  ATTR_AI_OPERATION_ID,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_SYSTEM,
  ATTR_LANGFUSE_OBSERVATION_TYPE,
  ATTR_LLM_MODEL_NAME,
  ATTR_OPENINFERENCE_SPAN_KIND,
} from '../../semconv.js';

/**
 * The marker keys as module-local constants (the `ATTR_*` values, so the
 * keys still live in `semconv.ts` alone): optimized code compares a span's
 * key with a local string constant by reference (both are internalized),
 * but with an imported binding by content, one call per comparison (a pass
 * over a span's keys measured about three times slower); reads with a local
 * constant are named property reads.
 */
const AI_OPERATION_ID = ATTR_AI_OPERATION_ID;
const LANGFUSE_OBSERVATION_TYPE = ATTR_LANGFUSE_OBSERVATION_TYPE;
const OPENINFERENCE_SPAN_KIND = ATTR_OPENINFERENCE_SPAN_KIND;
const GEN_AI_OPERATION_NAME = ATTR_GEN_AI_OPERATION_NAME;
const GEN_AI_SYSTEM = ATTR_GEN_AI_SYSTEM;
const GEN_AI_PROVIDER_NAME = ATTR_GEN_AI_PROVIDER_NAME;
const LLM_MODEL_NAME = ATTR_LLM_MODEL_NAME;

/** Which reader understands a span's attributes. */
export type SpanFamily = 'ai_sdk' | 'gen_ai' | 'openinference' | 'langfuse';

/**
 * - `inference`: one call to a model provider, a pricing candidate;
 * - `wrapper`: an agent, step, tool or roll-up span that may carry the usage
 *   of its children and must never be priced;
 * - `other`: not an LLM span at all.
 */
export type SpanRole = 'inference' | 'wrapper' | 'other';

export interface SpanClass {
  readonly role: SpanRole;
  readonly family: SpanFamily | undefined;
}

/** Every class there is, shared: classifying allocates nothing. */
function spanClass(role: SpanRole, family: SpanFamily | undefined): SpanClass {
  return Object.freeze({ role, family });
}
const OTHER = spanClass('other', undefined);
const AI_SDK_CALL = spanClass('inference', 'ai_sdk');
const AI_SDK_WRAPPER = spanClass('wrapper', 'ai_sdk');
const LANGFUSE_CALL = spanClass('inference', 'langfuse');
const LANGFUSE_WRAPPER = spanClass('wrapper', 'langfuse');
const OPENINFERENCE_CALL = spanClass('inference', 'openinference');
const OPENINFERENCE_WRAPPER = spanClass('wrapper', 'openinference');
const GEN_AI_CALL = spanClass('inference', 'gen_ai');
const GEN_AI_WRAPPER = spanClass('wrapper', 'gen_ai');

/** `gen_ai.operation.name` values that are aggregates, never provider calls. */
const GEN_AI_WRAPPER_OPERATIONS = new Set([
  'invoke_agent',
  'create_agent',
  'agent_step',
  'execute_tool',
  'invoke_workflow',
  'plan',
  'retrieval',
  // Traceloop's LangChain instrumentation: `workflow <runnable>` and
  // `task <name>` spans (also `traceloop.span.kind`), never provider calls.
  'workflow',
  'task',
]);

const OPENINFERENCE_INFERENCE_KINDS = new Set(['LLM', 'EMBEDDING']);
const LANGFUSE_INFERENCE_TYPES = new Set(['generation', 'embedding']);

/**
 * Decides what a span is from a handful of marker attributes. This is the one
 * place that knows which spans are wrappers; it runs on every ended span, so
 * it reads at most a few keys and allocates nothing. Its marker keys are
 * also listed in `isMarkerKey` below: keep the two in step.
 */
export function classifySpan(attributes: SpanAttributes): SpanClass {
  const operationId = attributes[AI_OPERATION_ID];
  if (typeof operationId === 'string') {
    // AI SDK v4-v6 and v7 LegacyOpenTelemetry: only the do* spans are calls;
    // ai.generateText, ai.streamText, ai.toolCall, ... are roll-ups.
    return isAiSdkCall(operationId) ? AI_SDK_CALL : AI_SDK_WRAPPER;
  }
  const langfuseType = attributes[LANGFUSE_OBSERVATION_TYPE];
  if (typeof langfuseType === 'string') {
    return LANGFUSE_INFERENCE_TYPES.has(langfuseType)
      ? LANGFUSE_CALL
      : LANGFUSE_WRAPPER;
  }
  const spanKind = attributes[OPENINFERENCE_SPAN_KIND];
  if (typeof spanKind === 'string') {
    return OPENINFERENCE_INFERENCE_KINDS.has(spanKind.toUpperCase())
      ? OPENINFERENCE_CALL
      : OPENINFERENCE_WRAPPER;
  }
  const operation = attributes[GEN_AI_OPERATION_NAME];
  if (typeof operation === 'string') {
    return GEN_AI_WRAPPER_OPERATIONS.has(operation)
      ? GEN_AI_WRAPPER
      : GEN_AI_CALL;
  }
  // Older emitters (Traceloop <= 0.22) set a provider but no operation name.
  if (
    attributes[GEN_AI_SYSTEM] !== undefined ||
    attributes[GEN_AI_PROVIDER_NAME] !== undefined
  ) {
    return GEN_AI_CALL;
  }
  if (attributes[LLM_MODEL_NAME] !== undefined) {
    return OPENINFERENCE_CALL;
  }
  return OTHER;
}

/**
 * `classifySpan` for a plain attribute object (own enumerable keys, as an
 * SDK span holds them): one pass over its keys first, and `OTHER` at once
 * when none is a marker key `classifySpan` reads. Same answer as
 * `classifySpan` on such objects; cheaper on the ~95 % of spans that are
 * not LLM spans, whose keys are mostly `http.*`, `db.*`, `url.*`: reading
 * the seven marker keys one by one from many different attribute shapes
 * misses V8's property caches (about 70 ns per span and pass measured in
 * the processor, against about 15-20 ns for the pass over the keys).
 * `keyCount`, when the caller knows it, avoids the pass over a dictionary
 * (`MAX_SCANNED_KEYS`); any count gives the same answer.
 */
export function classifyPlainAttributes(
  attributes: SpanAttributes,
  keyCount?: number,
): SpanClass {
  if (keyCount !== undefined && keyCount > MAX_SCANNED_KEYS) {
    return classifySpan(attributes);
  }
  return hasMarkerKey(attributes) ? classifySpan(attributes) : OTHER;
}

/**
 * Past about 20 keys set one by one (as an SDK span sets its attributes),
 * V8 keeps an object's properties in a dictionary, where a pass over the
 * keys first lists and sorts them: about 400-650 ns at 20-25 keys, against
 * 60-100 ns for the seven marker reads (and 13-21 ns for the pass up to 19
 * keys). With more keys than this, as the caller counts them
 * (`keyCount`), the markers are read instead.
 */
const MAX_SCANNED_KEYS = 16;

/**
 * Whether any key of the object is one of the marker keys `classifySpan`
 * reads (keep the two in step): seven comparisons by reference per key in
 * optimized code, cheaper than testing a key's length or first character
 * (each key is a separate string object; measured). Each marker key alone
 * is checked by `test/processor/non-llm-fast-exit.test.ts`.
 */
function hasMarkerKey(attributes: SpanAttributes): boolean {
  for (const key in attributes) {
    if (
      key === GEN_AI_OPERATION_NAME ||
      key === GEN_AI_PROVIDER_NAME ||
      key === GEN_AI_SYSTEM ||
      key === AI_OPERATION_ID ||
      key === OPENINFERENCE_SPAN_KIND ||
      key === LLM_MODEL_NAME ||
      key === LANGFUSE_OBSERVATION_TYPE
    ) {
      return true;
    }
  }
  return false;
}

function isAiSdkCall(operationId: string): boolean {
  return (
    operationId.endsWith('.doGenerate') ||
    operationId.endsWith('.doStream') ||
    operationId.endsWith('.doEmbed')
  );
}

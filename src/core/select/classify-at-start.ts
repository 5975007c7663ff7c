import type { SpanAttributes } from '../span-like.js';
import { classifyPlainAttributes, type SpanRole } from './classify-span.js';

/**
 * GenAI semantic-convention span names, `{gen_ai.operation.name} {model}`:
 * provider calls. Traceloop's LangChain instrumentation names its model
 * spans so (`chat gpt-4o-mini`) but sets every attribute at the end.
 */
const GEN_AI_CALL_NAME =
  /^(chat|text_completion|generate_content|embeddings) \S/;

/**
 * GenAI aggregate operations (`invoke_agent <name>`, ...) and Traceloop's
 * LangChain `workflow <runnable>` / `task <name>` spans: wrappers.
 */
const GEN_AI_WRAPPER_NAME =
  /^(invoke_agent|create_agent|execute_tool|invoke_workflow|workflow|task)( \S|$)/;

/**
 * Span names of emitters that set no marker attribute at start, each seen in
 * the recorded fixtures (`test/fixtures/emitters/*`):
 * - OpenInference Anthropic: `Anthropic Messages`;
 * - OpenInference Bedrock: `bedrock.converse` (ConverseStream too) and
 *   `bedrock.invoke_model`, the only names 0.5.1 starts (Traceloop
 *   Bedrock's `bedrock.completion` carries `gen_ai.*` at start);
 * - the Anthropic SDK's own `anthropic.messages.create` (attributes at start
 *   too; the name is a second signal);
 * - OpenInference LangChain names a span after the run: `ChatOpenAI`,
 *   `ChatAnthropic`, `ChatBedrockConverse`, ... (the chat model classes;
 *   `ChatPromptTemplate` matches as well, a wrapper recorded for nothing).
 */
const CALL_NAME =
  /^(Anthropic Messages|bedrock\.(converse|invoke_model)|anthropic\.messages\.create|Chat[A-Z][A-Za-z]*)$/;

/** AI SDK spans (`ai.generateText`, `ai.streamText.doStream`, ...). */
const AI_SDK_NAME = /^ai\.[A-Za-z]/;
const AI_SDK_CALL_NAME = /\.(doGenerate|doStream|doEmbed)$/;

/** No emitter's LLM span name is longer; longer names are not scanned. */
const MAX_NAME_LENGTH = 200;

/**
 * What a span is when it STARTS, from its name and the attributes given to
 * the tracer (what a sampler sees; no instrumentation scope). The
 * attributes are classified as `classifySpan` does (the one rule the
 * processor applies at the end; by `classifyPlainAttributes`, one pass over
 * the keys: 79 -> 44 ns for a non-LLM span, measured); the name is the
 * fallback for emitters that set their marker attributes only when the
 * span ends. A name match can be wrong both ways:
 * a span named like an LLM span that is not one (it is then recorded for
 * nothing), an LLM span renamed by its application (not caught at start).
 */
export function classifyAtStart(
  spanName: string,
  attributes: SpanAttributes,
): SpanRole {
  // The attributes a sampler gets are the plain object given to the tracer
  // (the SDK keeps only its own enumerable keys): one pass over the keys.
  const role = classifyPlainAttributes(attributes).role;
  if (role !== 'other') return role;
  if (spanName.length > MAX_NAME_LENGTH) return 'other';
  if (AI_SDK_NAME.test(spanName)) {
    return AI_SDK_CALL_NAME.test(spanName) ? 'inference' : 'wrapper';
  }
  if (GEN_AI_CALL_NAME.test(spanName) || CALL_NAME.test(spanName)) {
    return 'inference';
  }
  return GEN_AI_WRAPPER_NAME.test(spanName) ? 'wrapper' : 'other';
}

/**
 * Attribute names this library reads and writes. The GenAI conventions are
 * still in development, so the strings are copied here instead of importing
 * `@opentelemetry/semantic-conventions/incubating` at runtime.
 */

// Written by this library on every priced or unpriced LLM call. The total is
// `gen_ai.usage.cost`, the key Langfuse, PostHog and Logfire read. Everything
// else lives under `gen_ai.cost.*`, NOT `gen_ai.usage.cost.*`: Langfuse turns
// every numeric `gen_ai.usage.*` key except `gen_ai.usage.cost` into a token
// usage bucket, so a breakdown there would show up as fake token counts.
export const ATTR_COST = 'gen_ai.usage.cost';
export const ATTR_COST_INPUT = 'gen_ai.cost.input';
export const ATTR_COST_OUTPUT = 'gen_ai.cost.output';
export const ATTR_COST_CACHE_READ = 'gen_ai.cost.cache_read';
export const ATTR_COST_CACHE_WRITE = 'gen_ai.cost.cache_write';
export const ATTR_COST_CURRENCY = 'gen_ai.cost.currency';
export const ATTR_COST_SOURCE = 'gen_ai.cost.source';
export const ATTR_COST_UNPRICED_REASON = 'gen_ai.cost.unpriced_reason';
export const ATTR_COST_PRICE_VERSION = 'gen_ai.cost.price_version';
export const ATTR_COST_ISSUES = 'gen_ai.cost.issues';
export const ATTR_COST_SKIPPED = 'gen_ai.cost.skipped';

// GenAI semantic conventions (current and deprecated names).
export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
export const ATTR_GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';
export const ATTR_GEN_AI_SYSTEM = 'gen_ai.system';
export const ATTR_GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
export const ATTR_GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model';
export const ATTR_GEN_AI_RESPONSE_ID = 'gen_ai.response.id';
export const ATTR_GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
export const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
export const ATTR_GEN_AI_USAGE_PROMPT_TOKENS = 'gen_ai.usage.prompt_tokens';
export const ATTR_GEN_AI_USAGE_COMPLETION_TOKENS =
  'gen_ai.usage.completion_tokens';
export const ATTR_GEN_AI_USAGE_CACHE_READ =
  'gen_ai.usage.cache_read.input_tokens';
export const ATTR_GEN_AI_USAGE_CACHE_CREATION =
  'gen_ai.usage.cache_creation.input_tokens';
export const ATTR_GEN_AI_USAGE_REASONING =
  'gen_ai.usage.reasoning.output_tokens';
export const ATTR_GEN_AI_USAGE_TOTAL_TOKENS = 'gen_ai.usage.total_tokens';

// Vercel AI SDK (`ai.*`, v4 to v7 legacy).
export const ATTR_AI_OPERATION_ID = 'ai.operationId';
export const ATTR_AI_MODEL_ID = 'ai.model.id';
export const ATTR_AI_MODEL_PROVIDER = 'ai.model.provider';
export const ATTR_AI_RESPONSE_MODEL = 'ai.response.model';
export const ATTR_AI_RESPONSE_ID = 'ai.response.id';
export const ATTR_AI_PROVIDER_METADATA = 'ai.response.providerMetadata';
export const ATTR_AI_USER_AGENT = 'ai.request.headers.user-agent';

// OpenInference.
export const ATTR_OPENINFERENCE_SPAN_KIND = 'openinference.span.kind';
export const ATTR_LLM_MODEL_NAME = 'llm.model_name';
export const ATTR_EMBEDDING_MODEL_NAME = 'embedding.model_name';
export const ATTR_LLM_PROVIDER = 'llm.provider';
export const ATTR_LLM_SYSTEM = 'llm.system';
export const ATTR_LLM_COST_TOTAL = 'llm.cost.total';

// Langfuse.
export const ATTR_LANGFUSE_OBSERVATION_TYPE = 'langfuse.observation.type';
export const ATTR_LANGFUSE_MODEL = 'langfuse.observation.model.name';
export const ATTR_LANGFUSE_USAGE_DETAILS = 'langfuse.observation.usage_details';
export const ATTR_LANGFUSE_COST_DETAILS = 'langfuse.observation.cost_details';

// Attribution: who an LLM call is billed to. Written on every evaluated LLM
// call span (see docs/attribution.md for which backend reads what).
/** Resolved user (semconv registry `user.id`; Langfuse and Phoenix read it). */
export const ATTR_USER_ID = 'user.id';
/** Resolved session (Langfuse sessions and the Phoenix Sessions view). */
export const ATTR_SESSION_ID = 'session.id';
/** Resolved tenant; not in semconv, the name most apps already use. */
export const ATTR_TENANT_ID = 'tenant.id';
export const ATTR_APP_PLAN = 'app.plan';
export const ATTR_APP_FEATURE = 'app.feature';
/** Prefix for every other allow-listed tag: `app.tag.<key>`. */
export const ATTR_APP_TAG_PREFIX = 'app.tag.';
/** `context`, `manual`, `span`, `ancestor` or `none` (unattributed). */
export const ATTR_COST_ATTRIBUTION_SOURCE = 'gen_ai.cost.attribution.source';

// Identity read from spans other instrumentations emit.
export const ATTR_LANGFUSE_USER_ID = 'langfuse.user.id';
export const ATTR_LANGFUSE_SESSION_ID = 'langfuse.session.id';
export const ATTR_ENDUSER_ID = 'enduser.id';
export const ATTR_USER_EMAIL = 'user.email';
export const ATTR_GEN_AI_CONVERSATION_ID = 'gen_ai.conversation.id';
export const PREFIX_AI_TELEMETRY_METADATA = 'ai.telemetry.metadata.';
export const PREFIX_AI_SETTINGS_CONTEXT = 'ai.settings.context.';
export const ATTR_LANGFUSE_TRACE_METADATA = 'langfuse.trace.metadata';
export const ATTR_LANGFUSE_OBSERVATION_METADATA =
  'langfuse.observation.metadata';
export const PREFIX_TRACELOOP_ASSOCIATION = 'traceloop.association.properties.';
/** OpenInference: a JSON object string, or flattened `metadata.<k>`. */
export const ATTR_OPENINFERENCE_METADATA = 'metadata';

// OpenInference cost aliases (Phoenix / Arize), written with
// `aliases: ['openinference']`.
export const ATTR_LLM_COST_PROMPT = 'llm.cost.prompt';
export const ATTR_LLM_COST_COMPLETION = 'llm.cost.completion';
export const ATTR_LLM_COST_PROMPT_INPUT = 'llm.cost.prompt_details.input';
export const ATTR_LLM_COST_PROMPT_CACHE_READ =
  'llm.cost.prompt_details.cache_read';
export const ATTR_LLM_COST_PROMPT_CACHE_WRITE =
  'llm.cost.prompt_details.cache_write';
export const ATTR_LLM_COST_COMPLETION_OUTPUT =
  'llm.cost.completion_details.output';

// Langfuse aliases, written with `aliases: ['langfuse']` (besides
// ATTR_LANGFUSE_COST_DETAILS above).
export const ATTR_LANGFUSE_TRACE_TAGS = 'langfuse.trace.tags';

// Written by recordLlmCall.
export const ATTR_ERROR_TYPE = 'error.type';

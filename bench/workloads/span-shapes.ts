/**
 * The spans the benchmark ends, attribute for attribute as the emitters write
 * them (copied from /work/shared/research/span-attributes.md, sections 1-3).
 * Request attributes are set at start, response attributes just before end,
 * as instrumentations do.
 */
import { SpanKind, type Attributes } from '@opentelemetry/api';

export interface SpanShape {
  readonly id: string;
  readonly label: string;
  /** Instrumentation scope (tracer name). */
  readonly scope: string;
  readonly name: string;
  readonly kind: SpanKind;
  readonly startAttributes: Attributes;
  readonly endAttributes: Attributes;
  /** Set to a distinct value per span (provider response ids are unique). */
  readonly responseIdKey?: string;
  readonly llm: boolean;
}

const PROMPT =
  '[{"role":"system","content":"You are a helpful support agent."},' +
  '{"role":"user","content":"Where is my order 12345? It was due Monday."}]';
const COMPLETION =
  'Your order 12345 left the warehouse on Tuesday and arrives tomorrow.';

export const HTTP_SERVER: SpanShape = {
  id: 'http_server',
  label: 'HTTP server span',
  scope: '@opentelemetry/instrumentation-http',
  name: 'GET /api/orders/:id',
  kind: SpanKind.SERVER,
  startAttributes: {
    'http.request.method': 'GET',
    'url.path': '/api/orders/12345',
    'url.scheme': 'https',
    'server.address': 'shop.example.com',
    'server.port': 443,
    'network.protocol.version': '1.1',
    'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64)',
  },
  endAttributes: {
    'http.route': '/api/orders/:id',
    'http.response.status_code': 200,
  },
  llm: false,
};

export const DB_CLIENT: SpanShape = {
  id: 'db_client',
  label: 'DB client span',
  scope: '@opentelemetry/instrumentation-pg',
  name: 'SELECT orders',
  kind: SpanKind.CLIENT,
  startAttributes: {
    'db.system.name': 'postgresql',
    'db.namespace': 'shop',
    'db.collection.name': 'orders',
    'db.operation.name': 'SELECT',
    'db.query.text': 'SELECT * FROM orders WHERE id = $1',
    'server.address': 'db.internal',
    'server.port': 5432,
  },
  endAttributes: { 'db.response.returned_rows': 1 },
  llm: false,
};

export const HTTP_CLIENT: SpanShape = {
  id: 'http_client',
  label: 'HTTP client span',
  scope: '@opentelemetry/instrumentation-undici',
  name: 'POST',
  kind: SpanKind.CLIENT,
  startAttributes: {
    'http.request.method': 'POST',
    'url.full': 'https://payments.internal/v1/charges',
    'server.address': 'payments.internal',
    'server.port': 443,
    'network.peer.address': '10.0.0.12',
  },
  endAttributes: { 'http.response.status_code': 201 },
  llm: false,
};

/** `@opentelemetry/instrumentation-openai` chat span (GenAI semconv). */
export const GEN_AI_CHAT: SpanShape = {
  id: 'gen_ai_chat',
  label: 'GenAI semconv chat (instrumentation-openai)',
  scope: '@opentelemetry/instrumentation-openai',
  name: 'chat gpt-4o-mini',
  kind: SpanKind.CLIENT,
  startAttributes: {
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.system': 'openai',
    'server.address': 'api.openai.com',
    'server.port': 443,
    'gen_ai.request.max_tokens': 512,
    'gen_ai.request.temperature': 0.2,
  },
  endAttributes: {
    'gen_ai.response.finish_reasons': ['stop'],
    'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
    'gen_ai.usage.input_tokens': 1000,
    'gen_ai.usage.output_tokens': 300,
  },
  responseIdKey: 'gen_ai.response.id',
  llm: true,
};

/** AI SDK v6 `ai.generateText.doGenerate` (the `ai.*` family). */
export const AI_SDK_V6_DO_GENERATE: SpanShape = {
  id: 'ai_sdk_v6_do_generate',
  label: 'AI SDK v6 ai.generateText.doGenerate',
  scope: 'ai',
  name: 'ai.generateText.doGenerate',
  kind: SpanKind.INTERNAL,
  startAttributes: {
    'operation.name': 'ai.generateText.doGenerate support-chat',
    'resource.name': 'support-chat',
    'ai.operationId': 'ai.generateText.doGenerate',
    'ai.telemetry.functionId': 'support-chat',
    'ai.model.id': 'gpt-4o-mini',
    'ai.model.provider': 'openai.chat',
    'ai.settings.maxRetries': 2,
    'ai.request.headers.user-agent': 'ai/6.0.325',
    'ai.telemetry.metadata.userId': 'user-42',
    'ai.prompt.messages': PROMPT,
    'gen_ai.system': 'openai.chat',
    'gen_ai.request.model': 'gpt-4o-mini',
  },
  endAttributes: {
    'ai.response.finishReason': 'stop',
    'ai.response.text': COMPLETION,
    'ai.response.model': 'gpt-4o-mini-2024-07-18',
    'ai.response.timestamp': '2026-11-23T10:00:00.000Z',
    'ai.usage.inputTokens': 1000,
    'ai.usage.outputTokens': 300,
    'ai.usage.totalTokens': 1300,
    'ai.usage.cachedInputTokens': 600,
    'ai.usage.reasoningTokens': 0,
    'ai.usage.inputTokenDetails.noCacheTokens': 400,
    'ai.usage.inputTokenDetails.cacheReadTokens': 600,
    'ai.usage.inputTokenDetails.cacheWriteTokens': 0,
    'ai.usage.outputTokenDetails.textTokens': 300,
    'ai.usage.outputTokenDetails.reasoningTokens': 0,
    'gen_ai.response.finish_reasons': ['stop'],
    'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
    'gen_ai.usage.input_tokens': 1000,
    'gen_ai.usage.output_tokens': 300,
  },
  responseIdKey: 'ai.response.id',
  llm: true,
};

/** AI SDK v7 `@ai-sdk/otel` `OpenTelemetry()` chat span (GenAI semconv). */
export const AI_SDK_V7_CHAT: SpanShape = {
  id: 'ai_sdk_v7_chat',
  label: 'AI SDK v7 GenAI chat',
  scope: 'gen_ai',
  name: 'chat gpt-4o-mini',
  kind: SpanKind.CLIENT,
  startAttributes: {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.request.temperature': 0.2,
    'gen_ai.request.max_tokens': 512,
    'gen_ai.input.messages': PROMPT,
  },
  endAttributes: {
    'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
    'gen_ai.response.finish_reasons': ['stop'],
    'gen_ai.usage.input_tokens': 1000,
    'gen_ai.usage.output_tokens': 300,
    'gen_ai.usage.cache_read.input_tokens': 600,
    'gen_ai.usage.cache_creation.input_tokens': 100,
    'gen_ai.client.operation.duration': 0.84,
  },
  responseIdKey: 'gen_ai.response.id',
  llm: true,
};

/** `@arizeai/openinference-instrumentation-openai` LLM span. */
export const OPENINFERENCE_LLM: SpanShape = {
  id: 'openinference_llm',
  label: 'OpenInference LLM',
  scope: '@arizeai/openinference-instrumentation-openai',
  name: 'OpenAI Chat Completions',
  kind: SpanKind.INTERNAL,
  startAttributes: {
    'openinference.span.kind': 'LLM',
    'llm.system': 'openai',
    'llm.provider': 'openai',
    'llm.invocation_parameters': '{"model":"gpt-4o-mini","temperature":0.2}',
    'input.value': PROMPT,
    'input.mime_type': 'application/json',
    'llm.input_messages.0.message.role': 'system',
    'llm.input_messages.0.message.content': 'You are a helpful support agent.',
    'llm.input_messages.1.message.role': 'user',
    'llm.input_messages.1.message.content': 'Where is my order 12345?',
  },
  endAttributes: {
    'llm.model_name': 'gpt-4o-mini-2024-07-18',
    'output.value': COMPLETION,
    'output.mime_type': 'text/plain',
    'llm.output_messages.0.message.role': 'assistant',
    'llm.output_messages.0.message.content': COMPLETION,
    'llm.token_count.prompt': 1000,
    'llm.token_count.completion': 300,
    'llm.token_count.total': 1300,
    'llm.token_count.prompt_details.cache_read': 600,
    'llm.token_count.completion_details.reasoning': 150,
  },
  llm: true,
};

/**
 * A GenAI chat span on a model with long-context tiers (priced through the
 * genai-prices engine on every call, not the memoized flat path).
 */
export const GEN_AI_CHAT_TIERED: SpanShape = {
  ...GEN_AI_CHAT,
  id: 'gen_ai_chat_tiered',
  label: 'GenAI chat, tiered-price model (claude-sonnet-4-5)',
  scope: '@traceloop/instrumentation-anthropic',
  name: 'chat claude-sonnet-4-5',
  startAttributes: {
    ...GEN_AI_CHAT.startAttributes,
    'gen_ai.system': 'anthropic',
    'gen_ai.request.model': 'claude-sonnet-4-5',
    'server.address': 'api.anthropic.com',
  },
  endAttributes: {
    ...GEN_AI_CHAT.endAttributes,
    'gen_ai.response.model': 'claude-sonnet-4-5-20250929',
  },
};

export const NON_LLM_SHAPES: readonly SpanShape[] = [
  HTTP_CLIENT,
  DB_CLIENT,
  HTTP_SERVER,
];

export const LLM_SHAPES: readonly SpanShape[] = [
  GEN_AI_CHAT,
  AI_SDK_V6_DO_GENERATE,
  AI_SDK_V7_CHAT,
  OPENINFERENCE_LLM,
];

/** AI SDK v7 `invoke_agent` roll-up around chat calls (never priced). */
export const AGENT_WRAPPER: SpanShape = {
  id: 'invoke_agent',
  label: 'AI SDK v7 invoke_agent wrapper',
  scope: 'gen_ai',
  name: 'invoke_agent gpt-4o-mini',
  kind: SpanKind.INTERNAL,
  startAttributes: {
    'gen_ai.operation.name': 'invoke_agent',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.agent.name': 'support-chat',
  },
  endAttributes: {
    'gen_ai.response.finish_reasons': ['stop'],
    'gen_ai.usage.input_tokens': 2000,
    'gen_ai.usage.output_tokens': 600,
  },
  llm: false,
};

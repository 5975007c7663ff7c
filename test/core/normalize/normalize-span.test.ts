import { describe, expect, it } from 'vitest';
import { classifySpan, normalizeSpan } from '../../../src/entries/core.js';
import type { SpanAttributes } from '../../../src/entries/core.js';
import { spanLike } from '../../helpers/span-like.js';

function read(attributes: SpanAttributes, scopeName = 'test') {
  const spanClass = classifySpan(attributes);
  if (spanClass.family === undefined) throw new Error('not an LLM span');
  return normalizeSpan(spanLike(attributes, { scopeName }), spanClass.family);
}

describe('normalizeSpan: OTel GenAI', () => {
  it('reads current keys; response model wins over request model', () => {
    const call = read({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 300,
      'gen_ai.usage.cache_read.input_tokens': 600,
      'gen_ai.usage.cache_creation.input_tokens': 100,
      'gen_ai.usage.reasoning.output_tokens': 50,
      'gen_ai.response.id': 'chatcmpl-1',
    });
    expect(call).toMatchObject({
      emitter: 'gen_ai',
      provider: 'openai',
      model: 'gpt-4o-mini-2024-07-18',
      operation: 'chat',
      responseId: 'chatcmpl-1',
      usage: {
        inputTokens: 1000,
        outputTokens: 300,
        cacheReadTokens: 600,
        cacheWriteTokens: 100,
        reasoningTokens: 50,
      },
      issues: [],
    });
  });

  it('reads deprecated keys (Traceloop <= 0.22: gen_ai.system "OpenAI")', () => {
    const call = read({
      'gen_ai.system': 'OpenAI',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.prompt_tokens': 12,
      'gen_ai.usage.completion_tokens': 5,
      'gen_ai.usage.cache_read_input_tokens': 4,
    });
    expect(call.provider).toBe('openai');
    expect(call.usage).toMatchObject({
      inputTokens: 12,
      outputTokens: 5,
      cacheReadTokens: 4,
    });
  });

  it('Traceloop Anthropic reports uncached input: cache is added back', () => {
    const call = read(
      {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.model': 'claude-3-5-haiku-20241022',
        'gen_ai.usage.input_tokens': 200,
        'gen_ai.usage.output_tokens': 10,
        'gen_ai.usage.cache_read.input_tokens': 150,
        'gen_ai.usage.cache_creation.input_tokens': 50,
      },
      '@traceloop/instrumentation-anthropic',
    );
    expect(call.emitter).toBe('traceloop');
    expect(call.usage?.inputTokens).toBe(400);
    expect(call.issues).toContain('input_excluded_cache');
  });

  it('input smaller than its cache parts is corrected upward and flagged', () => {
    const call = read({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'x',
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.output_tokens': 1,
      'gen_ai.usage.cache_read.input_tokens': 1000,
    });
    expect(call.usage?.inputTokens).toBe(1010);
    expect(call.issues).toContain('input_excluded_cache');
  });

  it('maps provider spellings to GenAI provider names', () => {
    for (const [raw, expected] of [
      ['az.ai.openai', 'azure.ai.openai'],
      ['aws.bedrock', 'aws.bedrock'],
      ['vertex_ai', 'gcp.vertex_ai'],
      ['gemini', 'gcp.gemini'],
      ['mistral_ai', 'mistral_ai'],
      ['xai', 'x_ai'],
    ] as const) {
      expect(
        read({ 'gen_ai.operation.name': 'chat', 'gen_ai.system': raw })
          .provider,
      ).toBe(expected);
    }
  });

  it('no usage keys: usage is undefined, never zeros', () => {
    const call = read({
      'gen_ai.operation.name': 'chat',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4o',
    });
    expect(call.usage).toBeUndefined();
  });

  it('values of the wrong type or sign make the usage invalid, never zeros or a later key', () => {
    const call = read({
      'gen_ai.operation.name': 'chat',
      'gen_ai.usage.input_tokens': -5,
      'gen_ai.usage.prompt_tokens': 'abc',
      'gen_ai.usage.output_tokens': Number.NaN,
      'gen_ai.usage.completion_tokens': '7',
    });
    expect(call.usage).toBeUndefined();
    expect(call.invalidUsage).toEqual(['input', 'output']);
  });
});

describe('normalizeSpan: Vercel AI SDK ai.* spans', () => {
  const v6 = {
    'ai.operationId': 'ai.generateText.doGenerate',
    'ai.request.headers.user-agent': 'ai/6.0.325',
    'ai.model.provider': 'anthropic.messages',
    'ai.model.id': 'claude-sonnet-4-5',
    'ai.response.model': 'claude-sonnet-4-5-20250929',
    'ai.usage.inputTokens': 1000,
    'ai.usage.outputTokens': 300,
    'ai.usage.inputTokenDetails.noCacheTokens': 300,
    'ai.usage.inputTokenDetails.cacheReadTokens': 600,
    'ai.usage.inputTokenDetails.cacheWriteTokens': 100,
    'ai.usage.outputTokenDetails.reasoningTokens': 120,
  };

  it('v6: input already includes cache (details present)', () => {
    const call = read(v6);
    expect(call).toMatchObject({
      emitter: 'ai_sdk',
      provider: 'anthropic',
      model: 'claude-sonnet-4-5-20250929',
      usage: {
        inputTokens: 1000,
        outputTokens: 300,
        cacheReadTokens: 600,
        cacheWriteTokens: 100,
        reasoningTokens: 120,
      },
      issues: [],
    });
  });

  it('v5 + Anthropic: input excludes cache, cache read/write added back', () => {
    const call = read({
      'ai.operationId': 'ai.streamText.doStream',
      'ai.request.headers.user-agent': 'ai/5.0.277',
      'ai.model.provider': 'anthropic.messages',
      'ai.model.id': 'claude-3-5-haiku-20241022',
      'ai.usage.inputTokens': 300,
      'ai.usage.outputTokens': 50,
      'ai.usage.cachedInputTokens': 600,
      'ai.response.providerMetadata': JSON.stringify({
        anthropic: { cacheCreationInputTokens: 100 },
      }),
    });
    expect(call.usage).toMatchObject({
      inputTokens: 1000,
      cacheReadTokens: 600,
      cacheWriteTokens: 100,
    });
    expect(call.issues).toContain('input_excluded_cache');
  });

  it('v4 + OpenAI: cache and reasoning from providerMetadata, input includes cache', () => {
    const call = read({
      'ai.operationId': 'ai.generateText.doGenerate',
      'ai.model.provider': 'openai.chat',
      'ai.model.id': 'o4-mini',
      'ai.usage.promptTokens': 1000,
      'ai.usage.completionTokens': 400,
      'ai.response.providerMetadata': JSON.stringify({
        openai: { cachedPromptTokens: 200, reasoningTokens: 300 },
      }),
    });
    expect(call.provider).toBe('openai');
    expect(call.usage).toMatchObject({
      inputTokens: 1000,
      outputTokens: 400,
      cacheReadTokens: 200,
      reasoningTokens: 300,
    });
    expect(call.issues).toEqual([]);
  });

  it('embeddings read ai.usage.tokens and have no output', () => {
    const call = read({
      'ai.operationId': 'ai.embedMany.doEmbed',
      'ai.model.provider': 'openai.embedding',
      'ai.model.id': 'text-embedding-3-small',
      'ai.usage.tokens': 64,
    });
    expect(call.operation).toBe('embeddings');
    expect(call.usage).toMatchObject({ inputTokens: 64, outputTokens: 0 });
  });

  it('a broken providerMetadata JSON is ignored', () => {
    const call = read({
      'ai.operationId': 'ai.generateText.doGenerate',
      'ai.model.provider': 'openai.chat',
      'ai.model.id': 'gpt-4o',
      'ai.usage.promptTokens': 10,
      'ai.usage.completionTokens': 1,
      'ai.response.providerMetadata': '{not json',
    });
    expect(call.usage?.cacheReadTokens).toBe(0);
  });
});

describe('normalizeSpan: OpenInference and Langfuse', () => {
  it('OpenInference llm.token_count.* (prompt includes cache)', () => {
    const call = read({
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'gpt-4o-mini-2024-07-18',
      'llm.system': 'openai',
      'llm.token_count.prompt': 1000,
      'llm.token_count.completion': 300,
      'llm.token_count.prompt_details.cache_read': 600,
      'llm.token_count.completion_details.reasoning': 150,
    });
    expect(call).toMatchObject({
      emitter: 'openinference',
      provider: 'openai',
      model: 'gpt-4o-mini-2024-07-18',
      usage: {
        inputTokens: 1000,
        outputTokens: 300,
        cacheReadTokens: 600,
        reasoningTokens: 150,
      },
    });
  });

  it('OpenInference llm.cost.total is a provider-reported cost', () => {
    const call = read({
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'x',
      'llm.cost.total': 0.25,
    });
    expect(call.reportedCostUsd).toBe(0.25);
  });

  it('Langfuse usage_details: input is the uncached part', () => {
    const call = read({
      'langfuse.observation.type': 'generation',
      'langfuse.observation.model.name': 'gpt-4o',
      'langfuse.observation.usage_details': JSON.stringify({
        input: 400,
        output: 100,
        input_cached_tokens: 600,
      }),
      'langfuse.observation.cost_details': JSON.stringify({ total: 0.5 }),
    });
    expect(call.usage).toMatchObject({
      inputTokens: 1000,
      cacheReadTokens: 600,
    });
    expect(call.reportedCostUsd).toBe(0.5);
  });

  it('a gen_ai.usage.cost written by this library is not a reported cost', () => {
    const call = read({
      'gen_ai.operation.name': 'chat',
      'gen_ai.usage.cost': 1,
      'gen_ai.cost.source': 'price_table',
    });
    expect(call.reportedCostUsd).toBeUndefined();
    const gatewayCost = read({
      'gen_ai.operation.name': 'chat',
      'gen_ai.usage.cost': 0.75,
    });
    expect(gatewayCost.reportedCostUsd).toBe(0.75);
  });
});

describe('normalizeSpan: AI SDK v5, Anthropic served by Vertex', () => {
  it('keeps the Anthropic cache semantics for vertex.anthropic.messages', () => {
    const spanClass = classifySpan({
      'ai.operationId': 'ai.generateText.doGenerate',
    });
    const call = normalizeSpan(
      spanLike({
        'ai.operationId': 'ai.generateText.doGenerate',
        'ai.request.headers.user-agent': 'ai/5.0.60',
        'ai.model.provider': 'vertex.anthropic.messages',
        'ai.model.id': 'claude-sonnet-4-5@20250929',
        'ai.usage.inputTokens': 10_000,
        'ai.usage.outputTokens': 100,
        'ai.usage.cachedInputTokens': 8000,
      }),
      spanClass.family ?? 'ai_sdk',
    );
    expect(call.provider).toBe('gcp.vertex_ai');
    expect(call.usage?.inputTokens).toBe(18_000);
    expect(call.issues).toContain('input_excluded_cache');
  });
});

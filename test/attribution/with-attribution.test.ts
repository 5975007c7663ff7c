import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectPricedSpan } from '../helpers/cost-assertions.js';
import { GPT_4O_MINI, expectedCost } from '../helpers/prices.js';
import {
  getAttribution,
  recordLlmCall,
  withAttribution,
} from '../../src/index.js';
import { attrs, chatSpan } from '../helpers/chat-span.js';
import { setupTracing, type TestTracing } from '../helpers/tracing.js';

const SOURCE = 'gen_ai.cost.attribution.source';

describe('withAttribution', () => {
  let tracing: TestTracing;
  beforeEach(() => {
    tracing = setupTracing();
  });
  afterEach(async () => {
    await tracing.shutdown();
  });

  it('returns what fn returns, sync and async, and restores the outer context', async () => {
    expect(withAttribution({ userId: 'u' }, () => 42)).toBe(42);
    const promise = withAttribution({ userId: 'u' }, async () => {
      await new Promise(resolve => setTimeout(resolve, 1));
      return getAttribution();
    });
    expect(promise).toBeInstanceOf(Promise);
    expect(await promise).toEqual({ userId: 'u' });
    expect(getAttribution()).toBeUndefined();
  });

  it('merges nested scopes, inner wins, and normalizes key spellings', async () => {
    await withAttribution(
      { userId: 'outer', tenant_id: 'acme', plan: 'free' },
      async () => {
        await withAttribution(
          { user_id: 'inner', plan: undefined, feature: 'chat' },
          async () => {
            await Promise.resolve();
            expect(getAttribution()).toEqual({
              userId: 'inner',
              tenantId: 'acme',
              plan: 'free',
              feature: 'chat',
            });
          },
        );
        expect(getAttribution()).toEqual({
          userId: 'outer',
          tenantId: 'acme',
          plan: 'free',
        });
      },
    );
  });

  it('puts the tags on every LLM span started inside, however deeply nested', async () => {
    const tracer = tracing.tracer();
    await withAttribution(
      {
        userId: 'u-1',
        tenantId: 'acme',
        sessionId: 's-1',
        plan: 'pro',
        feature: 'search',
      },
      async () => {
        await tracer.startActiveSpan('handler', async outer => {
          await new Promise(resolve => setImmediate(resolve));
          await tracer.startActiveSpan('inner', async inner => {
            await new Promise(resolve => setTimeout(resolve, 1));
            chatSpan(tracer);
            inner.end();
          });
          outer.end();
        });
      },
    );
    const spans = await tracing.spans();
    const chat = spans.find(s => s.name === 'chat gpt-4o-mini');
    expect(chat).toBeDefined();
    expect(attrs(chat!)).toMatchObject({
      'user.id': 'u-1',
      'session.id': 's-1',
      'tenant.id': 'acme',
      'app.plan': 'pro',
      'app.feature': 'search',
      [SOURCE]: 'context',
    });
    expectPricedSpan(
      chat!,
      expectedCost(GPT_4O_MINI, { uncachedInput: 1000, output: 100 }),
    );
    // Non-LLM spans are not written to.
    for (const span of spans.filter(s => s !== chat)) {
      expect(span.attributes['user.id']).toBeUndefined();
      expect(span.attributes[SOURCE]).toBeUndefined();
    }
    expect(tracing.sink.records).toHaveLength(1);
    expect(tracing.sink.records[0]?.identity).toMatchObject({
      userId: 'u-1',
      tenantId: 'acme',
      source: 'context',
    });
  });

  it('sends calls without any identity to the explicit unattributed bucket', async () => {
    chatSpan(tracing.tracer());
    const [span] = await tracing.spans();
    expect(span?.attributes[SOURCE]).toBe('none');
    expect(span?.attributes['user.id']).toBeUndefined();
    expectPricedSpan(span!);
    expect(tracing.sink.records[0]?.identity.source).toBe('none');
  });

  it('context attribution beats the span attributes, which beat ancestors (per key)', async () => {
    const tracer = tracing.tracer('gen_ai');
    await tracer.startActiveSpan(
      'invoke_agent gpt-4o-mini',
      {
        attributes: {
          'gen_ai.operation.name': 'invoke_agent',
          'ai.settings.context.userId': 'u-ancestor',
          'ai.settings.context.sessionId': 's-ancestor',
        },
      },
      async agent => {
        await tracer.startActiveSpan(
          'step 1',
          { attributes: { 'gen_ai.operation.name': 'agent_step' } },
          async step => {
            await withAttribution({ tenantId: 'acme' }, async () => {
              chatSpan(tracer, { attributes: { 'user.id': 'u-own' } });
            });
            chatSpan(tracer);
            step.end();
          },
        );
        agent.end();
      },
    );
    const chats = (await tracing.spans()).filter(s =>
      s.name.startsWith('chat'),
    );
    expect(chats).toHaveLength(2);
    expect(attrs(chats[0]!)).toMatchObject({
      'user.id': 'u-own',
      'tenant.id': 'acme',
      'session.id': 's-ancestor',
      [SOURCE]: 'context',
    });
    expect(attrs(chats[1]!)).toMatchObject({
      'user.id': 'u-ancestor',
      'session.id': 's-ancestor',
      [SOURCE]: 'ancestor',
    });
    expect(chats[1]!.attributes['tenant.id']).toBeUndefined();
  });

  it('inherits from the request span that started the SDK call, read when the call ends', async () => {
    const tracer = tracing.tracer();
    const request = tracer.startSpan('POST /chat');
    // The user id is known only after auth ran, after the request span started.
    request.setAttribute('user.id', 'late-user');
    context.with(trace.setSpan(context.active(), request), () =>
      chatSpan(tracer),
    );
    request.end();
    const chat = (await tracing.spans()).find(s => s.name.startsWith('chat'));
    expect(attrs(chat!)).toMatchObject({
      'user.id': 'late-user',
      [SOURCE]: 'ancestor',
    });
  });
});

describe('recordLlmCall', () => {
  let tracing: TestTracing;
  beforeEach(() => {
    tracing = setupTracing({ registerGlobally: true });
  });
  afterEach(async () => {
    await tracing.shutdown();
  });

  it('emits a well-formed GenAI client span that the processor prices and attributes', async () => {
    const start = new Date('2026-01-01T00:00:00Z');
    const end = new Date('2026-01-01T00:00:02Z');
    withAttribution({ tenantId: 'acme' }, () =>
      recordLlmCall({
        provider: 'openai',
        model: 'gpt-4o-mini',
        responseModel: 'gpt-4o-mini-2024-07-18',
        usage: {
          inputTokens: 1000,
          outputTokens: 300,
          cacheReadTokens: 600,
          reasoningTokens: 100,
        },
        tags: { userId: 'u-manual', feature: 'digest' },
        startTime: start,
        endTime: end,
        responseId: 'resp-1',
      }),
    );
    const [span] = await tracing.spans();
    expect(span?.name).toBe('chat gpt-4o-mini');
    expect(span?.kind).toBe(2); // CLIENT
    expect(span?.instrumentationScope.name).toBe('otel-genai-cost/manual');
    expect(span?.startTime).toEqual([Math.floor(start.getTime() / 1000), 0]);
    expect(span?.duration).toEqual([2, 0]);
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    expect(attrs(span!)).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.id': 'resp-1',
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 300,
      'gen_ai.usage.cache_read.input_tokens': 600,
      'gen_ai.usage.reasoning.output_tokens': 100,
      'user.id': 'u-manual',
      'tenant.id': 'acme',
      'app.feature': 'digest',
      [SOURCE]: 'manual',
    });
    expectPricedSpan(
      span!,
      expectedCost(GPT_4O_MINI, {
        uncachedInput: 400,
        cacheRead: 600,
        output: 300,
      }),
      { parts: true },
    );
  });

  it('records embeddings, failed calls and cache writes', async () => {
    recordLlmCall({
      provider: 'openai',
      model: 'text-embedding-3-small',
      operation: 'embeddings',
      usage: { inputTokens: 50 },
    });
    recordLlmCall({
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      usage: {
        inputTokens: 4200,
        outputTokens: 10,
        cacheReadTokens: 3000,
        cacheWriteTokens: 1000,
      },
      outcome: 'error',
      errorType: 'timeout',
    });
    const spans = await tracing.spans();
    expect(spans[0]?.attributes['gen_ai.operation.name']).toBe('embeddings');
    expectPricedSpan(spans[0]!, (50 * 0.02) / 1e6);
    expect(spans[1]?.status.code).toBe(SpanStatusCode.ERROR);
    expect(spans[1]?.attributes['error.type']).toBe('timeout');
    expect(
      spans[1]?.attributes['gen_ai.usage.cache_creation.input_tokens'],
    ).toBe(1000);
    // Claude Sonnet 4.5: $3 in, $0.30 cache read, $3.75 cache write, $15 out per MTok.
    expectPricedSpan(
      spans[1]!,
      (200 * 3 + 3000 * 0.3 + 1000 * 3.75 + 10 * 15) / 1e6,
    );
    expect(spans[1]?.attributes[SOURCE]).toBe('none');
  });

  it('keeps invalid counts, so the call is unpriced (invalid_usage), never priced on the others', async () => {
    recordLlmCall({
      provider: 'openai',
      model: 'gpt-4o-mini',
      usage: { inputTokens: 10, outputTokens: Number.NaN },
    });
    const [span] = await tracing.spans();
    expect(span?.attributes['gen_ai.usage.output_tokens']).toBeNaN();
    expect(span?.attributes['gen_ai.usage.input_tokens']).toBe(10);
    expect(span?.attributes['gen_ai.cost.source']).toBe('unpriced');
    expect(span?.attributes['gen_ai.cost.unpriced_reason']).toBe(
      'invalid_usage',
    );
    expect(span?.attributes['gen_ai.usage.cost']).toBeUndefined();
  });
});

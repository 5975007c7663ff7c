/**
 * Real AI SDK runs end with the right `user.id` on every priced span:
 * - v6 (`ai-v6`, MockLanguageModelV3): identity from
 *   `experimental_telemetry.metadata` (`ai.telemetry.metadata.userId`) on the
 *   span itself;
 * - v7 (`ai` + `@ai-sdk/otel` `OpenTelemetry({ runtimeContext: true })`,
 *   MockLanguageModelV4): identity from `runtimeContext` +
 *   `telemetry.includeRuntimeContext`, which lands on `invoke_agent` (and
 *   `step`) as `ai.settings.context.*`, not on the priced `chat` spans, so it
 *   is inherited from the ancestor.
 */
import { OpenTelemetry } from '@ai-sdk/otel';
import {
  generateText as generateTextV7,
  stepCountIs as stepCountIsV7,
  streamText as streamTextV7,
  tool as toolV7,
} from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import {
  generateText as generateTextV6,
  stepCountIs as stepCountIsV6,
  tool as toolV6,
} from 'ai-v6';
import { MockLanguageModelV3 } from 'ai-v6/test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { expectPricedSpan, pricedSpans } from '../helpers/cost-assertions.js';
import { GPT_4O_MINI, expectedCost } from '../helpers/prices.js';
import { inSequence } from '../helpers/sequence.js';
import { withAttribution } from '../../src/index.js';
import { setupTracing, type TestTracing } from '../helpers/tracing.js';

type V3Result = Awaited<ReturnType<MockLanguageModelV3['doGenerate']>>;
type V4Result = Awaited<ReturnType<MockLanguageModelV4['doGenerate']>>;

const USAGE = {
  inputTokens: { total: 1000, noCache: 1000, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 300, text: 300, reasoning: 0 },
};
const CALL_COST = expectedCost(GPT_4O_MINI, {
  uncachedInput: 1000,
  output: 300,
});

function toolCallResult<R extends V3Result | V4Result>(): R {
  return {
    content: [
      {
        type: 'tool-call',
        toolCallId: 'call-1',
        toolName: 'weather',
        input: '{"city":"Paris"}',
      },
    ],
    finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
    usage: USAGE,
    warnings: [],
    response: {
      id: 'resp-tool',
      modelId: 'gpt-4o-mini-2024-07-18',
      timestamp: new Date(0),
    },
  } as unknown as R;
}

function textResult<R extends V3Result | V4Result>(id = 'resp-text'): R {
  return {
    content: [{ type: 'text', text: 'Sunny.' }],
    finishReason: { unified: 'stop', raw: 'stop' },
    usage: USAGE,
    warnings: [],
    response: { id, modelId: 'gpt-4o-mini-2024-07-18', timestamp: new Date(0) },
  } as unknown as R;
}

let tracing: TestTracing;
beforeEach(() => {
  tracing = setupTracing();
});
afterEach(async () => {
  await tracing.shutdown();
});

describe('AI SDK v6: experimental_telemetry.metadata', () => {
  it('puts the metadata userId on both priced doGenerate spans of a tool loop', async () => {
    const model = new MockLanguageModelV3({
      provider: 'openai.chat',
      modelId: 'gpt-4o-mini',
      doGenerate: inSequence(
        toolCallResult<V3Result>(),
        textResult<V3Result>(),
      ),
    });
    await generateTextV6({
      model,
      prompt: 'Weather in Paris?',
      tools: {
        weather: toolV6({
          inputSchema: z.object({ city: z.string() }),
          execute: async () => ({ celsius: 21 }),
        }),
      },
      stopWhen: stepCountIsV6(2),
      experimental_telemetry: {
        isEnabled: true,
        tracer: tracing.tracer('ai'),
        metadata: {
          userId: 'v6-user',
          sessionId: 'v6-session',
          tenantId: 'v6-tenant',
        },
      },
    });
    const spans = await tracing.spans();
    const priced = pricedSpans(spans);
    expect(priced.map(s => s.name)).toEqual([
      'ai.generateText.doGenerate',
      'ai.generateText.doGenerate',
    ]);
    for (const span of priced) {
      expectPricedSpan(span, CALL_COST);
      expect(span.attributes).toMatchObject({
        'user.id': 'v6-user',
        'session.id': 'v6-session',
        'tenant.id': 'v6-tenant',
        'gen_ai.cost.attribution.source': 'span',
      });
    }
    // The roll-up is never priced and never attributed by us.
    const outer = spans.find(s => s.name === 'ai.generateText');
    expect(outer?.attributes['user.id']).toBeUndefined();
    expect(tracing.sink.records.map(r => r.identity.userId)).toEqual([
      'v6-user',
      'v6-user',
    ]);
  });

  it('withAttribution around the call wins over the metadata for the keys it sets', async () => {
    const model = new MockLanguageModelV3({
      provider: 'openai.chat',
      modelId: 'gpt-4o-mini',
      doGenerate: inSequence(textResult<V3Result>()),
    });
    await withAttribution({ userId: 'ctx-user', plan: 'pro' }, () =>
      generateTextV6({
        model,
        prompt: 'hi',
        experimental_telemetry: {
          isEnabled: true,
          tracer: tracing.tracer('ai'),
          metadata: { userId: 'meta-user', sessionId: 's' },
        },
      }),
    );
    const [span] = pricedSpans(await tracing.spans());
    expect(span?.attributes).toMatchObject({
      'user.id': 'ctx-user',
      'app.plan': 'pro',
      'session.id': 's',
      'gen_ai.cost.attribution.source': 'context',
    });
  });
});

describe('AI SDK v7: runtimeContext through @ai-sdk/otel', () => {
  function v7Telemetry() {
    return {
      integrations: new OpenTelemetry({
        tracer: tracing.tracer('gen_ai'),
        runtimeContext: true,
      }),
      includeRuntimeContext: { userId: true, tenantId: true },
    };
  }

  it('inherits ai.settings.context.* from invoke_agent onto every priced chat span', async () => {
    const model = new MockLanguageModelV4({
      provider: 'openai.chat',
      modelId: 'gpt-4o-mini',
      doGenerate: inSequence(
        toolCallResult<V4Result>(),
        textResult<V4Result>(),
      ),
    });
    await generateTextV7({
      model,
      prompt: 'Weather in Paris?',
      tools: {
        weather: toolV7({
          inputSchema: z.object({ city: z.string() }),
          execute: async () => ({ celsius: 21 }),
        }),
      },
      stopWhen: stepCountIsV7(2),
      runtimeContext: {
        userId: 'v7-user',
        tenantId: 'v7-tenant',
        apiKey: 'never-included',
      },
      telemetry: v7Telemetry(),
    });
    const spans = await tracing.spans();
    const agent = spans.find(s => s.name.startsWith('invoke_agent'));
    expect(agent?.attributes['ai.settings.context.userId']).toBe('v7-user');
    const priced = pricedSpans(spans);
    expect(priced.map(s => s.name)).toEqual([
      'chat gpt-4o-mini',
      'chat gpt-4o-mini',
    ]);
    for (const span of priced) {
      // Precondition of the test: the chat span itself carries no identity.
      expect(
        Object.keys(span.attributes).filter(k =>
          k.startsWith('ai.settings.context.'),
        ),
      ).toEqual([]);
      expectPricedSpan(span, CALL_COST);
      expect(span.attributes).toMatchObject({
        'user.id': 'v7-user',
        'tenant.id': 'v7-tenant',
        'gen_ai.cost.attribution.source': 'ancestor',
      });
    }
    expect(JSON.stringify(spans.map(s => s.attributes))).not.toContain(
      'never-included',
    );
  });

  it('streamText under withAttribution: context wins, ancestor fills the rest', async () => {
    const model = new MockLanguageModelV4({
      provider: 'openai.chat',
      modelId: 'gpt-4o-mini',
      doStream: inSequence({
        stream: new ReadableStream({
          start(controller) {
            controller.enqueue({ type: 'stream-start', warnings: [] });
            controller.enqueue({
              type: 'response-metadata',
              id: 'r',
              modelId: 'gpt-4o-mini-2024-07-18',
            });
            controller.enqueue({ type: 'text-start', id: 't' });
            controller.enqueue({
              type: 'text-delta',
              id: 't',
              delta: 'Sunny.',
            });
            controller.enqueue({ type: 'text-end', id: 't' });
            controller.enqueue({
              type: 'finish',
              finishReason: { unified: 'stop', raw: 'stop' },
              usage: USAGE,
            });
            controller.close();
          },
        }),
      }),
    });
    await withAttribution(
      { userId: 'ctx-user', feature: 'stream' },
      async () => {
        const result = streamTextV7({
          model,
          prompt: 'hi',
          runtimeContext: { userId: 'rc-user', tenantId: 'rc-tenant' },
          telemetry: v7Telemetry(),
        });
        await result.consumeStream();
      },
    );
    const [span] = pricedSpans(await tracing.spans());
    expectPricedSpan(span!, CALL_COST);
    expect(span?.attributes).toMatchObject({
      'user.id': 'ctx-user',
      'app.feature': 'stream',
      'tenant.id': 'rc-tenant',
      'gen_ai.cost.attribution.source': 'context',
    });
  });
});

/**
 * Runs the registration examples a user copies (examples/registration/)
 * against a local OTLP receiver: each must deliver priced, attributed spans.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation, trace } from '@opentelemetry/api';
import { MockLanguageModelV4 } from 'ai/test';
import { afterEach, describe, expect, it } from 'vitest';
import { GPT_4O_MINI, expectedCost } from '../helpers/prices.js';
import { recordLlmCall } from '../../src/index.js';
import {
  answer,
  registerAiSdkTelemetry,
} from '../../examples/registration/ai-sdk-v7.js';
import { createApp } from '../../examples/registration/express-app.js';
import { register } from '../../examples/registration/nextjs-instrumentation.js';
import { chatRoute } from '../../examples/registration/nextjs-route.js';
import { startTelemetry } from '../../examples/registration/node-sdk.js';
import {
  createProvider,
  flushingHandler,
} from '../../examples/registration/serverless-flush.js';
import { registerTelemetry } from '../../examples/registration/vercel-otel.js';
import {
  startOtlpReceiver,
  type OtlpReceiver,
} from '../helpers/otlp-receiver.js';

const CALL = expectedCost(GPT_4O_MINI, { uncachedInput: 1000, output: 100 });

let receiver: OtlpReceiver | undefined;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await receiver?.close();
  receiver = undefined;
  trace.disable();
  context.disable();
  propagation.disable();
});

function llmCall(): void {
  recordLlmCall({
    provider: 'openai',
    model: 'gpt-4o-mini',
    usage: { inputTokens: 1000, outputTokens: 100 },
  });
}

function pricedUsers(r: OtlpReceiver): unknown[] {
  const priced = r
    .spans()
    .filter(s => s.attributes['gen_ai.usage.cost'] !== undefined);
  for (const span of priced)
    expect(span.attributes['gen_ai.usage.cost']).toBeCloseTo(CALL.total, 12);
  return priced.map(s => s.attributes['user.id']);
}

describe('examples/registration', () => {
  it('node-sdk.ts + express-app.ts: a request through the attribution middleware', async () => {
    receiver = await startOtlpReceiver();
    const sdk = startTelemetry(receiver.url);
    cleanups.push(() => sdk.shutdown());
    const app = createApp(async () => {
      llmCall();
      return 'ok';
    });
    const server: Server = await new Promise(resolve => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    cleanups.push(
      () => new Promise<void>(resolve => server.close(() => resolve())),
    );
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/ask`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-session-id': 'anon-session',
      },
      body: JSON.stringify({ question: 'hi' }),
    });
    expect(response.status).toBe(200);
    server.closeAllConnections();
    await sdk.shutdown();
    const priced = receiver
      .spans()
      .filter(s => s.attributes['gen_ai.usage.cost'] !== undefined);
    expect(priced).toHaveLength(1);
    expect(priced[0]?.attributes['session.id']).toBe('anon-session');
    expect(priced[0]?.attributes['user.id']).toBeUndefined();
  });

  it('vercel-otel.ts and nextjs-instrumentation.ts: priced and attributed despite the bundled SDK', async () => {
    receiver = await startOtlpReceiver();
    const previous = {
      runtime: process.env['NEXT_RUNTIME'],
      endpoint: process.env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'],
    };
    process.env['NEXT_RUNTIME'] = 'nodejs';
    process.env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] = receiver.url;
    cleanups.push(() => {
      for (const [key, value] of [
        ['NEXT_RUNTIME', previous.runtime],
        ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', previous.endpoint],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    });
    await register();
    const { withAttribution } = await import('../../src/index.js');
    await withAttribution({ userId: 'next-user' }, async () => {
      await new Promise(resolve => setTimeout(resolve, 1));
      llmCall();
    });
    const provider = trace.getTracerProvider() as unknown as {
      forceFlush?: () => Promise<void>;
      getDelegate?: () => { forceFlush?: () => Promise<void> };
    };
    await (provider.getDelegate?.().forceFlush?.() ?? provider.forceFlush?.());
    expect(pricedUsers(receiver)).toEqual(['next-user']);
    expect(typeof registerTelemetry).toBe('function');
  });

  it('nextjs-route.ts: the route’s LLM call is billed to the session user', async () => {
    receiver = await startOtlpReceiver();
    const sdk = startTelemetry(receiver.url);
    cleanups.push(() => sdk.shutdown());
    const questions: string[] = [];
    const POST = chatRoute(
      async () => ({ user: { id: 'route-user', orgId: 'acme' } }),
      async question => {
        questions.push(question);
        await new Promise(resolve => setTimeout(resolve, 1));
        llmCall();
        return 'ok';
      },
    );
    const response = await POST(
      new Request('http://localhost/api/chat', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question: 'hi' }),
      }),
    );
    expect(await response.json()).toEqual({ answer: 'ok' });
    expect(questions).toEqual(['hi']);
    // Signed out: the call is priced, billed to nobody.
    const anonymous = chatRoute(
      async () => null,
      async () => {
        llmCall();
        return 'ok';
      },
    );
    await anonymous(
      new Request('http://localhost/api/chat', {
        method: 'POST',
        body: JSON.stringify({ question: 'hi' }),
      }),
    );
    await sdk.shutdown();
    expect(pricedUsers(receiver)).toEqual(['route-user', undefined]);
    const [call] = receiver
      .spans()
      .filter(s => s.attributes['gen_ai.usage.cost'] !== undefined);
    expect(call?.attributes).toMatchObject({
      'tenant.id': 'acme',
      'app.feature': 'chat',
      'gen_ai.cost.attribution.source': 'context',
    });
  });

  it('serverless-flush.ts: everything is delivered before the handler returns', async () => {
    receiver = await startOtlpReceiver();
    const provider = createProvider(receiver.url);
    cleanups.push(() => provider.shutdown());
    const handler = flushingHandler(
      provider,
      async (_event: { userId?: string }) => {
        llmCall();
        return { statusCode: 200 };
      },
    );
    expect(await handler({ userId: 'lambda-user' })).toEqual({
      statusCode: 200,
    });
    // No shutdown, no waiting: the flush inside the handler already sent it.
    expect(pricedUsers(receiver)).toEqual(['lambda-user']);
  });

  it('ai-sdk-v7.ts: registerTelemetry + runtimeContext', async () => {
    receiver = await startOtlpReceiver();
    const sdk = startTelemetry(receiver.url);
    cleanups.push(() => sdk.shutdown());
    registerAiSdkTelemetry();
    const model = new MockLanguageModelV4({
      provider: 'openai.chat',
      modelId: 'gpt-4o-mini',
      doGenerate: async () => ({
        content: [{ type: 'text', text: 'ok' }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: {
          inputTokens: {
            total: 1000,
            noCache: 1000,
            cacheRead: 0,
            cacheWrite: 0,
          },
          outputTokens: { total: 100, text: 100, reasoning: 0 },
        },
        warnings: [],
        response: { id: 'r', modelId: 'gpt-4o-mini', timestamp: new Date(0) },
      }),
    });
    expect(await answer(model, 'hi', { id: 'v7-user', orgId: 'acme' })).toBe(
      'ok',
    );
    await sdk.shutdown();
    const priced = receiver
      .spans()
      .filter(s => s.attributes['gen_ai.usage.cost'] !== undefined);
    expect(priced.map(s => s.name)).toEqual(['chat gpt-4o-mini']);
    expect(priced[0]?.attributes).toMatchObject({
      'user.id': 'v7-user',
      'tenant.id': 'acme',
      'gen_ai.cost.attribution.source': 'ancestor',
    });
    expect(JSON.stringify(receiver.spans())).not.toContain('not recorded');
  });
});

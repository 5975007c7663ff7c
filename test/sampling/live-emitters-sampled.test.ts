/**
 * Real emitters under `CostAwareSampler` on the real SDK (sdk-trace 2.12):
 * - `openai@6` instrumented by `@opentelemetry/instrumentation-openai`
 *   against the fake OpenAI server (127.0.0.1), 300 requests of 1-3 calls
 *   at 5% head sampling: every call counted at published gpt-4o-mini
 *   prices, the exporters get exactly the sampled traces;
 * - the AI SDK v6 (`ai.*` spans) and v7 (`@ai-sdk/otel`, GenAI spans) with
 *   mock models, a tool loop in a dropped trace: counted as in a sampled
 *   trace, identity inherited from the recorded agent span (v7), nothing
 *   exported.
 */
import { SpanKind, TraceFlags, context, trace } from '@opentelemetry/api';
import { OpenTelemetry } from '@ai-sdk/otel';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';
import { generateText as generateTextV7, stepCountIs, tool } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import {
  generateText as generateTextV6,
  stepCountIs as stepCountIsV6,
  tool as toolV6,
} from 'ai-v6';
import { MockLanguageModelV3 } from 'ai-v6/test';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CostAwareSampler } from '../../src/index.js';
import {
  startFakeOpenAIServer,
  type FakeOpenAIServer,
} from '../helpers/fake-openai-server.js';
import {
  instrumentOpenAIWithContrib,
  type InstrumentedOpenAI,
} from '../helpers/openai-instrumentation.js';
import { GPT_4O_MINI, expectedCost } from '../helpers/prices.js';
import { inSequence } from '../helpers/sequence.js';
import { setupSampledTracing, type SampledTracing } from './sampled-tracing.js';

let instrumented: InstrumentedOpenAI;
let server: FakeOpenAIServer;
let tracing: SampledTracing | undefined;

beforeAll(async () => {
  instrumented = instrumentOpenAIWithContrib();
  server = await startFakeOpenAIServer();
});
afterAll(async () => {
  instrumented.uninstrument();
  await server.close();
});
afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
});

function costAware(root: Sampler): CostAwareSampler {
  return new CostAwareSampler(new ParentBasedSampler({ root }));
}

describe('openai + @opentelemetry/instrumentation-openai at 5% head sampling', () => {
  it('counts every call and exports exactly the sampled traces', async () => {
    const t = setupSampledTracing(
      costAware(new TraceIdRatioBasedSampler(0.05)),
    );
    tracing = t;
    instrumented.setTracerProvider(t.provider);
    const client = new instrumented.OpenAI({
      baseURL: server.baseURL,
      apiKey: 'test-key',
      maxRetries: 0,
    });
    const web = t.provider.getTracer('web');
    let truth = 0;
    let calls = 0;
    const callsByTrace = new Map<string, number>();
    for (let request = 0; request < 300; request += 1) {
      const count = 1 + (request % 3);
      const root = web.startSpan('POST /ask', { kind: SpanKind.SERVER });
      await context.with(trace.setSpan(context.active(), root), async () => {
        for (let i = 0; i < count; i += 1) {
          const prompt = 200 + ((request * 37 + i * 101) % 3000);
          const completion = 20 + ((request * 13 + i * 7) % 700);
          server.configure({
            chatUsage: { promptTokens: prompt, completionTokens: completion },
          });
          await client.chat.completions.create({
            model: 'gpt-4o-mini',
            messages: [{ role: 'user', content: 'Weather in Paris?' }],
          });
          truth += expectedCost(GPT_4O_MINI, {
            uncachedInput: prompt,
            output: completion,
          }).total;
        }
      });
      root.end();
      callsByTrace.set(root.spanContext().traceId, count);
      calls += count;
    }
    expect(calls).toBe(600);
    expect(await t.metricCalls()).toBe(calls);
    const metric = await t.metricCostUsd();
    expect(Math.abs(metric - truth) / truth).toBeLessThan(1e-9);

    const exported = t.batchExporter.getFinishedSpans();
    const sampled = new Set(exported.map(s => s.spanContext().traceId));
    const exportedCalls = exported.filter(s => s.name === 'chat gpt-4o-mini');
    expect(exportedCalls).toHaveLength(
      [...sampled].reduce((sum, id) => sum + (callsByTrace.get(id) ?? NaN), 0),
    );
    expect(
      exported.every(s => s.spanContext().traceFlags === TraceFlags.SAMPLED),
    ).toBe(true);
    // 300 requests at 5%: mean 15, sigma 3.77; within 4 sigma.
    expect(Math.abs(sampled.size - 15)).toBeLessThan(4 * 3.78);
    // Dropped calls were recorded and priced, none exported.
    const droppedCalls = t.ended.filter(
      s =>
        s.name === 'chat gpt-4o-mini' &&
        s.spanContext().traceFlags === TraceFlags.NONE,
    );
    expect(droppedCalls).toHaveLength(calls - exportedCalls.length);
    expect(
      droppedCalls.every(
        s => typeof s.attributes['gen_ai.usage.cost'] === 'number',
      ),
    ).toBe(true);
    console.info(
      `[live openai] calls=${calls} truth=$${truth.toFixed(6)} metric=$${metric.toFixed(6)} sampledRequests=${sampled.size} exportedCalls=${exportedCalls.length}`,
    );
  });
});

type V3Result = Awaited<ReturnType<MockLanguageModelV3['doGenerate']>>;
type V4Result = Awaited<ReturnType<MockLanguageModelV4['doGenerate']>>;
const USAGE = {
  inputTokens: { total: 1000, noCache: 1000, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 300, text: 300, reasoning: 0 },
};
const CALL = expectedCost(GPT_4O_MINI, { uncachedInput: 1000, output: 300 });

function toolCall<R extends V3Result | V4Result>(): R {
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
    response: { id: 'r-1', modelId: 'gpt-4o-mini', timestamp: new Date(0) },
  } as unknown as R;
}
function text<R extends V3Result | V4Result>(): R {
  return {
    content: [{ type: 'text', text: 'Sunny.' }],
    finishReason: { unified: 'stop', raw: 'stop' },
    usage: USAGE,
    warnings: [],
    response: { id: 'r-2', modelId: 'gpt-4o-mini', timestamp: new Date(0) },
  } as unknown as R;
}

async function aiSdkV6(t: SampledTracing): Promise<void> {
  await generateTextV6({
    model: new MockLanguageModelV3({
      provider: 'openai.chat',
      modelId: 'gpt-4o-mini',
      doGenerate: inSequence(toolCall<V3Result>(), text<V3Result>()),
    }),
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
      tracer: t.provider.getTracer('ai'),
      metadata: { userId: 'v6-user' },
    },
  });
}

async function aiSdkV7(t: SampledTracing): Promise<void> {
  await generateTextV7({
    model: new MockLanguageModelV4({
      provider: 'openai.chat',
      modelId: 'gpt-4o-mini',
      doGenerate: inSequence(toolCall<V4Result>(), text<V4Result>()),
    }),
    prompt: 'Weather in Paris?',
    tools: {
      weather: tool({
        inputSchema: z.object({ city: z.string() }),
        execute: async () => ({ celsius: 21 }),
      }),
    },
    stopWhen: stepCountIs(2),
    runtimeContext: { userId: 'v7-user' },
    telemetry: {
      integrations: new OpenTelemetry({
        tracer: t.provider.getTracer('gen_ai'),
        runtimeContext: true,
      }),
      includeRuntimeContext: { userId: true },
    },
  });
}

describe('the AI SDK in a dropped trace', () => {
  it.each([
    ['v6', aiSdkV6, 'v6-user'],
    ['v7', aiSdkV7, 'v7-user'],
  ] as const)(
    '%s: both calls of a tool loop counted, with their user, nothing exported',
    async (_, run, user) => {
      const inRequest = async (t: SampledTracing): Promise<void> => {
        const root = t.provider.getTracer('web').startSpan('POST /ask');
        await context.with(trace.setSpan(context.active(), root), () => run(t));
        root.end();
      };
      const sampled = setupSampledTracing(costAware(new AlwaysOnSampler()));
      tracing = sampled;
      await inRequest(sampled);
      const sampledCost = await sampled.metricCostUsd();
      const sampledNames = sampled.ended.map(s => s.name).sort();
      await sampled.shutdown();

      const dropped = setupSampledTracing(costAware(new AlwaysOffSampler()));
      tracing = dropped;
      await inRequest(dropped);
      expect(await dropped.metricCalls()).toBe(2);
      expect(await dropped.metricCostUsd()).toBeCloseTo(2 * CALL.total, 12);
      expect(sampledCost).toBeCloseTo(2 * CALL.total, 12);
      expect(dropped.sink.records.map(r => r.identity.userId)).toEqual([
        user,
        user,
      ]);
      expect(dropped.batchExporter.getFinishedSpans()).toEqual([]);
      expect(dropped.simpleExporter.getFinishedSpans()).toEqual([]);
      // Every span of the AI SDK run is recorded: all but the request.
      expect(dropped.ended.map(s => s.name).sort()).toEqual(
        sampledNames.filter(name => name !== 'POST /ask'),
      );
      console.info(
        `[ai sdk ${_}] recorded in a dropped trace: ${dropped.ended.map(s => s.name).join(', ')}`,
      );
    },
  );
});

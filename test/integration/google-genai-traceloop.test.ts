/**
 * `@google/genai` instrumented by `@traceloop/instrumentation-google-
 * generativeai` 0.27.0 (`manuallyInstrument` on the CommonJS module), against
 * the fake Gemini server, spans through `CostSpanProcessor`: each call priced
 * exactly once at the published gemini-2.5-flash prices, thinking tokens
 * billed as output and the context cache at its own rate.
 *
 * Shapes (test/fixtures/emitters/google/README.md): one CLIENT span
 * `generate_content <model>` per call, `gen_ai.usage.input_tokens` =
 * `promptTokenCount` (cache included), `gen_ai.usage.output_tokens` =
 * `candidatesTokenCount` (thinking EXCLUDED), the thinking under
 * `gen_ai.usage.reasoning_tokens`. With `@google/genai` 1.9 (the supported
 * major) no response id: that SDK drops `responseId` from Gemini API
 * responses; 2.32 keeps it.
 */
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { GenAIInstrumentation } from '@traceloop/instrumentation-google-generativeai';
import fc from 'fast-check';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from 'vitest';
import { costOf, expectPricedSpan } from '../helpers/cost-assertions.js';
import { startFakeGeminiServer } from '../helpers/fake-gemini-server.js';
import type {
  FakeGeminiServer,
  FakeGeminiUsage,
} from '../helpers/fake-gemini-server.js';
import { setupTracing } from '../helpers/tracing.js';
import type { TestTracing } from '../helpers/tracing.js';
import {
  GEMINI_CALLS,
  GEMINI_FLASH,
  geminiExpectedCost,
  loadGenAiV1,
  loadGenAiV2,
  runGeminiScenario,
  trueGeminiCost,
} from './google-genai-scenario.js';
import type { GenAiModule } from './google-genai-scenario.js';
import {
  expectPricedOncePerCall,
  expectProcessTotal,
} from './langchain-scenario.js';

let instrumentation: GenAIInstrumentation;
let v1: GenAiModule;
let v2: GenAiModule;
let server: FakeGeminiServer;
let tracing: TestTracing;

beforeAll(async () => {
  v1 = loadGenAiV1();
  v2 = loadGenAiV2();
  instrumentation = new GenAIInstrumentation();
  instrumentation.manuallyInstrument(v1 as never);
  instrumentation.manuallyInstrument(v2 as never);
  server = await startFakeGeminiServer();
});

afterAll(async () => {
  instrumentation.disable();
  await server.close();
});

beforeEach(() => {
  tracing = setupTracing();
  instrumentation.setTracerProvider(tracing.provider);
});

afterEach(async () => {
  await tracing.shutdown();
});

/** The fake's usage for the call a span recorded, found by its response id. */
function usageOf(span: ReadableSpan): FakeGeminiUsage {
  const id = span.attributes['gen_ai.response.id'];
  const request = server.requests.find(r => r.responseId === id);
  if (request?.usage === undefined) throw new Error(`no call with id ${id}`);
  return request.usage;
}

describe('@google/genai 1.9 + Traceloop Google Gen AI instrumentation', () => {
  it('generateContent (JSON): each call priced once, thinking at the output rate, cache at the cache rate', async () => {
    const calls = GEMINI_CALLS.filter(call => call.mode === 'json');
    await runGeminiScenario(v1, server, calls);
    const spans = await tracing.spans();
    expect(spans.map(span => span.name)).toEqual([
      `generate_content ${GEMINI_FLASH}`,
      `generate_content ${GEMINI_FLASH}`,
    ]);
    spans.forEach((span, index) => {
      const usage = (calls[index] as { usage: FakeGeminiUsage }).usage;
      expectPricedSpan(span, geminiExpectedCost(usage), { parts: true });
      expect(span.attributes['gen_ai.cost.issues']).toEqual([
        'output_excluded_reasoning',
      ]);
    });
    expectPricedOncePerCall(
      spans,
      calls.map(c => trueGeminiCost(c.usage)),
    );
    expectProcessTotal(
      tracing,
      calls.map(c => trueGeminiCost(c.usage)),
    );
  });

  it('generateContentStream: priced once from the last chunk (running totals), not from any earlier chunk', async () => {
    const calls = GEMINI_CALLS.filter(call => call.mode === 'stream');
    await runGeminiScenario(v1, server, calls);
    const spans = await tracing.spans();
    spans.forEach((span, index) => {
      const usage = (calls[index] as { usage: FakeGeminiUsage }).usage;
      expectPricedSpan(span, geminiExpectedCost(usage), { parts: true });
    });
    expectPricedOncePerCall(
      spans,
      calls.map(c => trueGeminiCost(c.usage)),
    );
    expectProcessTotal(
      tracing,
      calls.map(c => trueGeminiCost(c.usage)),
    );
  });

  it('all four calls: process total = the sum of the published per-call prices; no response id from SDK 1.9', async () => {
    await runGeminiScenario(v1, server);
    const spans = await tracing.spans();
    const expected = GEMINI_CALLS.map(c => trueGeminiCost(c.usage));
    // $0.00359704 + $0.00236 + $0.00144408 + $0.000615
    expect(expected.reduce((a, b) => a + b, 0)).toBeCloseTo(0.00801612, 12);
    expectPricedOncePerCall(spans, expected);
    expectProcessTotal(tracing, expected);
    for (const span of spans) {
      expect(span.attributes['gen_ai.response.id']).toBeUndefined();
    }
  });
});

describe('@google/genai 2.32 (outside the range) + Traceloop manuallyInstrument', () => {
  it('the 1.x wrapping works on 2.32: each call priced once, response ids are the fake\u2019s', async () => {
    const ids = await runGeminiScenario(v2, server);
    const spans = await tracing.spans();
    expect(spans.map(span => span.attributes['gen_ai.response.id'])).toEqual(
      ids,
    );
    const expected = GEMINI_CALLS.map(c => trueGeminiCost(c.usage));
    expectPricedOncePerCall(spans, expected);
    expectProcessTotal(tracing, expected);
  });

  it('concurrent calls with different usages: each span priced at ITS call\u2019s usage (matched by response id)', async () => {
    const usages: FakeGeminiUsage[] = Array.from({ length: 8 }, (_, i) => ({
      promptTokenCount: 1000 + 137 * i,
      cachedContentTokenCount: 100 * i,
      candidatesTokenCount: 50 + 31 * i,
      thoughtsTokenCount: i % 3 === 0 ? 0 : 400 - 40 * i,
    }));
    server.enqueueUsages(usages);
    const client = new v2.GoogleGenAI({
      apiKey: 'test-key',
      httpOptions: { baseUrl: server.baseUrl },
    });
    await Promise.all(
      usages.map(async (_, i) => {
        const params = { model: GEMINI_FLASH, contents: `Question ${i}` };
        if (i % 2 === 0) {
          await client.models.generateContent(params);
        } else {
          const stream = await client.models.generateContentStream(params);
          for await (const chunk of stream) void chunk;
        }
      }),
    );
    const spans = await tracing.spans();
    expect(spans).toHaveLength(usages.length);
    for (const span of spans) {
      expectPricedSpan(span, geminiExpectedCost(usageOf(span)), {
        parts: true,
      });
    }
    expectProcessTotal(tracing, usages.map(trueGeminiCost));
  });

  it('generated usages (fast-check): every call priced at the published price of prompt, cache, candidates + thoughts', async () => {
    const usage = fc
      .record({
        prompt: fc.integer({ min: 1, max: 1_000_000 }),
        cachedPerMille: fc.integer({ min: 0, max: 1000 }),
        candidates: fc.integer({ min: 0, max: 60_000 }),
        thoughts: fc.integer({ min: 0, max: 30_000 }),
      })
      .map((u): FakeGeminiUsage => ({
        promptTokenCount: u.prompt,
        cachedContentTokenCount: Math.floor(
          (u.prompt * u.cachedPerMille) / 1000,
        ),
        candidatesTokenCount: u.candidates,
        thoughtsTokenCount: u.thoughts,
      }));
    const client = new v2.GoogleGenAI({
      apiKey: 'test-key',
      httpOptions: { baseUrl: server.baseUrl },
    });
    let expectedTotal = 0;
    await fc.assert(
      fc.asyncProperty(usage, fc.boolean(), async (generated, stream) => {
        server.enqueueUsages([generated]);
        const params = { model: GEMINI_FLASH, contents: 'Weather?' };
        if (stream) {
          const chunks = await client.models.generateContentStream(params);
          for await (const chunk of chunks) void chunk;
        } else {
          await client.models.generateContent(params);
        }
        expectedTotal += trueGeminiCost(generated);
        const span = (await tracing.spans()).at(-1) as ReadableSpan;
        expect(costOf(span)).toBeCloseTo(trueGeminiCost(generated), 12);
      }),
      { numRuns: 25 },
    );
    const priced = tracing.sink.records.filter(r => r.cost.priced);
    expect(priced).toHaveLength(25);
    expect(
      priced.reduce((sum, r) => sum + (r.cost.priced ? r.cost.totalUsd : 0), 0),
    ).toBeCloseTo(expectedTotal, 10);
  });
});

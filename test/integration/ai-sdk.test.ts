/**
 * The AI SDK scenarios, once, driven per major version (v4, v5, v6, and v7
 * through both of its telemetry integrations): spans come from the real SDK
 * of that major driving its own mock models; the per-major API and span
 * shape differences live in `./ai-sdk/v4.ts` ... `./ai-sdk/v7.ts`.
 *
 * Every scenario checks that each provider call is priced once at the
 * published price and that no wrapper span (outer call, step, agent, tool,
 * roll-up) carries a cost, so a trace sums to what was spent.
 */
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  expectNoCost,
  expectPricedSpan,
  expectUnpricedSpan,
  totalCost,
} from '../helpers/cost-assertions.js';
import {
  GPT_4O_MINI,
  TEXT_EMBEDDING_3_SMALL,
  expectedCost,
  sumCosts,
} from '../helpers/prices.js';
import { setupTracing, type TestTracing } from '../helpers/tracing.js';
import type { AiSdkMajor } from './ai-sdk/ai-sdk-major.js';
import {
  expectAttributes,
  expectPricedOnce,
} from './ai-sdk/expect-priced-once.js';
import { AI_SDK_V4 } from './ai-sdk/v4.js';
import { AI_SDK_V5 } from './ai-sdk/v5.js';
import { AI_SDK_V6 } from './ai-sdk/v6.js';
import { AI_SDK_V7_GEN_AI, AI_SDK_V7_LEGACY } from './ai-sdk/v7.js';

const MAJORS: readonly AiSdkMajor[] = [
  AI_SDK_V4,
  AI_SDK_V5,
  AI_SDK_V6,
  AI_SDK_V7_GEN_AI,
  AI_SDK_V7_LEGACY,
];

const CHAT = { input: 1000, output: 300 };
const CHAT_COST = expectedCost(GPT_4O_MINI, {
  uncachedInput: 1000,
  output: 300,
});

const rootOf = (spans: readonly ReadableSpan[]): ReadableSpan | undefined =>
  spans.find(span => span.parentSpanContext === undefined);

let tracing: TestTracing;

afterEach(async () => {
  await tracing.shutdown();
});

describe.each(MAJORS)('$label', major => {
  beforeEach(() => {
    tracing = setupTracing();
  });
  const tracer = () => tracing.tracer(major.scope);

  it('generateText: prices the one provider call, not its wrappers', async () => {
    await major.generateText(CHAT, tracer());

    const spans = await tracing.spans();
    const [call] = expectPricedOnce(
      major,
      spans,
      major.names.generateText,
      CHAT_COST.total,
    );
    expectPricedSpan(call as ReadableSpan, CHAT_COST, { parts: true });
  });

  it('streamText: prices the one provider call, not its wrappers', async () => {
    expect(await major.streamText(CHAT, tracer())).toBe('It is sunny.');

    const spans = await tracing.spans();
    const [call] = expectPricedOnce(
      major,
      spans,
      major.names.streamText,
      CHAT_COST.total,
    );
    expectPricedSpan(call as ReadableSpan, CHAT_COST);
  });

  it('generateObject: prices the one provider call, not its wrappers', async () => {
    const object = await major.generateObject(
      { input: 800, output: 120 },
      tracer(),
    );
    expect(object).toEqual({ city: 'Paris', celsius: 21 });

    const spans = await tracing.spans();
    const expected = expectedCost(GPT_4O_MINI, {
      uncachedInput: 800,
      output: 120,
    });
    const [call] = expectPricedOnce(
      major,
      spans,
      major.names.generateObject,
      expected.total,
    );
    expectAttributes(call, major.generateObjectCallAttributes);
    expectPricedSpan(call as ReadableSpan, expected);
  });

  it('embed: prices the provider call, not the roll-up', async () => {
    await major.embed(tracer());

    const spans = await tracing.spans();
    const expected = expectedCost(TEXT_EMBEDDING_3_SMALL, {
      uncachedInput: 10,
    });
    const [call] = expectPricedOnce(
      major,
      spans,
      major.names.embed,
      expected.total,
    );
    expectPricedSpan(call as ReadableSpan, expected, { parts: true });
  });

  it('embedMany: prices each provider batch, not the roll-up', async () => {
    expect(await major.embedMany(tracer())).toBe(3);

    const spans = await tracing.spans();
    expectAttributes(rootOf(spans), major.embedManyRootAttributes);
    const expected = sumCosts(
      expectedCost(TEXT_EMBEDDING_3_SMALL, { uncachedInput: 20 }),
      expectedCost(TEXT_EMBEDDING_3_SMALL, { uncachedInput: 10 }),
    );
    expectPricedOnce(major, spans, major.names.embedMany, expected);
  });

  it('tool loop (2 steps): prices both provider calls; the outer, step, agent and tool spans are not priced', async () => {
    const steps = await major.toolLoop(
      [CHAT, { input: 1500, output: 250 }],
      tracer(),
    );
    expect(steps).toBe(2);

    const spans = await tracing.spans();
    // The outer span carries the last step's usage (v4, v5) or the sum (v6, v7).
    const { attribute, value } = major.toolLoopRoot;
    expect(rootOf(spans)?.attributes[attribute]).toBe(value);
    const expected = sumCosts(
      CHAT_COST,
      expectedCost(GPT_4O_MINI, { uncachedInput: 1500, output: 250 }),
    );
    expectPricedOnce(major, spans, major.names.toolLoop, expected);
  });

  it('OpenAI cache read + reasoning: cached tokens at the cached rate, reasoning inside output', async () => {
    await major.openAiCache.run(tracer());

    const spans = await tracing.spans();
    const expected = expectedCost(GPT_4O_MINI, {
      uncachedInput: 400,
      cacheRead: 600,
      output: 300,
    });
    const [call] = expectPricedOnce(
      major,
      spans,
      major.openAiCache.names,
      expected.total,
    );
    expectAttributes(call, major.openAiCache.callAttributes);
    expectPricedSpan(call as ReadableSpan, expected, { parts: true });
  });

  it.each(major.anthropicCache)(
    'Anthropic cache read + write ($label)',
    async anthropic => {
      await anthropic.run(tracer());

      const spans = await tracing.spans();
      const expected = expectedCost(anthropic.rates, {
        uncachedInput: anthropic.uncached,
        cacheRead: 3000,
        cacheWrite: 1000,
        output: 400,
      });
      const [call] = expectPricedOnce(
        major,
        spans,
        anthropic.names,
        expected.total,
      );
      expectAttributes(call, anthropic.callAttributes);
      expectPricedSpan(call as ReadableSpan, expected, { parts: true });
    },
  );

  it('does not depend on the tracer scope name (tracer passed as "weather-app")', async () => {
    await major.generateText(CHAT, tracing.tracer('weather-app'));

    const spans = await tracing.spans();
    const [call] = expectPricedOnce(
      major,
      spans,
      major.names.generateText,
      CHAT_COST.total,
    );
    expect(call?.instrumentationScope.name).toBe('weather-app');
  });

  it('unknown model: the provider call is unpriced (unknown_model) and its wrappers carry nothing', async () => {
    await major.generateText(CHAT, tracer(), 'my-finetune-xyz');

    const spans = await tracing.spans();
    const calls = spans.filter(span => major.isCall(span));
    expect(calls).toHaveLength(1);
    expectUnpricedSpan(calls[0] as ReadableSpan, 'unknown_model');
    for (const wrapper of spans.filter(span => !major.isCall(span))) {
      expectNoCost(wrapper);
    }
    expect(totalCost(spans)).toBe(0);
  });
});

describe.each(MAJORS)('$label with no tracer passed (global)', major => {
  beforeEach(() => {
    tracing = setupTracing({ registerGlobally: true });
    major.useGlobal?.();
  });
  afterEach(() => {
    major.resetGlobal?.();
  });

  it('prices the call made through the globally registered provider, in the default scope', async () => {
    await major.generateText(CHAT, undefined);

    const spans = await tracing.spans();
    expect(new Set(spans.map(span => span.instrumentationScope.name))).toEqual(
      new Set([major.scope]),
    );
    expectPricedOnce(major, spans, major.names.generateText, CHAT_COST.total);
  });
});

/**
 * AI SDK v7 `OpenTelemetry({ usage: true })`: the GenAI spans also carry the
 * `ai.usage.*` details; still only the chat span is priced, at the same cost.
 * (The scenarios every major shares are in `./ai-sdk.test.ts`.)
 */
import { OpenTelemetry } from '@ai-sdk/otel';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { generateText } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectPricedSpan } from '../helpers/cost-assertions.js';
import { GPT_4O_MINI, expectedCost } from '../helpers/prices.js';
import { inSequence } from '../helpers/sequence.js';
import { setupTracing, type TestTracing } from '../helpers/tracing.js';
import { expectPricedOnce } from './ai-sdk/expect-priced-once.js';
import { AI_SDK_V7_GEN_AI, textResult } from './ai-sdk/v7.js';
import { OPENAI_CACHE_USAGE } from './ai-sdk/v6-v7-results.js';

let tracing: TestTracing;

beforeEach(() => {
  tracing = setupTracing();
});

afterEach(async () => {
  await tracing.shutdown();
});

describe('AI SDK v7 OpenTelemetry({ usage: true }) — ai.usage.* details on GenAI spans', () => {
  it('still prices only the chat span, with the same cost', async () => {
    const model = new MockLanguageModelV4({
      provider: 'openai.chat',
      modelId: 'gpt-4o-mini',
      doGenerate: inSequence(textResult(OPENAI_CACHE_USAGE)),
    });
    await generateText({
      model,
      prompt: 'Weather in Paris?',
      telemetry: {
        functionId: 'weather-bot',
        integrations: [
          new OpenTelemetry({ tracer: tracing.tracer('gen_ai'), usage: true }),
        ],
      },
    });

    const spans = await tracing.spans();
    const agent = spans.find(span => span.name === 'invoke_agent gpt-4o-mini');
    expect(
      agent?.attributes['ai.usage.outputTokenDetails.reasoningTokens'],
    ).toBe(100);
    const expected = expectedCost(GPT_4O_MINI, {
      uncachedInput: 400,
      cacheRead: 600,
      output: 300,
    });
    const [call] = expectPricedOnce(
      AI_SDK_V7_GEN_AI,
      spans,
      AI_SDK_V7_GEN_AI.names.generateText,
      expected.total,
    );
    expectPricedSpan(call as ReadableSpan, expected, { parts: true });
  });
});

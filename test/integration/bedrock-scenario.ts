/**
 * The Bedrock Runtime scenario the `bedrock-*.test.ts` files run against the
 * fake Bedrock server (the same plan as `scripts/record-bedrock-spans.ts`):
 * 6 calls, Converse and InvokeModel for Claude 3.5 Haiku and Amazon Nova
 * Lite, one more Claude InvokeModel whose cache is smaller than its
 * uncached input, and a Claude ConverseStream. Each call has its own usage, so a call priced twice or
 * with the wrong token convention shows in the totals.
 *
 * The client is loaded as CommonJS: OpenInference tells commands apart with
 * `instanceof` against the CJS classes, and `@opentelemetry/instrumentation-
 * aws-sdk` patches through the require hook (register it before
 * `loadBedrockRuntime()`).
 */
import { createRequire } from 'node:module';
import type * as BedrockRuntime from '@aws-sdk/client-bedrock-runtime';
import fc from 'fast-check';
import { expect } from 'vitest';
import type {
  FakeBedrockServer,
  FakeBedrockUsage,
} from '../helpers/fake-bedrock-server.js';
import { expectedCost } from '../helpers/prices.js';
import type { TokenRates } from '../helpers/prices.js';

export type BedrockModule = typeof BedrockRuntime;

import {
  BEDROCK_CALLS,
  CLAUDE,
  NOVA,
  type BedrockCall,
} from './bedrock-plan.js';

export { BEDROCK_CALLS, CLAUDE, NOVA, type BedrockCall };

/**
 * Amazon Bedrock pricing, https://aws.amazon.com/bedrock/pricing/ (on-demand,
 * US East): Anthropic Claude 3.5 Haiku $0.0008 input / $0.004 output / $0.001
 * cache write / $0.00008 cache read per 1K tokens.
 */
export const BEDROCK_CLAUDE_3_5_HAIKU: TokenRates = {
  input: 0.8,
  cacheWrite: 1,
  cacheRead: 0.08,
  output: 4,
};

/**
 * Amazon Bedrock pricing, https://aws.amazon.com/bedrock/pricing/ (Amazon
 * Nova, on-demand): Nova Lite $0.00006 input / $0.00024 output / $0.000015
 * cache read per 1K tokens.
 */
export const BEDROCK_NOVA_LITE: TokenRates = {
  input: 0.06,
  cacheRead: 0.015,
  output: 0.24,
};

function ratesFor(modelId: string): TokenRates {
  return modelId === CLAUDE ? BEDROCK_CLAUDE_3_5_HAIKU : BEDROCK_NOVA_LITE;
}

/** What the call really costs at the published Bedrock prices. */
export function trueBedrockCost(call: BedrockCall): number {
  return expectedCost(ratesFor(call.modelId), {
    uncachedInput: call.usage.inputTokens,
    cacheRead: call.usage.cacheReadInputTokens ?? 0,
    cacheWrite: call.usage.cacheWriteInputTokens ?? 0,
    output: call.usage.outputTokens,
  }).total;
}

/** What the call costs from a span that carries no cache counts (input and output only). */
export function bedrockCostWithoutCache(call: BedrockCall): number {
  return expectedCost(ratesFor(call.modelId), {
    uncachedInput: call.usage.inputTokens,
    output: call.usage.outputTokens,
  }).total;
}

export function loadBedrockRuntime(): BedrockModule {
  const require = createRequire(import.meta.url);
  return require('@aws-sdk/client-bedrock-runtime') as BedrockModule;
}

function invokeBody(modelId: string): Record<string, unknown> {
  if (modelId === CLAUDE) {
    return {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 512,
      messages: [
        {
          role: 'user',
          content: [{ type: 'text', text: 'Weather in Paris?' }],
        },
      ],
    };
  }
  return {
    schemaVersion: 'messages-v1',
    messages: [{ role: 'user', content: [{ text: 'Weather in Paris?' }] }],
    inferenceConfig: { maxTokens: 512 },
  };
}

/** Runs the 6 calls; `calls` picks a subset (all by default). */
export async function runBedrockScenario(
  module: BedrockModule,
  server: FakeBedrockServer,
  calls: readonly BedrockCall[] = BEDROCK_CALLS,
): Promise<void> {
  const before = server.requests.length;
  const client = new module.BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: server.endpoint,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret-test' },
    maxAttempts: 1,
  });
  try {
    for (const call of calls) {
      server.configure(call.usage);
      if (call.operation === 'converse-stream') {
        const response = await client.send(
          new module.ConverseStreamCommand({
            modelId: call.modelId,
            messages: [
              { role: 'user', content: [{ text: 'Weather in Paris?' }] },
            ],
            inferenceConfig: { maxTokens: 512 },
          }),
        );
        for await (const event of response.stream ?? []) void event;
      } else if (call.operation === 'converse') {
        await client.send(
          new module.ConverseCommand({
            modelId: call.modelId,
            system: [
              { text: 'You are terse.' },
              { cachePoint: { type: 'default' } },
            ],
            messages: [
              { role: 'user', content: [{ text: 'Weather in Paris?' }] },
            ],
            inferenceConfig: { maxTokens: 512 },
          }),
        );
      } else {
        await client.send(
          new module.InvokeModelCommand({
            modelId: call.modelId,
            contentType: 'application/json',
            accept: 'application/json',
            body: JSON.stringify(invokeBody(call.modelId)),
          }),
        );
      }
    }
  } finally {
    client.destroy();
  }
  expect(server.requests.length - before).toBe(calls.length);
}

/** Generated Bedrock usage: cache reads and writes may be above or below the uncached input. */
export const bedrockUsage: fc.Arbitrary<FakeBedrockUsage> = fc.record({
  inputTokens: fc.integer({ min: 0, max: 1_000_000 }),
  outputTokens: fc.integer({ min: 0, max: 100_000 }),
  cacheReadInputTokens: fc.integer({ min: 0, max: 1_000_000 }),
  cacheWriteInputTokens: fc.integer({ min: 0, max: 200_000 }),
});

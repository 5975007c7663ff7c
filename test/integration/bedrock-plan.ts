/**
 * The Bedrock calls the tests make and the recorder records
 * (`scripts/record-bedrock-spans.ts`), with the usage the fake server
 * answers: one plan, so the fixtures and the live tests agree.
 */
import type { FakeBedrockUsage } from '../helpers/fake-bedrock-server.js';

export const CLAUDE = 'anthropic.claude-3-5-haiku-20241022-v1:0';
export const NOVA = 'amazon.nova-lite-v1:0';

export interface BedrockCall {
  readonly operation: 'converse' | 'converse-stream' | 'invoke';
  readonly modelId: string;
  /** Bedrock semantics: `inputTokens` excludes cache reads and writes. */
  readonly usage: FakeBedrockUsage;
}

export const BEDROCK_CALLS: readonly BedrockCall[] = [
  {
    operation: 'converse',
    modelId: CLAUDE,
    usage: {
      inputTokens: 1000,
      outputTokens: 300,
      cacheReadInputTokens: 2000,
      cacheWriteInputTokens: 500,
    },
  },
  {
    operation: 'invoke',
    modelId: CLAUDE,
    usage: {
      inputTokens: 1200,
      outputTokens: 250,
      cacheReadInputTokens: 1800,
      cacheWriteInputTokens: 300,
    },
  },
  {
    operation: 'converse',
    modelId: NOVA,
    usage: {
      inputTokens: 800,
      outputTokens: 120,
      cacheReadInputTokens: 1536,
      cacheWriteInputTokens: 0,
    },
  },
  {
    operation: 'invoke',
    modelId: NOVA,
    usage: {
      inputTokens: 2048,
      outputTokens: 512,
      cacheReadInputTokens: 1024,
      cacheWriteInputTokens: 0,
    },
  },
  {
    operation: 'invoke',
    modelId: CLAUDE,
    usage: {
      inputTokens: 2000,
      outputTokens: 100,
      cacheReadInputTokens: 500,
      cacheWriteInputTokens: 200,
    },
  },
  {
    operation: 'converse-stream',
    modelId: CLAUDE,
    usage: {
      inputTokens: 900,
      outputTokens: 150,
      cacheReadInputTokens: 1200,
      cacheWriteInputTokens: 400,
    },
  },
];

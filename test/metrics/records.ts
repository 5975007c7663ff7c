/** Builders for `CostRecord`s fed straight into a `CostSink`. */
import type { CostRecord } from '../../src/core/cost-record.js';
import type { Identity } from '../../src/core/identity.js';
import type { LlmCall, TokenUsage } from '../../src/core/llm-call.js';
import type { CostResult } from '../../src/core/price/cost-result.js';

export function usage(
  input: number,
  output: number,
  extra: Partial<TokenUsage> = {},
): TokenUsage {
  return {
    inputTokens: input,
    outputTokens: output,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    ...extra,
  };
}

export function call(
  provider: string | undefined,
  model: string | undefined,
  tokens?: TokenUsage,
): LlmCall {
  return {
    emitter: 'manual',
    provider,
    model,
    operation: 'chat',
    usage: tokens,
    reportedCostUsd: undefined,
    responseId: undefined,
    startTimeMillis: 0,
    issues: [],
  };
}

/** A price-table cost of `microUsd` micro-dollars (parts are not checked by the metrics). */
export function pricedMicro(
  microUsd: number,
  source: 'price_table' | 'override' = 'price_table',
  modelId = '', // '' = let the label policy use the call's model
): CostResult {
  const totalUsd = microUsd / 1e6;
  return {
    priced: true,
    source,
    totalUsd,
    modelId,
    inputUsd: totalUsd,
    outputUsd: 0,
    cacheReadUsd: 0,
    cacheWriteUsd: 0,
    priceVersion: 'test',
  };
}

export function identity(fields: {
  userId?: string;
  tenantId?: string;
  plan?: string;
}): Identity {
  return {
    userId: fields.userId,
    sessionId: undefined,
    tenantId: fields.tenantId,
    plan: fields.plan,
    feature: undefined,
    tags: {},
    source: 'context',
  };
}

export function record(
  llmCall: LlmCall,
  cost: CostResult,
  who: Identity,
): CostRecord {
  return { call: llmCall, cost, identity: who };
}

/** mulberry32: a tiny seeded PRNG, so traffic is the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

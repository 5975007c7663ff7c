/**
 * The Anthropic calls the `anthropic-*.test.ts` files make against the fake
 * Anthropic server, and what each costs from Anthropic's published prices
 * (never from our output).
 *
 * Prices: https://docs.anthropic.com/en/docs/about-claude/pricing, model
 * pricing table, read 2026-11-30: Claude Sonnet 4.5 $3 / MTok base input,
 * $3.75 / MTok 5-minute cache writes, $6 / MTok 1-hour cache writes,
 * $0.30 / MTok cache hits, $15 / MTok output (`CLAUDE_SONNET_4_5`).
 * Anthropic's `input_tokens` EXCLUDES cache reads and writes, so it is the
 * part billed at the base rate.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { FakeAnthropicUsage } from '../helpers/fake-anthropic-server.js';
import { CLAUDE_SONNET_4_5, expectedCost } from '../helpers/prices.js';
import type { ExpectedCost } from '../helpers/prices.js';

export const MODEL = 'claude-sonnet-4-5';

export type CallKind = 'create' | 'create-stream' | 'stream-helper';

export const PARAMS = {
  model: MODEL,
  max_tokens: 1024,
  messages: [{ role: 'user' as const, content: 'Weather in Paris?' }],
};

/** Cache read and 5-minute cache write: every rate in play. */
export const CACHED_USAGE: FakeAnthropicUsage = {
  inputTokens: 1200,
  outputTokens: 350,
  cacheReadTokens: 4000,
  cacheWrite5mTokens: 2000,
};

/** Three distinct usages, one per call kind (as in the recorded fixtures). */
export const USAGE_BY_KIND: Readonly<Record<CallKind, FakeAnthropicUsage>> = {
  create: CACHED_USAGE,
  'create-stream': {
    inputTokens: 900,
    outputTokens: 420,
    cacheReadTokens: 6000,
    cacheWrite5mTokens: 0,
  },
  'stream-helper': {
    inputTokens: 1500,
    outputTokens: 275,
    cacheReadTokens: 0,
    cacheWrite5mTokens: 3000,
  },
};

/** One call of `kind`, read to the end; returns the message id. */
export async function makeCall(
  client: Anthropic,
  kind: CallKind,
): Promise<string> {
  if (kind === 'create') {
    return (await client.messages.create(PARAMS)).id;
  }
  if (kind === 'create-stream') {
    const stream = await client.messages.create({ ...PARAMS, stream: true });
    let id = '';
    for await (const event of stream) {
      if (event.type === 'message_start') id = event.message.id;
    }
    return id;
  }
  return (await client.messages.stream(PARAMS).finalMessage()).id;
}

/** The published price of one call with Anthropic usage `usage` (5-minute cache writes). */
export function callCost(usage: FakeAnthropicUsage): ExpectedCost {
  if ((usage.cacheWrite1hTokens ?? 0) > 0) {
    throw new Error('1-hour cache writes are not modelled by these tests');
  }
  return expectedCost(CLAUDE_SONNET_4_5, {
    uncachedInput: usage.inputTokens,
    cacheRead: usage.cacheReadTokens ?? 0,
    cacheWrite: usage.cacheWrite5mTokens ?? 0,
    output: usage.outputTokens,
  });
}

/** Streams end their spans when read to the end; instrumentations that tee the stream finish a tick later. */
export function settle(): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, 50));
}

/**
 * ATTACK (bounded work per span, hostile traffic): spans that claim a
 * layered scope with absurd times (starting in 1970 and ending in 2100, or
 * ending before they start) reach the gateway and the exporter wrapper.
 * Each look-up must read a bounded number of buckets: a span lasting 130
 * years made it walk one bucket per second of its duration (about 4e9),
 * freezing the gateway on one request. Absurd spans are still decided
 * (priced alone or paired), never thrown on.
 */
import { describe, expect, it } from 'vitest';
import type { LlmCall } from '../../src/core/llm-call.js';
import {
  StackedWindow,
  type EndedCall,
} from '../../src/core/select/stacked-window.js';

const FRAMEWORK = '@arizeai/openinference-instrumentation-langchain';
const CLIENT = '@opentelemetry/instrumentation-openai';
const YEAR_2100 = Date.parse('2100-01-01T00:00:00Z');
const NOW = Date.parse('2026-11-30T12:00:00Z');

const call = (input: number): LlmCall => ({
  emitter: 'gen_ai',
  provider: 'openai',
  model: 'gpt-4o-mini',
  operation: 'chat',
  usage: {
    inputTokens: input,
    outputTokens: 100,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
  },
  reportedCostUsd: undefined,
  responseId: undefined,
  startTimeMillis: 0,
  issues: [],
});

const ended = (
  scopeName: string,
  startMillis: number,
  endMillis: number,
  input = 1000,
): EndedCall => ({
  scopeName,
  startMillis,
  endMillis,
  call: call(input),
  priced: true,
});

describe('StackedWindow with absurd span times', () => {
  it('a span from 1970 to 2100 after a remembered call: decided at once', () => {
    const window = new StackedWindow({ windowMillis: 60_000, maxEntries: 100 });
    // Two layered scopes seen, one call remembered.
    expect(
      window.decideBatch([ended(CLIENT, NOW, NOW + 500, 5000)], NOW + 600),
    ).toEqual(['price']);
    expect(
      window.decideBatch([ended(FRAMEWORK, 0, YEAR_2100)], NOW + 700),
    ).toHaveLength(1);
    expect(
      window.decideBatch([ended(CLIENT, 0, YEAR_2100, 1000)], NOW + 800),
    ).toHaveLength(1);
  }, 5_000);

  it('end before start, negative and non-finite-looking times: decided, no throw', () => {
    const window = new StackedWindow({ windowMillis: 60_000, maxEntries: 100 });
    const verdicts = window.decideBatch(
      [
        ended(FRAMEWORK, NOW, NOW - 10_000),
        ended(CLIENT, NOW - 5_000, NOW - 9_000),
        ended(FRAMEWORK, -YEAR_2100, YEAR_2100),
        ended(CLIENT, YEAR_2100, -YEAR_2100),
      ],
      NOW,
    );
    expect(verdicts).toHaveLength(4);
    const later = window.decideBatch(
      [ended(CLIENT, -YEAR_2100, YEAR_2100), ended(FRAMEWORK, NOW, NOW + 1)],
      NOW + 1000,
    );
    expect(later).toHaveLength(2);
  }, 5_000);
});

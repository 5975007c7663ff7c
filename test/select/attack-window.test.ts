/**
 * ATTACK (counted twice), the rules under the gateway and the exporter
 * wrapper: a framework LLM span that started long before its client call
 * (LangChain.js retrying inside one LLM span after a 1-2 s backoff) is
 * still that call's record, in one batch and across batches; two records
 * of one layer, or spans that only overlap, are not.
 */
import { describe, expect, it } from 'vitest';
import type { LlmCall } from '../../src/core/llm-call.js';
import {
  StackedWindow,
  type EndedCall,
} from '../../src/core/select/stacked-window.js';
import { ranAsOneCall } from '../../src/core/select/stacked-window-rules.js';

const FRAMEWORK = '@arizeai/openinference-instrumentation-langchain';
const CLIENT = '@opentelemetry/instrumentation-openai';

const call: LlmCall = {
  emitter: 'gen_ai',
  provider: 'openai',
  model: 'gpt-4o-mini',
  operation: 'chat',
  usage: {
    inputTokens: 1200,
    outputTokens: 250,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
  },
  reportedCostUsd: undefined,
  responseId: undefined,
  startTimeMillis: 0,
  issues: [],
};

const framework: EndedCall = {
  scopeName: FRAMEWORK,
  startMillis: 0,
  endMillis: 2600,
  call,
  priced: true,
};
/** The retried attempt: starts 2 s into the framework span. */
const client: EndedCall = {
  scopeName: CLIENT,
  startMillis: 2000,
  endMillis: 2550,
  call,
  priced: true,
};

describe('a framework span that started long before its client call', () => {
  it('ranAsOneCall: the outer layer wrapping the inner one, not the reverse', () => {
    expect(
      ranAsOneCall(
        { ...framework, layer: 'framework' },
        { ...client, layer: 'instrumentation' },
      ),
    ).toBe(true);
    // Same times, but the wrapping span is the inner layer: two calls.
    expect(
      ranAsOneCall(
        { ...framework, layer: 'instrumentation' },
        { ...client, layer: 'framework' },
      ),
    ).toBe(false);
    // Overlapping only (the client outlives the framework): two calls.
    expect(
      ranAsOneCall(
        { ...framework, layer: 'framework' },
        { ...client, endMillis: 2700, layer: 'instrumentation' },
      ),
    ).toBe(false);
  });

  it('one batch: priced once', () => {
    const window = new StackedWindow({ windowMillis: 60_000, maxEntries: 100 });
    const verdicts = window.decideBatch([client, framework], 3000);
    expect(verdicts.filter(v => v === 'price')).toHaveLength(1);
  });

  it('client in one batch, framework in the next: priced once', () => {
    const window = new StackedWindow({ windowMillis: 60_000, maxEntries: 100 });
    expect(window.decideBatch([client], 2600)).toEqual(['price']);
    expect(window.decideBatch([framework], 2700)).toEqual(['duplicate']);
  });
});

/**
 * ATTACK (counted twice): a stacked call that streams for longer than the
 * 10-minute bound on open spans (a reasoning model answering for 12
 * minutes, recorded by LangChain's framework span and the OpenAI client
 * span). Both spans are still open past 10 minutes; the call must still be
 * priced once, at its published price (gpt-4o-mini: $0.15/M input,
 * $0.075/M cached input, $0.60/M output). A partner that never ends still
 * releases the held call (counted once, never lost).
 */
import { describe, expect, it } from 'vitest';
import { CostEngine } from '../../src/core/cost-engine.js';
import type { CostRecord } from '../../src/core/cost-record.js';
import { createPricer } from '../../src/core/price/pricer.js';
import { classifySpan } from '../../src/core/select/classify-span.js';
import type { SpanAttributes, SpanLike } from '../../src/core/span-like.js';
import { GPT_4O_MINI, expectedCost } from '../helpers/prices.js';

const FRAMEWORK = '@arizeai/openinference-instrumentation-langchain';
const CLIENT = '@opentelemetry/instrumentation-openai';
const T0 = Date.parse('2026-11-01T12:00:00Z');
const MINUTE = 60_000;

let ids = 0;
function span(
  scopeName: string,
  start: number,
  end: number,
  attributes: SpanAttributes,
): SpanLike {
  ids += 1;
  return {
    name: scopeName === FRAMEWORK ? 'ChatOpenAI' : 'chat gpt-4o-mini',
    scopeName,
    traceId: ids.toString(16).padStart(32, '0'),
    spanId: ids.toString(16).padStart(16, '0'),
    parentSpanId: undefined,
    startTimeMillis: T0 + start,
    endTimeMillis: T0 + end,
    attributes,
  };
}

const CLIENT_START = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.system': 'openai',
  'gen_ai.request.model': 'gpt-4o-mini',
};

function stackedCall(start: number, minutes: number): [SpanLike, SpanLike] {
  const end = start + minutes * MINUTE;
  return [
    span(FRAMEWORK, start, end + 3, {
      'openinference.span.kind': 'LLM',
      'llm.provider': 'openai',
      'llm.model_name': 'gpt-4o-mini',
      'llm.token_count.prompt': 2048,
      'llm.token_count.prompt_details.cache_read': 1536,
      'llm.token_count.completion': 512,
    }),
    span(CLIENT, start + 2, end, {
      ...CLIENT_START,
      'gen_ai.usage.input_tokens': 2048,
      'gen_ai.usage.output_tokens': 512,
    }),
  ];
}

const TRUTH = expectedCost(GPT_4O_MINI, {
  uncachedInput: 512,
  cacheRead: 1536,
  output: 512,
}).total;

function engine(counted: CostRecord[]): CostEngine {
  return new CostEngine({
    pricer: createPricer(),
    stacked: { onRelease: record => counted.push(record) },
  });
}

function start(e: CostEngine, s: SpanLike, attributes: SpanAttributes): void {
  const view = { ...s, attributes };
  e.start(view, classifySpan(attributes));
}

function end(e: CostEngine, s: SpanLike, counted: CostRecord[]): void {
  const evaluation = e.evaluate(s);
  if (evaluation?.kind === 'call') counted.push(evaluation);
}

describe('a stacked call longer than the open-span age bound', () => {
  it('a 12-minute streamed call, with other calls around it: priced once', () => {
    const counted: CostRecord[] = [];
    const e = engine(counted);
    const [framework, client] = stackedCall(0, 12);
    start(e, framework, { 'openinference.span.kind': 'LLM' });
    start(e, client, CLIENT_START);
    // Short stacked calls every minute meanwhile move the engine's clock.
    for (let minute = 1; minute <= 12; minute += 1) {
      const [f, c] = stackedCall(minute * MINUTE, 0.01);
      start(e, f, { 'openinference.span.kind': 'LLM' });
      start(e, c, CLIENT_START);
      end(e, c, counted);
      end(e, f, counted);
    }
    end(e, client, counted);
    end(e, framework, counted);
    expect(counted).toHaveLength(13);
    const sum = counted.reduce(
      (total, { cost }) => total + (cost.priced ? cost.totalUsd : NaN),
      0,
    );
    expect(sum).toBeCloseTo(13 * TRUTH, 12);
  });

  it('a partner that never ends: the held call is counted once after waiting 10 minutes; the span forgotten after an hour', () => {
    const counted: CostRecord[] = [];
    const e = engine(counted);
    const [framework, client] = stackedCall(0, 1);
    start(e, framework, { 'openinference.span.kind': 'LLM' });
    start(e, client, CLIENT_START);
    end(e, client, counted);
    expect(counted, 'held for its open partner').toHaveLength(0);
    // Unrelated traffic 11 minutes after the client ended.
    const [f, c] = stackedCall(12 * MINUTE, 0.01);
    start(e, f, { 'openinference.span.kind': 'LLM' });
    start(e, c, CLIENT_START);
    end(e, c, counted);
    end(e, f, counted);
    expect(counted).toHaveLength(2);
    // An hour on, the never-ending span is no longer remembered as a
    // partner (only as an inference span, until the count bound).
    const [f2, c2] = stackedCall(61 * MINUTE, 0.01);
    start(e, f2, { 'openinference.span.kind': 'LLM' });
    start(e, c2, CLIENT_START);
    end(e, c2, counted);
    end(e, f2, counted);
    expect(counted).toHaveLength(3);
    expect(e.trackedEntries).toBe(1);
  });
});

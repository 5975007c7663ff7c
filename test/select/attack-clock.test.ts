/**
 * ATTACK (counted twice, process-wide): the in-process matcher's clock
 * moves with the span times it sees. One layered span with a wrong time (a
 * start given in microseconds, a replayed span from the future, a broken
 * clock) must not age out every span after it: stacked calls that follow
 * are still priced once, at the published gpt-4o-mini price ($0.15/M
 * input, $0.075/M cached input, $0.60/M output).
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
const NOW = Date.parse('2026-11-30T12:00:00Z');
const YEAR_2100 = Date.parse('2100-01-01T00:00:00Z');
const CLIENT_START = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.system': 'openai',
  'gen_ai.request.model': 'gpt-4o-mini',
};

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
    startTimeMillis: start,
    endTimeMillis: end,
    attributes,
  };
}

function runStacked(e: CostEngine, at: number, counted: CostRecord[]): void {
  const framework = span(FRAMEWORK, at, at + 800, {
    'openinference.span.kind': 'LLM',
    'llm.provider': 'openai',
    'llm.model_name': 'gpt-4o-mini',
    'llm.token_count.prompt': 1000,
    'llm.token_count.prompt_details.cache_read': 600,
    'llm.token_count.completion': 300,
  });
  const client = span(CLIENT, at + 2, at + 790, {
    ...CLIENT_START,
    'gen_ai.usage.input_tokens': 1000,
    'gen_ai.usage.output_tokens': 300,
  });
  const frameworkStart = { 'openinference.span.kind': 'LLM' };
  e.start(
    { ...framework, attributes: frameworkStart },
    classifySpan(frameworkStart),
  );
  e.start({ ...client, attributes: CLIENT_START }, classifySpan(CLIENT_START));
  for (const s of [client, framework]) {
    const evaluation = e.evaluate(s);
    if (evaluation?.kind === 'call') counted.push(evaluation);
  }
}

describe('one span with a wrong time', () => {
  it.each([
    ['in 2100', YEAR_2100],
    ['in microseconds', NOW * 1000],
  ])(
    'a layered span %s: the stacked calls after it are priced once',
    (_, wrong) => {
      const counted: CostRecord[] = [];
      const e = new CostEngine({
        pricer: createPricer(),
        stacked: { onRelease: record => counted.push(record) },
      });
      const odd = span(CLIENT, wrong, wrong + 10, {
        ...CLIENT_START,
        'gen_ai.usage.input_tokens': 50,
        'gen_ai.usage.output_tokens': 5,
      });
      e.start({ ...odd, attributes: CLIENT_START }, classifySpan(CLIENT_START));
      const oddEvaluation = e.evaluate(odd);
      if (oddEvaluation?.kind === 'call') counted.push(oddEvaluation);
      for (let i = 0; i < 5; i += 1) runStacked(e, NOW + i * 1000, counted);
      expect(counted).toHaveLength(6);
      const perCall = expectedCost(GPT_4O_MINI, {
        uncachedInput: 400,
        cacheRead: 600,
        output: 300,
      }).total;
      const odd$ = expectedCost(GPT_4O_MINI, {
        uncachedInput: 50,
        output: 5,
      }).total;
      const total = counted.reduce(
        (sum, { cost }) => sum + (cost.priced ? cost.totalUsd : NaN),
        0,
      );
      expect(total).toBeCloseTo(5 * perCall + odd$, 12);
    },
  );
});

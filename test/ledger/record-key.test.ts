/**
 * Every record a sink gets carries its span's trace and span id (the
 * ledger's key), also a stacked call released on its own (its partner never
 * ended) and the pipeline's record.
 */
import { describe, expect, it } from 'vitest';
import { CostEngine } from '../../src/core/cost-engine.js';
import type { CostRecord } from '../../src/core/cost-record.js';
import { createPricer } from '../../src/core/price/pricer.js';
import { classifySpan } from '../../src/core/select/classify-span.js';
import type { SpanLike } from '../../src/core/span-like.js';
import { createCostPipeline } from '../../src/pipeline/cost-pipeline.js';
import { DEFAULT_PIPELINE_CONFIG } from '../../src/pipeline/pipeline-config.js';

const FRAMEWORK = '@arizeai/openinference-instrumentation-langchain';
const CLIENT = '@opentelemetry/instrumentation-openai';
const T0 = Date.parse('2026-11-01T12:00:00Z');
const CLIENT_START = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.system': 'openai',
  'gen_ai.request.model': 'gpt-4o-mini',
};

function span(
  scopeName: string,
  id: string,
  attributes: SpanLike['attributes'],
): SpanLike {
  return {
    name: 'chat gpt-4o-mini',
    scopeName,
    traceId: id.repeat(32),
    spanId: id.repeat(16),
    parentSpanId: undefined,
    startTimeMillis: T0,
    endTimeMillis: T0 + 500,
    attributes,
  };
}

describe('the key on every record', () => {
  it('a held stacked call released on its own keeps its span ids', () => {
    const released: CostRecord[] = [];
    const engine = new CostEngine({
      pricer: createPricer(),
      stacked: { onRelease: record => released.push(record) },
    });
    const framework = span(FRAMEWORK, 'f', {
      'openinference.span.kind': 'LLM',
    });
    const client = span(CLIENT, 'c', {
      ...CLIENT_START,
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.output_tokens': 10,
    });
    engine.start(framework, classifySpan(framework.attributes));
    engine.start(client, classifySpan(CLIENT_START));
    expect(engine.evaluate(client)).toMatchObject({ kind: 'skipped' }); // held for its partner
    engine.releaseHeld();
    expect(released).toHaveLength(1);
    expect(released[0]).toMatchObject({
      traceId: 'c'.repeat(32),
      spanId: 'c'.repeat(16),
    });
  });

  it('the pipeline passes the key to its sinks', () => {
    const records: CostRecord[] = [];
    const pipeline = createCostPipeline({
      ...DEFAULT_PIPELINE_CONFIG,
      sinks: [{ record: record => records.push(record) }],
    });
    const client = span(CLIENT, 'd', {
      ...CLIENT_START,
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.output_tokens': 10,
    });
    const { record } = pipeline.evaluate(client, undefined);
    expect(record).toMatchObject({
      traceId: 'd'.repeat(32),
      spanId: 'd'.repeat(16),
    });
    if (record !== undefined) pipeline.record(record);
    expect(records[0]?.spanId).toBe('d'.repeat(16));
  });
});

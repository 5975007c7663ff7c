import { describe, expect, it } from 'vitest';
import { createCostPipeline } from '../../../src/pipeline/cost-pipeline.js';
import { TraceWindow } from '../../../src/gateway/pipeline/trace-window.js';

const window = (maxTraces = 10): TraceWindow =>
  new TraceWindow({
    pipeline: createCostPipeline(),
    windowMillis: 1000,
    maxTraces,
  });

describe('TraceWindow', () => {
  it('remembers a trace for the window after its last span, then forgets it', () => {
    const traces = window();
    const created = traces.create('t1', 0);
    expect(traces.touch('t1', 900)).toBe(created);
    expect(traces.touch('t1', 1800)).toBe(created); // 900 ms after the last touch
    expect(traces.touch('t1', 2801)).toBeUndefined();
    expect(traces.size).toBe(0);
  });

  it('sweeps the least recently seen traces first', () => {
    const traces = window();
    traces.create('old', 0);
    traces.create('young', 500);
    traces.touch('old', 600); // now the most recent
    traces.sweep(1550);
    expect(traces.peek('young')).toBeUndefined();
    expect(traces.peek('old')).toBeDefined();
  });

  it('evicts the least recently seen trace at the cap and counts it', () => {
    const traces = window(2);
    traces.create('a', 0);
    traces.create('b', 1);
    traces.touch('a', 2);
    traces.create('c', 3);
    expect(traces.peek('b')).toBeUndefined();
    expect(traces.peek('a')).toBeDefined();
    expect(traces.evictedEarly).toBe(1);
  });
});

describe('TraceWindow engines', () => {
  const llmSpan = (spanId: string, parentSpanId: string | undefined) => ({
    name: 'chat gpt-4o',
    scopeName: 'gen_ai',
    traceId: 'a'.repeat(32),
    spanId,
    parentSpanId,
    startTimeMillis: 1_700_000_000_000,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 100,
    },
  });

  it('gives a new trace an engine with nothing of a forgotten trace', () => {
    const traces = window(1);
    const first = traces.create('t1', 0);
    // A call below span p1 marks p1 covered in t1's engine.
    expect(first.engine.evaluate(llmSpan('c1', 'p1'))?.kind).toBe('call');
    expect(first.engine.evaluate(llmSpan('p1', undefined))).toEqual({
      kind: 'skipped',
      reason: 'covered_by_descendant',
    });
    expect(first.engine.evaluate(llmSpan('c2', 'p2'))?.kind).toBe('call');
    expect(first.engine.trackedEntries).toBeGreaterThan(0);
    const second = traces.create('t2', 1); // t1 evicted
    expect(traces.peek('t1')).toBeUndefined();
    expect(second.engine.trackedEntries).toBe(0);
    // p2 was covered in t1's engine, not in t2's: priced here
    // (gpt-4o: $2.50/M input, $10/M output).
    const evaluation = second.engine.evaluate(llmSpan('p2', undefined));
    expect(evaluation?.kind).toBe('call');
    if (evaluation?.kind === 'call') {
      expect(evaluation.cost.priced).toBe(true);
      if (evaluation.cost.priced) {
        expect(evaluation.cost.totalUsd).toBeCloseTo(
          (1000 * 2.5 + 100 * 10) / 1e6,
          12,
        );
      }
    }
  });
});

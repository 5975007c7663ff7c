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

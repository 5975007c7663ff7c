/**
 * Issue 15 (review): a forgotten trace's engine is reused for a new trace
 * only when the trace had few LLM spans. An engine's response-id tables
 * keep the size they grew to when cleared: reusing the engine of a trace
 * with thousands of calls would keep ~250 KB for a one-call trace, and the
 * window's memory would no longer follow its bound in LLM spans (measured
 * in the review: 40 forgotten 5,000-call traces, then 2,000 one-call
 * traces, held 28.3 MiB of heap instead of 18.4).
 */
import { describe, expect, it } from 'vitest';
import { createCostPipeline } from '../../../src/pipeline/cost-pipeline.js';
import { TraceWindow } from '../../../src/gateway/pipeline/trace-window.js';

const WINDOW_MILLIS = 1000;

function forgottenEngine(llmSpans: number): {
  readonly traces: TraceWindow;
  readonly engine: unknown;
} {
  const traces = new TraceWindow({
    pipeline: createCostPipeline(),
    windowMillis: WINDOW_MILLIS,
    maxTraces: 10,
  });
  const state = traces.create('forgotten', 0);
  for (let i = 0; i < llmSpans; i += 1) {
    expect(traces.addLlmSpan(state)).toBe(true);
  }
  traces.sweep(2 * WINDOW_MILLIS + 1);
  expect(traces.size).toBe(0);
  return { traces, engine: state.engine };
}

describe('TraceWindow engine reuse', () => {
  it('reuses the engine of a forgotten trace with few LLM spans', () => {
    const { traces, engine } = forgottenEngine(3);
    expect(traces.create('new', 3000).engine).toBe(engine);
  });

  it('does not reuse the engine of a forgotten trace with many LLM spans', () => {
    const { traces, engine } = forgottenEngine(1000);
    const fresh = traces.create('new', 3000);
    expect(fresh.engine).not.toBe(engine);
    expect(fresh.engine.trackedEntries).toBe(0);
  });
});

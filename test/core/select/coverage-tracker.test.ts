import { describe, expect, it } from 'vitest';
import { CoverageTracker } from '../../../src/core/select/coverage-tracker.js';
import { DuplicateCalls } from '../../../src/core/select/duplicate-calls.js';

describe('CoverageTracker', () => {
  const call = {
    inputTokens: 100,
    outputTokens: 10,
    cacheReadTokens: 40,
    cacheWriteTokens: 0,
    reasoningTokens: 5,
  };

  it('passes coverage up through non-LLM spans to the nearest ancestor, summing calls', () => {
    const tracker = new CoverageTracker();
    // root -> http -> llm x2 ; the calls end first and mark http; http ends, marks root
    tracker.mark('http', call);
    tracker.mark('http', call);
    const http = tracker.take('http');
    expect(http).toEqual({
      inputTokens: 200,
      outputTokens: 20,
      cacheReadTokens: 80,
      cacheWriteTokens: 0,
      reasoningTokens: 10,
    });
    tracker.mark('root', http);
    expect(tracker.take('root')).toEqual(http);
    expect(tracker.size).toBe(0);
  });

  it('marks a parent of a call without usage (covered, nothing summed)', () => {
    const tracker = new CoverageTracker();
    tracker.mark('p', undefined);
    expect(tracker.has('p')).toBe(true);
    expect(tracker.take('p')?.inputTokens).toBe(0);
  });

  it('reports uncovered spans without touching memory', () => {
    const tracker = new CoverageTracker();
    expect(tracker.take('x')).toBeUndefined();
    expect(tracker.size).toBe(0);
  });

  it('never holds more than maxEntries', () => {
    const tracker = new CoverageTracker(100);
    for (let i = 0; i < 10_000; i++) tracker.mark(`remote-${i}`, call);
    expect(tracker.size).toBe(100);
    expect(tracker.take('remote-9999')).toBeDefined();
    expect(tracker.take('remote-0')).toBeUndefined();
  });
});

describe('DuplicateCalls', () => {
  it('flags a response id seen from another scope in the same trace', () => {
    const calls = new DuplicateCalls();
    expect(calls.isDuplicate('t1', 'resp-1', 'contrib')).toBe(false);
    expect(calls.isDuplicate('t1', 'resp-1', 'openinference')).toBe(true);
    expect(calls.isDuplicate('t2', 'resp-1', 'openinference')).toBe(false);
  });

  it('does not flag the same scope (a retry or a mock reusing ids)', () => {
    const calls = new DuplicateCalls();
    calls.isDuplicate('t1', 'resp-1', 'contrib');
    expect(calls.isDuplicate('t1', 'resp-1', 'contrib')).toBe(false);
  });

  it('is bounded', () => {
    const calls = new DuplicateCalls(50);
    for (let i = 0; i < 1000; i++) calls.isDuplicate('t', `r${i}`, 's');
    expect(calls.size).toBe(50);
  });
});

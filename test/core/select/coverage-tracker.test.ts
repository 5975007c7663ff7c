import { describe, expect, it } from 'vitest';
import { CoverageTracker } from '../../../src/core/select/coverage-tracker.js';
import { DuplicateCalls } from '../../../src/core/select/duplicate-calls.js';

describe('CoverageTracker', () => {
  it('passes coverage up through non-LLM spans to the nearest ancestor', () => {
    const tracker = new CoverageTracker();
    // root -> http -> llm ; llm ends first, marks http; http ends, marks root
    tracker.mark('http');
    expect(tracker.take('http', 'root')).toBe(true);
    expect(tracker.take('root', undefined)).toBe(true);
    expect(tracker.size).toBe(0);
  });

  it('reports uncovered spans without touching memory', () => {
    const tracker = new CoverageTracker();
    expect(tracker.take('x', 'y')).toBe(false);
    expect(tracker.size).toBe(0);
  });

  it('never holds more than maxEntries', () => {
    const tracker = new CoverageTracker(100);
    for (let i = 0; i < 10_000; i++) tracker.mark(`remote-${i}`);
    expect(tracker.size).toBe(100);
    expect(tracker.take('remote-9999', undefined)).toBe(true);
    expect(tracker.take('remote-0', undefined)).toBe(false);
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

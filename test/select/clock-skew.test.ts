/**
 * Spans of one call recorded in two traces are timed by two clocks: the SDK
 * anchors each trace's clock to Date.now() (whole milliseconds) at its root,
 * so a client span can be recorded ending a fraction of a millisecond after
 * the framework span it ended before (seen in the LangChain recordings), or
 * a short call's two spans may not overlap at all. They are still one call.
 */
import { describe, expect, it } from 'vitest';
import {
  CLOCK_SLACK_MILLIS,
  mayWrapOrStartTogether,
  overlapsAsOneCall,
  ranAsOneCall,
} from '../../src/core/select/stacked-window-rules.js';

describe('clock skew between traces', () => {
  it('a fast call whose two spans miss each other by under a millisecond is one call', () => {
    // Framework [100.000, 100.050]; client, on a clock 0.8 ms ahead,
    // [100.830, 100.840]: no overlap on paper.
    const framework = { startMillis: 100, endMillis: 100.05 };
    const client = { startMillis: 100.83, endMillis: 100.84 };
    expect(overlapsAsOneCall(framework, client)).toBe(true);
    expect(overlapsAsOneCall(client, framework)).toBe(true);
  });

  it('an outer span recorded ending 0.4 ms before the call it wraps still wraps it', () => {
    expect(
      ranAsOneCall(
        { startMillis: 0, endMillis: 2600, layer: 'framework' },
        { startMillis: 2000, endMillis: 2600.4, layer: 'instrumentation' },
      ),
    ).toBe(true);
    expect(
      mayWrapOrStartTogether('framework', 2000.5, 'instrumentation', 2000, 0),
    ).toBe(true);
  });

  it('spans further apart than the slack are still two calls', () => {
    const first = { startMillis: 0, endMillis: 10 };
    const second = {
      startMillis: 10 + CLOCK_SLACK_MILLIS + 1,
      endMillis: 2000,
    };
    // They start within 1 s, but do not overlap even with the slack.
    expect(overlapsAsOneCall(first, second)).toBe(false);
  });
});

/**
 * Calls whose trace or span id is empty or all zeros (the W3C invalid id;
 * what the gateway reads for a span sent without ids) are distinct calls:
 * each is counted, as a keyless call, instead of all sharing one seen-key
 * (`seen::`) and only the first of them ever counting. gpt-4o: $2.50 per
 * million input tokens.
 */
import { describe, expect, it } from 'vitest';
import { BudgetGuard } from '../../../src/index.js';
import { gpt4oRecord, newSpanId, newTraceId } from '../budget-records.js';

const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

describe('calls without a usable trace or span id', () => {
  it.each([
    ['empty ids', '', ''],
    ['all-zero ids', ZERO_TRACE, ZERO_SPAN],
    ['an empty span id', 'trace-a', ''],
    ['an all-zero trace id', ZERO_TRACE, 'span-a'],
  ])('%s: each call counts (keyless)', async (_name, traceId, spanId) => {
    const guard = new BudgetGuard({
      store: 'memory',
      budgets: [{ scope: 'user', limitUsd: 10, window: 'day' }],
      env: {},
    });
    for (let i = 0; i < 3; i++) {
      // $0.10 each: 40,000 input tokens.
      guard.record(
        gpt4oRecord({ userId: 'u' }, 40_000, 0, { traceId, spanId }),
      );
    }
    expect(await guard.spent({ scope: 'user', id: 'u' })).toBeCloseTo(0.3, 9);
    expect(guard.stats.keyless).toBe(3);
    expect(guard.stats.duplicates).toBe(0);
    await guard.shutdown();
  });

  it('real ids still count once however often they are delivered', async () => {
    const guard = new BudgetGuard({
      store: 'memory',
      budgets: [{ scope: 'user', limitUsd: 10, window: 'day' }],
      env: {},
    });
    const ids = { traceId: newTraceId(), spanId: newSpanId() };
    for (let i = 0; i < 3; i++)
      guard.record(gpt4oRecord({ userId: 'u' }, 40_000, 0, ids));
    expect(await guard.spent({ scope: 'user', id: 'u' })).toBe(0.1);
    expect(guard.stats.duplicates).toBe(2);
    await guard.shutdown();
  });
});

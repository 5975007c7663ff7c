/**
 * The budget lines of issue 15 read the right figures: what
 * `CostSpanProcessor` adds beyond its floor measured in the same rounds (a
 * do-nothing processor for non-LLM spans, the write floor for LLM spans),
 * never the raw figure against the bare provider. Deterministic: synthetic
 * figures, no timing.
 */
import { describe, expect, it } from 'vitest';
import { evaluateBudget } from '../../bench/report/budget.js';
import type { SpanOverheadCase } from '../../bench/suites/span-overhead.js';

function overhead(
  id: string,
  llm: boolean,
  added: number,
  overFloor: number,
): SpanOverheadCase {
  return {
    id,
    label: id,
    llm,
    rounds: 1,
    spansPerRound: 1,
    baselineNsPerSpan: 2000,
    costNsPerSpan: 2000 + added,
    peerNsPerSpan: 2500,
    ratio: (2000 + added) / 2000,
    addedNsPerSpan: added,
    peerRatio: 1.25,
    peerAddedNsPerSpan: 500,
    writeFloorAddedNsPerSpan: added - overFloor,
    doNothingAddedNsPerSpan: added - overFloor,
    addedOverFloorNsPerSpan: overFloor,
    floor: llm ? 'write_floor' : 'do_nothing',
  };
}

function budget(nonLlmOverFloor: number, llmOverFloor: number) {
  return evaluateBudget({
    spanOverhead: [
      overhead('non_llm', false, nonLlmOverFloor + 400, nonLlmOverFloor),
      overhead('gen_ai_chat', true, llmOverFloor + 5000, llmOverFloor),
      overhead('gen_ai_chat_tiered', true, 99_000, 99_000),
      overhead('mix', false, 99_000, 99_000),
    ],
    priceLookups: [
      {
        id: 'memoized_flat',
        label: '',
        nsPerLookup: 50,
        lookupsPerSecond: 2e7,
      },
    ],
    identities: {
      users: 1,
      tenants: 1,
      spans: 1,
      nsPerRequest: 1,
      heapBeforeMb: 1,
      heapAfterMb: 1,
      heapGrowthMb: 0,
      seriesByMetric: {},
      seriesTotal: 1,
      seriesBoundTotal: 2,
      seriesBoundByMetric: {},
      seriesWithinBound: true,
    },
    inFlight: [],
  });
}

describe('budget lines (issue 15 targets)', () => {
  it('checks non-LLM spans against a do-nothing processor: <= 30 ns over it', () => {
    const pass = budget(30, 0).find(l => l.id === 'non_llm_over_do_nothing_ns');
    expect(pass).toMatchObject({
      limit: 30,
      value: 30,
      unit: 'ns',
      pass: true,
    });
    const fail = budget(31, 0).find(l => l.id === 'non_llm_over_do_nothing_ns');
    expect(fail).toMatchObject({ value: 31, pass: false });
  });

  it('checks each LLM shape against the write floor: <= 1,000 ns over it', () => {
    const lines = budget(0, 1000).filter(l =>
      l.id.startsWith('llm_over_write_floor_ns.'),
    );
    // The tiered-price shape is reported, not budgeted.
    expect(lines.map(l => l.id)).toEqual([
      'llm_over_write_floor_ns.gen_ai_chat',
    ]);
    expect(lines[0]).toMatchObject({ limit: 1000, value: 1000, pass: true });
    const over = budget(0, 1001).find(
      l => l.id === 'llm_over_write_floor_ns.gen_ai_chat',
    );
    expect(over?.pass).toBe(false);
  });
});

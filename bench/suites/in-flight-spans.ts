/**
 * 100,000 spans in flight at once, then all ended: the heap must return to
 * where it was and the exactly-once bookkeeping must empty, both for
 * independent LLM spans and for nested traces (HTTP root > invoke_agent >
 * two chat spans, children ending first, so every wrapper and root is
 * marked "covered" at some point).
 */
import { heapUsedAfterGc, toMegabytes } from '../harness/memory.js';
import type { CostEngine } from '../../src/core/cost-engine.js';
import type { CostSpanProcessor } from '../../src/index.js';
import { processorEngine, type CostStack } from '../workloads/cost-stack.js';
import { costPipeline, type Pipeline } from '../workloads/pipelines.js';
import {
  endAll,
  IN_FLIGHT_SCENARIOS,
  type Scenario,
} from '../workloads/in-flight-scenarios.js';

export interface InFlightCase {
  readonly id: string;
  readonly label: string;
  readonly spans: number;
  readonly heapBeforeMb: number;
  readonly heapInFlightMb: number;
  readonly heapAfterMb: number;
  /** heapAfter - heapBefore. */
  readonly heapRetainedMb: number;
  /** `CostEngine.trackedEntries` (coverage marks + duplicate window). */
  readonly peakTrackedEntries: number;
  readonly trackedEntriesAfter: number;
  /** The part held for spans in flight: must return to 0. */
  readonly coverageEntriesAfter: number;
  /** Response ids remembered for sibling duplicates (bounded window). */
  readonly duplicateWindowEntriesAfter: number;
}

/** More LLM spans than the duplicate-response window (10,000) holds. */
const WARM_UP_SPANS = 24_000;

interface Outcome {
  readonly started: number;
  readonly heapInFlight: number;
  readonly peakTrackedEntries: number;
}

/**
 * Starts every span, measures, then ends them all. Returns numbers only: the
 * spans must be referenced from no live frame when the caller measures the
 * heap (a suspended async frame keeps whatever its registers last held).
 */
async function startThenEnd(
  pipeline: Pipeline,
  stack: CostStack,
  scenario: Scenario,
  spans: number,
  measure: boolean,
): Promise<Outcome> {
  const stages = scenario(pipeline, spans);
  const started = stages.reduce((sum, stage) => sum + stage.length, 0);
  const heapInFlight = measure ? heapUsedAfterGc() : 0;
  let peak = stack.trackedEntries();
  for (let s = 0; s < stages.length; s++) {
    await endAll(stages[s] ?? []);
    peak = Math.max(peak, stack.trackedEntries());
  }
  return { started, heapInFlight, peakTrackedEntries: peak };
}

export async function runInFlightSpans(spans: number): Promise<InFlightCase[]> {
  const cases: InFlightCase[] = [];
  for (const scenario of IN_FLIGHT_SCENARIOS) {
    const pipeline = costPipeline();
    const stack = pipeline.cost;
    if (stack === undefined) throw new Error('in-flight: no cost stack');
    // Warm-up past the bounded windows (duplicate response ids, price memo)
    // so "before" is the steady state and only per-span state can differ.
    for (let i = 0; i < WARM_UP_SPANS; i += 1000) {
      await startThenEnd(pipeline, stack, scenario.run, 1000, false);
    }
    await pipeline.provider.forceFlush();
    const before = heapUsedAfterGc();
    const outcome = await startThenEnd(
      pipeline,
      stack,
      scenario.run,
      spans,
      true,
    );
    await pipeline.provider.forceFlush();
    const after = heapUsedAfterGc();
    cases.push({
      id: scenario.id,
      label: scenario.label,
      spans: outcome.started,
      heapBeforeMb: toMegabytes(before),
      heapInFlightMb: toMegabytes(outcome.heapInFlight),
      heapAfterMb: toMegabytes(after),
      heapRetainedMb: toMegabytes(after - before),
      peakTrackedEntries: outcome.peakTrackedEntries,
      trackedEntriesAfter: stack.trackedEntries(),
      ...bookkeepingOf(stack.processor),
    });
    await pipeline.shutdown();
  }
  return cases;
}

/** The two parts of the engine's bookkeeping (private fields, read here only). */
function bookkeepingOf(processor: CostSpanProcessor): {
  coverageEntriesAfter: number;
  duplicateWindowEntriesAfter: number;
} {
  const engine: CostEngine = processorEngine(processor);
  const parts = engine as unknown as {
    _coverage: { size: number };
    _duplicates: { size: number };
  };
  return {
    coverageEntriesAfter: parts._coverage.size,
    duplicateWindowEntriesAfter: parts._duplicates.size,
  };
}

/**
 * Per-span cost on the application thread: the same workload through the
 * baseline provider, the same provider with `CostSpanProcessor`, with a
 * peer processor (`BaggageSpanProcessor`), and with two floors (a processor
 * that only writes our attributes, one that does nothing), interleaved in
 * short rounds.
 */
import type { Context } from '@opentelemetry/api';
import { measureInterleaved, type Variant } from '../harness/interleaved.js';
import { collectGarbage } from '../harness/memory.js';
import { round } from '../harness/stats.js';
import {
  REQUEST_TENANT,
  REQUEST_USER,
  type ShapeCheck,
} from '../workloads/check-shapes.js';
import {
  baggagePeerPipeline,
  baselinePipeline,
  costPipeline,
  doNothingPipeline,
  writeFloorPipeline,
  type Pipeline,
} from '../workloads/pipelines.js';
import {
  endMixedTrace,
  endSpansUnderRequest,
  MIX_SPANS_PER_TRACE,
} from '../workloads/span-driver.js';
import {
  GEN_AI_CHAT_TIERED,
  LLM_SHAPES,
  NON_LLM_SHAPES,
  type SpanShape,
} from '../workloads/span-shapes.js';

export interface SpanOverheadOptions {
  readonly rounds: number;
  readonly warmupRounds: number;
  /** Spans per round and variant (traces for the mix: this / 20). */
  readonly spansPerRound: number;
  /** Workload ids to run; all when unset. */
  readonly only?: readonly string[] | undefined;
  /** What `CostSpanProcessor` writes per shape, for the write floor. */
  readonly checks: readonly ShapeCheck[];
}

export interface SpanOverheadCase {
  readonly id: string;
  readonly label: string;
  readonly llm: boolean;
  readonly rounds: number;
  readonly spansPerRound: number;
  readonly baselineNsPerSpan: number;
  readonly costNsPerSpan: number;
  readonly peerNsPerSpan: number;
  /** Median per-round ratio cost / baseline. */
  readonly ratio: number;
  readonly addedNsPerSpan: number;
  readonly peerRatio: number;
  readonly peerAddedNsPerSpan: number;
  /** Added by a processor that only writes the same attributes. */
  readonly writeFloorAddedNsPerSpan: number;
  /** Added by a processor whose hooks do nothing. */
  readonly doNothingAddedNsPerSpan: number;
  /**
   * What `CostSpanProcessor` adds beyond its floor, median of per-round
   * pairs: the write floor for LLM spans, the do-nothing processor for
   * spans it leaves alone (non-LLM spans, the mix).
   */
  readonly addedOverFloorNsPerSpan: number;
  /** Which floor `addedOverFloorNsPerSpan` is measured against. */
  readonly floor: 'write_floor' | 'do_nothing';
}

interface Workload {
  readonly id: string;
  readonly label: string;
  readonly llm: boolean;
  readonly spansPerOp: number;
  run(pipeline: Pipeline, ops: number, request: Context): void;
}

function spansOf(
  id: string,
  label: string,
  shapes: readonly SpanShape[],
  llm: boolean,
): Workload {
  return {
    id,
    label,
    llm,
    spansPerOp: 1,
    run: (pipeline, ops, request) =>
      endSpansUnderRequest(pipeline, shapes, ops, request),
  };
}

export const WORKLOADS: readonly Workload[] = [
  spansOf(
    'non_llm',
    'non-LLM spans (HTTP/DB, 6-9 attributes)',
    NON_LLM_SHAPES,
    false,
  ),
  ...LLM_SHAPES.map(shape => spansOf(shape.id, shape.label, [shape], true)),
  spansOf(
    GEN_AI_CHAT_TIERED.id,
    GEN_AI_CHAT_TIERED.label,
    [GEN_AI_CHAT_TIERED],
    true,
  ),
  {
    id: 'mix',
    label: 'realistic mix (1 LLM span per 20, nested under an HTTP span)',
    llm: false,
    spansPerOp: MIX_SPANS_PER_TRACE,
    run(pipeline, ops, request) {
      for (let i = 0; i < ops; i++) endMixedTrace(pipeline, request, i);
    },
  },
];

export async function runSpanOverhead(
  options: SpanOverheadOptions,
): Promise<SpanOverheadCase[]> {
  const pipelines = [
    baselinePipeline(),
    costPipeline(),
    baggagePeerPipeline(),
    writeFloorPipeline(options.checks),
    doNothingPipeline(),
  ];
  const requests = pipelines.map(p =>
    p.requestContext(REQUEST_USER, REQUEST_TENANT),
  );
  const cases: SpanOverheadCase[] = [];
  const only = options.only;
  for (const workload of WORKLOADS) {
    if (only !== undefined && !only.includes(workload.id)) continue;
    collectGarbage();
    const variants: Variant[] = pipelines.map((pipeline, i) => ({
      name: pipeline.name,
      run: ops => workload.run(pipeline, ops, requests[i] as Context),
    }));
    const result = await measureInterleaved(variants, {
      rounds: options.rounds,
      warmupRounds: options.warmupRounds,
      opsPerRound: Math.max(
        1,
        Math.round(options.spansPerRound / workload.spansPerOp),
      ),
      unitsPerOp: workload.spansPerOp,
    });
    const [base, cost, peer] = result.timings;
    const [costVsBase, peerVsBase, floorVsBase, nothingVsBase] =
      result.comparisons;
    if (
      !base ||
      !cost ||
      !peer ||
      !costVsBase ||
      !peerVsBase ||
      !floorVsBase ||
      !nothingVsBase
    ) {
      throw new Error('span overhead: missing variant');
    }
    // Indexes in `pipelines`: 1 cost, 3 write floor, 4 do nothing.
    const floor = workload.llm ? 'write_floor' : 'do_nothing';
    const overFloor = result.compare(1, workload.llm ? 3 : 4);
    cases.push({
      id: workload.id,
      label: workload.label,
      llm: workload.llm,
      rounds: result.rounds,
      spansPerRound: result.opsPerRound * workload.spansPerOp,
      baselineNsPerSpan: round(base.medianNs),
      costNsPerSpan: round(cost.medianNs),
      peerNsPerSpan: round(peer.medianNs),
      ratio: round(costVsBase.ratio, 4),
      addedNsPerSpan: round(costVsBase.addedNs),
      peerRatio: round(peerVsBase.ratio, 4),
      peerAddedNsPerSpan: round(peerVsBase.addedNs),
      writeFloorAddedNsPerSpan: round(floorVsBase.addedNs),
      doNothingAddedNsPerSpan: round(nothingVsBase.addedNs),
      addedOverFloorNsPerSpan: round(overFloor.addedNs),
      floor,
    });
  }
  for (const pipeline of pipelines) await pipeline.shutdown();
  return cases;
}

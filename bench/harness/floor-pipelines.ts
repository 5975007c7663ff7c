/**
 * The pipelines `floor-run.ts`, `floor-profile-driver.ts` and
 * `floor-alloc.ts` compare, by name: ours (and ours without its metrics
 * sink), the bench's two floors, and the two floors of this pass (read
 * floor, with a batched or a synchronous counter; two-hook floor).
 */
import { context } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { CostSpanProcessor, withAttribution } from '../../src/index.js';
import {
  REQUEST_TENANT,
  REQUEST_USER,
  type ShapeCheck,
} from '../workloads/check-shapes.js';
import { METRICS_OPTIONS } from '../workloads/cost-stack.js';
import {
  baselinePipeline,
  costPipeline,
  doNothingPipeline,
  pipelineWith,
  writeFloorPipeline,
  type Pipeline,
} from '../workloads/pipelines.js';
import { SeriesReader } from '../workloads/series-reader.js';
import { ReadFloorProcessor } from './floor-read-processor.js';
import { TwoHookFloorProcessor } from './floor-two-hook-processor.js';

export const FLOOR_PIPELINE_NAMES = [
  'baseline',
  'cost',
  'cost_no_metrics',
  'write_floor',
  'read_floor',
  'read_floor_sync',
  'do_nothing',
  'two_hook',
  'two_hook_ids',
] as const;
export type FloorPipelineName = (typeof FLOOR_PIPELINE_NAMES)[number];

/** A read floor on its own MeterProvider (with a reader, as NodeSDK has). */
export function readFloor(counter: 'batched' | 'sync'): {
  readonly processor: ReadFloorProcessor;
  readonly reader: SeriesReader;
  readonly meterProvider: MeterProvider;
} {
  const reader = new SeriesReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const processor = new ReadFloorProcessor({
    meterProvider,
    counter,
    userId: REQUEST_USER,
    tenantId: REQUEST_TENANT,
    tenantTopK: METRICS_OPTIONS.tenantTopK,
    tenantBuckets: METRICS_OPTIONS.tenantBuckets,
  });
  return { processor, reader, meterProvider };
}

function readFloorPipeline(
  name: string,
  counter: 'batched' | 'sync',
): Pipeline {
  const floor = readFloor(counter);
  return pipelineWith(name, [floor.processor], {
    attribute: parent => parent,
    shutdown: () => floor.meterProvider.shutdown(),
  });
}

/**
 * Ours with attribution on and no sink: the same 11 attributes written as
 * `cost`, so the two differ by the metrics sink alone.
 */
function costWithoutMetricsPipeline(name: string): Pipeline {
  const processor = new CostSpanProcessor({ sinks: [] });
  return pipelineWith(name, [processor], {
    attribute: (parent, userId, tenantId) =>
      context.with(parent, () =>
        withAttribution({ userId, tenantId }, () => context.active()),
      ),
    shutdown: () => processor.shutdown(),
  });
}

/** A fresh pipeline of `name`; `checks` say what the write floor writes. */
export function floorPipeline(
  name: FloorPipelineName,
  checks: readonly ShapeCheck[],
): Pipeline {
  switch (name) {
    case 'baseline':
      return baselinePipeline();
    case 'cost':
      return costPipeline();
    case 'cost_no_metrics':
      return costWithoutMetricsPipeline(name);
    case 'write_floor':
      return writeFloorPipeline(checks);
    case 'read_floor':
      return readFloorPipeline(name, 'batched');
    case 'read_floor_sync':
      return readFloorPipeline(name, 'sync');
    case 'do_nothing':
      return doNothingPipeline();
    case 'two_hook':
      return pipelineWith(name, [new TwoHookFloorProcessor()], undefined);
    case 'two_hook_ids':
      return pipelineWith(
        name,
        [new TwoHookFloorProcessor({ lookUpSpanId: true })],
        undefined,
      );
  }
}

export function isFloorPipelineName(name: string): name is FloorPipelineName {
  return (FLOOR_PIPELINE_NAMES as readonly string[]).includes(name);
}

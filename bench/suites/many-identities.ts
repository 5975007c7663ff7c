/**
 * Attribution at scale: one LLM call per request for `users` distinct users
 * spread over `tenants` tenants, through the processor with metrics on.
 * Nothing per user may stay in memory, and the exported series must stay
 * within the bound the metrics configuration promises.
 */
import {
  heapUsedAfterGc,
  toMegabytes,
  yieldToEventLoop,
} from '../harness/memory.js';
import { round } from '../harness/stats.js';
import {
  METRIC_CALLS,
  METRIC_COST,
  METRIC_LABEL_OVERFLOW,
  METRIC_TOKENS,
  METRIC_UNPRICED_CALLS,
} from '../../src/metrics/metric-names.js';
import { costPipeline } from '../workloads/pipelines.js';
import { endOneSpan } from '../workloads/span-driver.js';
import { GEN_AI_CHAT } from '../workloads/span-shapes.js';

export interface ManyIdentitiesOptions {
  readonly users: number;
  readonly tenants: number;
}

export interface ManyIdentitiesResult {
  readonly users: number;
  readonly tenants: number;
  readonly spans: number;
  readonly nsPerRequest: number;
  readonly heapBeforeMb: number;
  readonly heapAfterMb: number;
  readonly heapGrowthMb: number;
  readonly seriesByMetric: Readonly<Record<string, number>>;
  readonly seriesTotal: number;
  readonly seriesBoundTotal: number;
  readonly seriesBoundByMetric: Readonly<Record<string, number>>;
  readonly seriesWithinBound: boolean;
}

const BATCH = 1000;

export async function runManyIdentities(
  options: ManyIdentitiesOptions,
): Promise<ManyIdentitiesResult> {
  const pipeline = costPipeline();
  const stack = pipeline.cost;
  if (stack === undefined) throw new Error('identities: no cost stack');
  const request = (i: number) =>
    pipeline.requestContext(`user-${i}`, `tenant-${i % options.tenants}`);
  // Warm-up with other users, so JIT code and lazily built state exist.
  for (let i = 0; i < 2000; i++) {
    endOneSpan(
      pipeline,
      GEN_AI_CHAT,
      pipeline.requestContext(`warm-${i}`, 'warm'),
    );
  }
  await pipeline.provider.forceFlush();
  await stack.collectSeries();
  const before = heapUsedAfterGc();
  const start = process.hrtime.bigint();
  for (let i = 0; i < options.users; i++) {
    endOneSpan(pipeline, GEN_AI_CHAT, request(i));
    if (i % BATCH === BATCH - 1) await yieldToEventLoop();
  }
  const elapsedNs = Number(process.hrtime.bigint() - start);
  await pipeline.provider.forceFlush();
  const seriesByMetric = await stack.collectSeries();
  const after = heapUsedAfterGc();
  const bound = stack.seriesBound;
  const boundByMetric: Record<string, number> = {
    [METRIC_COST]: bound.cost,
    [METRIC_CALLS]: bound.calls,
    [METRIC_TOKENS]: bound.tokens,
    [METRIC_UNPRICED_CALLS]: bound.unpricedCalls,
    [METRIC_LABEL_OVERFLOW]: bound.labelOverflow,
  };
  const seriesBoundTotal = Object.values(boundByMetric).reduce(
    (a, b) => a + b,
    0,
  );
  const seriesTotal = Object.values(seriesByMetric).reduce((a, b) => a + b, 0);
  const seriesWithinBound = Object.entries(seriesByMetric).every(
    ([name, count]) => count <= (boundByMetric[name] ?? 0),
  );
  await pipeline.shutdown();
  return {
    users: options.users,
    tenants: options.tenants,
    spans: options.users,
    nsPerRequest: round(elapsedNs / options.users),
    heapBeforeMb: toMegabytes(before),
    heapAfterMb: toMegabytes(after),
    heapGrowthMb: toMegabytes(after - before),
    seriesByMetric,
    seriesTotal,
    seriesBoundTotal,
    seriesBoundByMetric: boundByMetric,
    seriesWithinBound,
  };
}

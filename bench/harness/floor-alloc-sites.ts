/**
 * Where a pipeline of `floor-pipelines.ts` allocates, by function: V8's
 * sampling heap profiler with the objects young collections freed kept in
 * (what `floor-alloc.ts` counts as bytes a span), over one workload:
 *
 *   npx tsx bench/harness/floor-alloc-sites.ts [pipeline] [workload] [spans]
 *
 * Prints bytes a span by allocating function (self), largest first.
 */
import { Session } from 'node:inspector/promises';
import { installContextManager } from './context-manager.js';
import { WORKLOADS } from '../suites/span-overhead.js';
import {
  checkShapes,
  REQUEST_TENANT,
  REQUEST_USER,
} from '../workloads/check-shapes.js';
import { createCostStack } from '../workloads/cost-stack.js';
import {
  GEN_AI_CHAT_TIERED,
  LLM_SHAPES,
  NON_LLM_SHAPES,
} from '../workloads/span-shapes.js';
import { floorPipeline, isFloorPipelineName } from './floor-pipelines.js';

interface SampleNode {
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly selfSize: number;
  readonly children: readonly SampleNode[];
}

async function main(): Promise<void> {
  const name = process.argv[2] ?? 'cost';
  const id = process.argv[3] ?? 'gen_ai_chat';
  const spans = Number(process.argv[4] ?? 200_000);
  installContextManager();
  const check = createCostStack();
  const checks = await checkShapes(check, [
    ...NON_LLM_SHAPES,
    ...LLM_SHAPES,
    GEN_AI_CHAT_TIERED,
  ]);
  await check.shutdown();
  const workload = WORKLOADS.find(w => w.id === id);
  if (workload === undefined) throw new Error(`unknown workload ${id}`);
  if (!isFloorPipelineName(name)) throw new Error(`unknown pipeline ${name}`);
  const pipeline = floorPipeline(name, checks);
  const request = pipeline.requestContext(REQUEST_USER, REQUEST_TENANT);
  const perRound = 500;
  // Warm up first (compilation and caches are not per span).
  for (let r = 0; r < 200; r++) {
    workload.run(pipeline, perRound / workload.spansPerOp, request);
  }
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 128,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  const rounds = Math.ceil(spans / perRound);
  for (let r = 0; r < rounds; r++) {
    workload.run(pipeline, perRound / workload.spansPerOp, request);
  }
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as {
    profile: { head: SampleNode };
  };
  const self = new Map<string, number>();
  const walk = (node: SampleNode, path: string): void => {
    const frame = node.callFrame;
    const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}`;
    const where = `${key}  <- ${path}`;
    if (node.selfSize > 0) {
      self.set(where, (self.get(where) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, key);
  };
  walk(profile.head, '');
  const total = rounds * perRound;
  let sum = 0;
  for (const [where, bytes] of [...self].sort((a, b) => b[1] - a[1])) {
    sum += bytes;
    if (bytes / total < 4) continue;
    process.stdout.write(
      `${(bytes / total).toFixed(0).padStart(6)}  ${where}\n`,
    );
  }
  process.stdout.write(`${(sum / total).toFixed(0).padStart(6)}  total\n`);
  await pipeline.shutdown();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);

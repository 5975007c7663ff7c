/**
 * Bytes allocated per span by each pipeline of `floor-pipelines.ts`, on one
 * workload: the young generation is made large enough that a batch of spans
 * runs with no scavenge, and the new space's growth over the batch is read
 * (a batch whose new space shrank, a scavenge, is thrown away):
 *
 *   npx tsx --min-semi-space-size=128 --max-semi-space-size=128 bench/harness/floor-alloc.ts [workload] [pipelines]
 *
 * `pipelines` is a comma-separated list (default: all). Per-span allocation
 * is what the garbage collector later pays for (~20 % of the profile).
 */
import v8 from 'node:v8';
import { installContextManager } from './context-manager.js';
import { collectGarbage, yieldToEventLoop } from './memory.js';
import { median } from './stats.js';
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
import {
  FLOOR_PIPELINE_NAMES,
  floorPipeline,
  isFloorPipelineName,
} from './floor-pipelines.js';

const SPANS_PER_BATCH = 2000;
const BATCHES = 7;

function newSpaceUsed(): number {
  const space = v8
    .getHeapSpaceStatistics()
    .find(s => s.space_name === 'new_space');
  return space?.space_used_size ?? 0;
}

async function main(): Promise<void> {
  const id = process.argv[2] ?? 'gen_ai_chat';
  const names = (process.argv[3] ?? FLOOR_PIPELINE_NAMES.join(',')).split(',');
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
  for (const name of names) {
    if (!isFloorPipelineName(name)) throw new Error(`unknown pipeline ${name}`);
    const pipeline = floorPipeline(name, checks);
    const request = pipeline.requestContext(REQUEST_USER, REQUEST_TENANT);
    const ops = SPANS_PER_BATCH / workload.spansPerOp;
    // Warm-up: compiled code, caches and the batch queue at their size.
    for (let i = 0; i < 40; i++) {
      workload.run(pipeline, ops, request);
      await yieldToEventLoop();
    }
    const perSpan: number[] = [];
    for (let tries = 0; perSpan.length < BATCHES && tries < 50; tries++) {
      collectGarbage();
      await yieldToEventLoop();
      const before = newSpaceUsed();
      workload.run(pipeline, ops, request);
      const after = newSpaceUsed();
      await yieldToEventLoop();
      // A scavenge in the batch empties the new space: thrown away.
      if (after > before) {
        perSpan.push((after - before) / SPANS_PER_BATCH);
      }
    }
    await pipeline.shutdown();
    const shown = perSpan.length === 0 ? 'n/a' : median(perSpan).toFixed(0);
    process.stdout.write(
      `${id.padEnd(22)} ${name.padEnd(16)} ${shown.padStart(6)} bytes a span (${perSpan.length} batches)\n`,
    );
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);

/**
 * `profile-driver.ts` for any pipeline of `floor-run.ts`, so a profile of
 * ours can be set beside a profile of a floor on the same workload:
 *
 *   npx tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/harness/floor-profile-driver.ts <pipeline> [workload] [spans]
 *
 * Pipelines: `FLOOR_PIPELINE_NAMES` (baseline, cost, write_floor,
 * read_floor, read_floor_sync, do_nothing, two_hook). Workloads: the ids of bench/suites/span-overhead.ts.
 */
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

async function main(): Promise<void> {
  const name = process.argv[2] ?? 'cost';
  const id = process.argv[3] ?? 'gen_ai_chat';
  const spans = Number(process.argv[4] ?? 500_000);
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
  const rounds = Math.ceil(spans / perRound);
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) {
    workload.run(pipeline, perRound / workload.spansPerOp, request);
    if (r % 20 === 0) await new Promise(resolve => setImmediate(resolve));
  }
  const ns = Number(process.hrtime.bigint() - start) / (rounds * perRound);
  process.stderr.write(
    `[profile] ${name} ${id}: ${ns.toFixed(0)} ns per span\n`,
  );
  await pipeline.shutdown();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);

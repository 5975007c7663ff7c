/**
 * A small driver for `node --cpu-prof`: ends spans of one workload through
 * the cost pipeline only, long enough for a profile.
 *
 *   npx tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/harness/profile-driver.ts [workload] [spans]
 *
 * Workloads: the ids of bench/suites/span-overhead.ts (gen_ai_chat, non_llm, mix, ...).
 */
import {
  checkShapes,
  REQUEST_TENANT,
  REQUEST_USER,
} from '../workloads/check-shapes.js';
import { installContextManager } from './context-manager.js';
import { costPipeline } from '../workloads/pipelines.js';
import { createCostStack } from '../workloads/cost-stack.js';
import {
  GEN_AI_CHAT_TIERED,
  LLM_SHAPES,
  NON_LLM_SHAPES,
} from '../workloads/span-shapes.js';
import { WORKLOADS } from '../suites/span-overhead.js';

async function main(): Promise<void> {
  const id = process.argv[2] ?? 'gen_ai_chat';
  const spans = Number(process.argv[3] ?? 500_000);
  installContextManager();
  const check = createCostStack();
  await checkShapes(check, [
    ...NON_LLM_SHAPES,
    ...LLM_SHAPES,
    GEN_AI_CHAT_TIERED,
  ]);
  await check.shutdown();
  const workload = WORKLOADS.find(w => w.id === id);
  if (workload === undefined) throw new Error(`unknown workload ${id}`);
  const pipeline = costPipeline();
  const request = pipeline.requestContext(REQUEST_USER, REQUEST_TENANT);
  const perRound = 500;
  const rounds = Math.ceil(spans / perRound);
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) {
    workload.run(
      pipeline,
      Math.max(1, perRound / workload.spansPerOp),
      request,
    );
    if (r % 20 === 0) await new Promise(resolve => setImmediate(resolve));
  }
  const ns = Number(process.hrtime.bigint() - start) / (rounds * perRound);
  process.stderr.write(`[profile] ${id}: ${ns.toFixed(0)} ns per span\n`);
  await pipeline.shutdown();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);

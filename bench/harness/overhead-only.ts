/**
 * The span-overhead suite alone, for working on the processor's hot path
 * (`npm run bench` runs it with every other suite):
 *
 *   npx tsx bench/harness/overhead-only.ts [--rounds 100] [--spans 500] [--only gen_ai_chat,non_llm]
 *
 * Prints one line per workload: what `CostSpanProcessor` adds, its floors
 * (write floor, do-nothing processor) and what it adds beyond the floor.
 */
import { parseArgs } from 'node:util';
import { runSpanOverhead } from '../suites/span-overhead.js';
import { checkShapes } from '../workloads/check-shapes.js';
import { createCostStack } from '../workloads/cost-stack.js';
import {
  GEN_AI_CHAT_TIERED,
  LLM_SHAPES,
  NON_LLM_SHAPES,
} from '../workloads/span-shapes.js';
import { installContextManager } from './context-manager.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '100' },
      spans: { type: 'string', default: '500' },
      only: { type: 'string' },
    },
  });
  const rounds = Number(values.rounds);
  installContextManager();
  const stack = createCostStack();
  const checks = await checkShapes(stack, [
    ...NON_LLM_SHAPES,
    ...LLM_SHAPES,
    GEN_AI_CHAT_TIERED,
  ]);
  await stack.shutdown();
  const cases = await runSpanOverhead({
    rounds,
    warmupRounds: Math.max(2, Math.round(rounds / 10)),
    spansPerRound: Number(values.spans),
    only: values.only?.split(','),
    checks,
  });
  for (const c of cases) {
    process.stdout.write(
      `${c.id.padEnd(24)} base ${String(Math.round(c.baselineNsPerSpan)).padStart(6)}  added ${String(Math.round(c.addedNsPerSpan)).padStart(6)}  write floor ${String(Math.round(c.writeFloorAddedNsPerSpan)).padStart(5)}  do-nothing ${String(Math.round(c.doNothingAddedNsPerSpan)).padStart(4)}  over ${c.floor} ${Math.round(c.addedOverFloorNsPerSpan)}\n`,
    );
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `${String(error instanceof Error ? error.stack : error)}\n`,
    );
    process.exit(1);
  },
);

/**
 * `ab-compare.ts` on two clocks (`floor-interleaved.ts`): this tree's
 * `CostSpanProcessor` against a reference copy of the sources, and the
 * write floor, interleaved round by round, on the LLM workloads. CPU-time
 * pairs hold on a shared machine where wall-time pairs of descheduled
 * rounds do not (see floor-interleaved.ts):
 *
 *   mkdir /tmp/before && git archive <ref> src package.json tsconfig.json | tar -x -C /tmp/before
 *   ln -s "$PWD/node_modules" /tmp/before/node_modules
 *   npx tsx bench/harness/floor-ab.ts --before /tmp/before [--after /tmp/after] [--rounds 200] [--spans 500] [--only gen_ai_chat]
 *
 * Prints, per workload, ns per span: what each adds over the write floor
 * (CPU), and after - before (CPU, and wall): medians of per-round pairs.
 *
 * `--after <dir>`: the after side is a copy too (made as the before one),
 * loaded the same way, instead of this tree. Prefer it: this tree also ran
 * the shape check before the rounds, which leaves its code paths less
 * uniform than a copy's, and with identical sources on both sides the
 * after - before column read +100 to +180 ns on GenAI chat (2026-12-01);
 * two identical copies read within about +-50 ns.
 */
import type { Context } from '@opentelemetry/api';
import { parseArgs } from 'node:util';
import * as current from '../../src/index.js';
import { WORKLOADS } from '../suites/span-overhead.js';
import {
  checkShapes,
  REQUEST_TENANT,
  REQUEST_USER,
} from '../workloads/check-shapes.js';
import { createCostStack } from '../workloads/cost-stack.js';
import { writeFloorPipeline } from '../workloads/pipelines.js';
import {
  GEN_AI_CHAT_TIERED,
  LLM_SHAPES,
  NON_LLM_SHAPES,
} from '../workloads/span-shapes.js';
import { installContextManager } from './context-manager.js';
import { costPipelineOf, loadReferenceLibrary } from './reference-library.js';
import { measureTwoClocks } from './floor-interleaved.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      before: { type: 'string' },
      after: { type: 'string' },
      rounds: { type: 'string', default: '100' },
      spans: { type: 'string', default: '500' },
      only: { type: 'string' },
    },
  });
  if (values.before === undefined)
    throw new Error('--before <dir> is required');
  const reference = await loadReferenceLibrary(values.before);
  const after =
    values.after === undefined
      ? current
      : await loadReferenceLibrary(values.after);
  installContextManager();
  const stack = createCostStack();
  const checks = await checkShapes(stack, [
    ...NON_LLM_SHAPES,
    ...LLM_SHAPES,
    GEN_AI_CHAT_TIERED,
  ]);
  await stack.shutdown();
  const pipelines = [
    costPipelineOf('after', after),
    costPipelineOf('before', reference),
    writeFloorPipeline(checks),
  ];
  const requests = pipelines.map(p =>
    p.requestContext(REQUEST_USER, REQUEST_TENANT),
  );
  const rounds = Number(values.rounds);
  const only = values.only?.split(',');
  process.stdout.write(
    '| workload | before over write floor (CPU) | after over write floor (CPU) | after - before (CPU) | after - before (wall) |\n| --- | ---: | ---: | ---: | ---: |\n',
  );
  for (const workload of WORKLOADS) {
    if (only !== undefined && !only.includes(workload.id)) continue;
    if (!workload.llm) continue;
    const result = await measureTwoClocks(
      pipelines.map((pipeline, i) => ({
        name: pipeline.name,
        run: (ops: number) =>
          workload.run(pipeline, ops, requests[i] as Context),
      })),
      {
        rounds,
        warmupRounds: Math.max(2, Math.round(rounds / 10)),
        opsPerRound: Math.max(
          1,
          Math.round(Number(values.spans) / workload.spansPerOp),
        ),
        unitsPerOp: workload.spansPerOp,
      },
    );
    const ns = (value: number) => Math.round(value).toLocaleString('en-US');
    process.stdout.write(
      `| ${workload.id} | ${ns(result.cpu(1, 2))} | ${ns(result.cpu(0, 2))} | ${ns(result.cpu(0, 1))} | ${ns(result.wall(0, 1))} |\n`,
    );
  }
  for (const pipeline of pipelines) await pipeline.shutdown();
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
